"""The stale mark of a deal ("💤 12 дней без контакта") and the stale block of the digest and
of the lead's summary. Pure functions."""

from __future__ import annotations

import datetime as dt

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import DealAction, DealCb
from bot.i18n import Tr
from bot.keyboards.buttons import button, pack
from bot.render.format import clip, esc
from models.deals import Deal
from models.services.staleness import StaleList
from models.staleness import days_stale

TITLE_IN_LINE = 60
TITLE_ON_BUTTON = 32
DIGEST_BUTTONS = 5
SUMMARY_WORST = 5
# Telegram counts 4096 visible characters; the HTML we measure is longer, so this is safe.
TEXT_LIMIT = 4096
MORE_RESERVE = 120  # the title and the "and N more" tail


def deal_stale_days(deal: Deal, today: dt.date, timezone: str) -> int | None:
    """Days without contact of a deal loaded with its stage, when past the stage's limit."""
    return days_stale(deal.status, deal.stage.stale_days, deal.last_contact_at, today, timezone)


def stale_mark(deal: Deal, today: dt.date, timezone: str, tr: Tr) -> str:
    days = deal_stale_days(deal, today, timezone)
    return tr("stale.mark", days=days) if days is not None else ""


def stale_lines(stale: StaleList, tr: Tr, room: int = TEXT_LIMIT) -> tuple[list[str], int]:
    """The block's lines within ``room`` characters, and how many deals they name."""
    lines = [tr("stale.digest_title", count=stale.total)]
    size = len(lines[0]) + MORE_RESERVE
    shown = 0
    for deal in stale.deals:
        line = f"• <b>#{deal.id}</b> {esc(clip(deal.title, TITLE_IN_LINE))} · " + tr(
            "stale.mark", days=deal.days
        )
        if size + len(line) + 1 > room:
            break
        lines.append(line)
        size += len(line) + 1
        shown += 1
    if stale.total > shown:
        lines.append(tr("stale.more", count=stale.total - shown))
    return lines, shown


def with_stale_block(
    text: str, markup: InlineKeyboardMarkup | None, stale: StaleList, tr: Tr
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The digest with its stale block below (within Telegram's 4096 characters) and a
    button for each of the first deals named."""
    room = TEXT_LIMIT - len(text) - 2
    if room < MORE_RESERVE * 2:  # a full digest: the count alone
        return text + "\n\n" + tr("stale.digest_title", count=stale.total), markup
    lines, shown = stale_lines(stale, tr, room)
    text = text + "\n\n" + "\n".join(lines)
    rows = list(markup.inline_keyboard) if markup else []
    for deal in stale.deals[: min(shown, DIGEST_BUTTONS)]:
        label = "💤 " + clip(deal.title, TITLE_ON_BUTTON)
        rows.append([button(label, pack(DealCb, action=DealAction.open, deal_id=deal.id))])
    return text, InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def open_button(deal_id: int, label: str) -> InlineKeyboardButton:
    return button(label, pack(DealCb, action=DealAction.open, deal_id=deal_id))


def summary_stale_lines(stale: StaleList, names: dict[int, str], tr: Tr) -> list[str]:
    """The lead's summary: the team's count and the worst ones."""
    lines = [tr("stale.summary_title", count=stale.total)]
    for deal in stale.deals[:SUMMARY_WORST]:
        lines.append(
            tr(
                "stale.summary_line",
                deal_id=deal.id,
                title=clip(deal.title, TITLE_IN_LINE),
                owner=clip(names.get(deal.owner_id, ""), TITLE_IN_LINE),
                mark=tr("stale.mark", days=deal.days),
            )
        )
    if stale.total > min(len(stale.deals), SUMMARY_WORST):
        lines.append(tr("stale.more", count=stale.total - min(len(stale.deals), SUMMARY_WORST)))
    return lines
