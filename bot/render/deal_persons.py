"""Views of a deal's contact persons and labelled links: the list, one person, prompts, the
links; and their compact block on the deal card. Pure functions: text + markup."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.editing import EditAction, EditCb
from bot.callbacks.persons import PersonAction, PersonCb
from bot.i18n import Tr
from bot.render.format import clip, esc
from models.contacts import ContactKind, contact_link
from models.deals import Deal, DealPerson
from models.services.deal_persons import MAX_PERSON_NAME, DealPersons

View = tuple[str, InlineKeyboardMarkup]
TITLE_PREVIEW = 80
BUTTON_PREVIEW = 40


def _button(text: str, data: PersonCb | EditCb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _cb(action: PersonAction, deal: Deal, person: int = 0, item: int = 0) -> PersonCb:
    return PersonCb(action=action, deal_id=deal.id, v=deal.version, person=person, item=item)


def _markup(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row])


def _to_menu(deal: Deal, tr: Tr) -> list[InlineKeyboardButton]:
    menu = EditCb(action=EditAction.menu, deal_id=deal.id, v=deal.version)
    close = EditCb(action=EditAction.close, deal_id=deal.id, v=deal.version)
    return [_button(tr("common.back"), menu), _button(tr("edit.btn_to_card"), close)]


def _with_notice(notice: str | None, lines: list[str]) -> str:
    return "\n".join([notice, "", *lines] if notice else lines)


def edit_menu_row(deal: Deal, tr: Tr) -> list[InlineKeyboardButton]:
    """The row the deal's edit menu shows for persons and links."""
    return [
        _button(tr("persons.btn_menu"), _cb(PersonAction.list, deal)),
        _button(tr("persons.btn_links"), _cb(PersonAction.links, deal)),
    ]


# -- the card --------------------------------------------------------------------------------
def card_lines(deal: Deal, tr: Tr) -> list[str]:
    """Links, then one or two short lines per person: name, position; phones as bare numbers
    (Telegram makes them tappable) and e-mails."""
    lines = []
    for link in DealPersons.links(deal):
        href = esc(contact_link(ContactKind.url, link.normalized)).replace('"', "&quot;")
        lines.append(f'🔗 {esc(link.label or "")}: <a href="{href}">{esc(link.value)}</a>')
    for person in deal.persons:
        head = f"🧑‍💼 <b>{esc(person.name)}</b>"
        if person.position:
            head += f", {esc(person.position)}"
        lines.append(head)
        own = DealPersons.contacts_of(deal, person.id)
        values = [esc(c.value) for c in sorted(own, key=lambda c: c.kind is not ContactKind.phone)]
        if values:
            lines.append("      " + " · ".join(values))
    return lines


# -- persons ---------------------------------------------------------------------------------
def persons_view(deal: Deal, tr: Tr, notice: str | None = None) -> View:
    lines = [tr("persons.list", id=deal.id, title=clip(deal.title, TITLE_PREVIEW))]
    rows = []
    for person in deal.persons:
        position = f", {person.position}" if person.position else ""
        count = len(DealPersons.contacts_of(deal, person.id))
        lines.append(tr("persons.row", name=person.name, position=position, contacts=count))
        label = "✏️ " + clip(person.name, BUTTON_PREVIEW)
        rows.append([_button(label, _cb(PersonAction.open, deal, person.id))])
    if not deal.persons:
        lines.append(tr("persons.none"))
    rows.append([_button(tr("persons.btn_add"), _cb(PersonAction.add, deal))])
    rows.append(_to_menu(deal, tr))
    return _with_notice(notice, lines), _markup(rows)


def person_view(deal: Deal, person: DealPerson, tr: Tr, notice: str | None = None) -> View:
    lines = [tr("persons.card", name=person.name, id=deal.id)]
    if person.position:
        lines.append(tr("persons.position", position=person.position))
    contacts = DealPersons.contacts_of(deal, person.id)
    icons = {ContactKind.phone: "📞", ContactKind.email: "✉️"}
    lines += [f"{icons.get(c.kind, '🔗')} {esc(c.value)}" for c in contacts]
    if not contacts:
        lines.append(tr("persons.no_contacts"))
    pid = person.id
    rows = [
        [
            _button(tr("persons.btn_rename"), _cb(PersonAction.rename, deal, pid)),
            _button(tr("persons.btn_position"), _cb(PersonAction.position, deal, pid)),
        ],
        [_button(tr("persons.btn_add_contact"), _cb(PersonAction.add_contact, deal, pid))],
    ]
    for contact in contacts:
        text = tr("persons.btn_remove_contact", value=clip(contact.value, BUTTON_PREVIEW))
        rows.append([_button(text, _cb(PersonAction.remove_contact, deal, pid, contact.id))])
    rows.append([_button(tr("persons.btn_remove"), _cb(PersonAction.remove, deal, pid))])
    rows.append([_button(tr("persons.btn_all"), _cb(PersonAction.list, deal))])
    return _with_notice(notice, lines), _markup(rows)


def remove_confirm(deal: Deal, person: DealPerson, tr: Tr) -> View:
    rows = [
        [
            _button(tr("persons.btn_remove_yes"), _cb(PersonAction.remove_yes, deal, person.id)),
            _button(tr("common.back"), _cb(PersonAction.open, deal, person.id)),
        ]
    ]
    return tr("persons.ask_remove", name=person.name, id=deal.id), _markup(rows)


def person_prompt(
    deal: Deal, person: DealPerson | None, action: PersonAction, tr: Tr
) -> View:
    """The prompt of a typed value: a new person's name (``person`` None), a new name, a
    position or a contact."""
    back = _cb(PersonAction.open, deal, person.id) if person else _cb(PersonAction.list, deal)
    rows = []
    if person is None:
        text = tr("persons.ask_name", limit=MAX_PERSON_NAME)
    elif action is PersonAction.rename:
        text = tr("persons.ask_rename", current=person.name)
    elif action is PersonAction.position:
        text = tr("persons.ask_position", name=person.name, current=person.position or "—")
        if person.position:
            clear = _cb(PersonAction.clear_position, deal, person.id)
            rows.append([_button(tr("persons.btn_clear_position"), clear)])
    else:
        text = tr("persons.ask_contact", name=person.name)
    rows.append([_button(tr("common.back"), back)])
    return text, _markup(rows)


# -- links -----------------------------------------------------------------------------------
def links_view(deal: Deal, tr: Tr, notice: str | None = None) -> View:
    lines = [tr("persons.links", id=deal.id, title=clip(deal.title, TITLE_PREVIEW))]
    rows = []
    links = DealPersons.links(deal)
    for link in links:
        lines.append(f"🔗 {esc(link.label or '')}: {esc(link.value)}")
        text = tr(
            "persons.btn_remove_link",
            label=clip(link.label or "", 20),
            value=clip(link.value, BUTTON_PREVIEW - 20),
        )
        rows.append([_button(text, _cb(PersonAction.remove_link, deal, item=link.id))])
    lines.append(tr("persons.links_hint") if links else tr("persons.links_none"))
    rows.append([_button(tr("persons.btn_add_link"), _cb(PersonAction.add_link, deal))])
    rows.append(_to_menu(deal, tr))
    return _with_notice(notice, lines), _markup(rows)


def link_prompt(deal: Deal, tr: Tr) -> View:
    return tr("persons.ask_link"), _markup(
        [[_button(tr("common.back"), _cb(PersonAction.links, deal))]]
    )
