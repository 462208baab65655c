"""Messages of web-form intake and the group feed: the request with its Claim button, the
claimed state, the escalation, a won deal, /forms and /feed."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks.intake import ClaimCb, FeedCb, FeedSwitch, FormCb
from bot.i18n import Html, Tr
from bot.render.format import fmt_amount
from models.deals import Deal
from models.intake import TeamChat
from models.services.intake import RequestView
from models.services.intake_forms import FormView

MESSAGE_SHOWN = 600  # characters of the visitor's message in the chat (the note keeps it all)

SWITCH_FIELDS = {
    FeedSwitch.requests: ("feed_requests", "feed.switch_requests"),
    FeedSwitch.won: ("feed_won", "feed.switch_won"),
    FeedSwitch.escalations: ("feed_escalations", "feed.switch_escalations"),
}


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def request_text(view: RequestView, tr: Tr) -> str:
    message = ""
    if view.message:
        message = tr("intake.message_line", message=_short(view.message, MESSAGE_SHOWN))
    page = ""
    if view.page_url and (not view.message or view.page_url not in view.message):
        page = tr("intake.page_line", page=_short(view.page_url, 300))
    text = tr(
        "intake.new_request",
        form=view.form_name,
        client=view.client or "—",
        contacts=", ".join(view.contacts),
        message=Html(message),
        page=Html(page),
        deal=view.deal_id,
    )
    if view.claimed_by:
        text += "\n\n" + tr("intake.claimed_by", name=view.claimed_by)
    return text


def request_markup(view: RequestView, tr: Tr) -> InlineKeyboardMarkup | None:
    if view.claimed_by:
        return None
    builder = InlineKeyboardBuilder()
    builder.button(
        text=tr("intake.claim_button"), callback_data=ClaimCb(request_id=view.request_id)
    )
    return builder.as_markup()


def escalation_text(view: RequestView, minutes: int, tr: Tr) -> str:
    client = view.client or (view.contacts[0] if view.contacts else "—")
    return tr(
        "intake.escalation", minutes=minutes, form=view.form_name, client=client, deal=view.deal_id
    )


def known_contact_text(view: RequestView, title: str, message: str | None, tr: Tr) -> str:
    line = tr("intake.message_line", message=_short(message, MESSAGE_SHOWN)) if message else ""
    return tr(
        "intake.known_contact",
        form=view.form_name,
        deal=view.deal_id,
        title=title,
        message=Html(line),
    )


def won_text(deal: Deal, owner_name: str, tr: Tr) -> str:
    amount = fmt_amount(deal.amount, deal.currency)
    return tr(
        "feed.won",
        deal=deal.id,
        title=deal.title,
        owner=owner_name,
        amount=Html(tr("feed.amount", amount=amount) if amount else ""),
    )


def forms_text(forms: list[FormView], tr: Tr) -> str:
    if not forms:
        return tr("intake.forms_empty")
    none = tr("intake.form_none")
    rows = [
        tr(
            "intake.form_row",
            number=str(index),
            name=view.form.name,
            team=view.team or none,
            source=view.source or none,
            pipeline=view.pipeline or none,
        )
        for index, view in enumerate(forms, start=1)
    ]
    return "\n".join([tr("intake.forms_title", n=len(forms)), *rows, "", tr("intake.forms_hint")])


def forms_markup(forms: list[FormView], tr: Tr) -> InlineKeyboardMarkup | None:
    if not forms:
        return None
    builder = InlineKeyboardBuilder()
    for view in forms[:50]:
        name = _short(view.form.name, 40)
        builder.button(
            text=tr("intake.revoke_button", name=name), callback_data=FormCb(form_id=view.form.id)
        )
    builder.adjust(1)
    return builder.as_markup()


def feed_markup(chat: TeamChat, tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for switch, (attr, label) in SWITCH_FIELDS.items():
        key = "feed.on" if getattr(chat, attr) else "feed.off"
        builder.button(text=tr(key, name=tr(label)), callback_data=FeedCb(switch=switch))
    builder.adjust(1)
    return builder.as_markup()
