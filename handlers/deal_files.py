"""Files on a deal: a document, photo or voice note sent as a reply to a deal card, or after
the card's 📎 button, is attached to that deal; 📎 lists the files (a tap re-sends one by its
file_id), a file can be deleted (an audit event).

Which deal a replied card shows: the deal id in the callback data of the card's own buttons
(DealCb edit / history / delete / restore, or our 📎 button), and only when the title line
"#12 · ..." is all there is (the card shows a picker) that line. The buttons are data the bot
wrote itself, typed and range-checked, and unlike the text no notice, note or translation can
change them; remembering card message ids per chat instead would need a write in every one
of the dozen places that send or edit a card (other features' code) and a table that grows
with every card ever shown.

Outside any deal (no FSM state, not a reply to a card) a document or a voice note gets a hint
on how to attach it, except a spreadsheet (.xlsx/.xls/.csv): that is an import, for the
import-export feature's router after this one (``OutsideFile`` lets it through)."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.callbacks import DealAction, DealCb
from bot.callbacks.files import FileAct, FileCb
from bot.i18n import Tr
from bot.keyboards.buttons import button, pack
from bot.render.format import clip, fmt_short_date
from handlers.cards import edit_card_by_id
from handlers.work_flow import PlainText, Work, card_deal_id, pressed_id
from models.crm import Crm
from models.files import DealFile, FileKind
from models.services.deal_files import IncomingFile, is_spreadsheet
from models.timeutil import local_now
from models.users import User

NAME_ON_BUTTON = 40
# Buttons that only a deal card carries (a list or a digest has "open" buttons of many deals).
_CARD_ACTIONS = frozenset(
    {DealAction.edit, DealAction.history, DealAction.delete, DealAction.restore}
)


class FilesFlow(StatesGroup):
    attach = State()  # data: deal_id, msg_id (the card showing the file list), at (ISO UTC)


# How long after 📎 a file sent (not as a reply) still goes to that deal: the state outlives
# a user who tapped 📎 and went on to other work; a PDF sent an hour later is not meant for it.
ATTACH_WINDOW = dt.timedelta(minutes=30)


# -- reading a message -----------------------------------------------------------------------


def incoming_of(message: Message) -> IncomingFile | None:
    """The document, photo (its largest size) or voice note of a message, if any."""
    if message.document is not None:
        d = message.document
        return IncomingFile(
            FileKind.document, d.file_id, d.file_unique_id, d.file_name, d.mime_type, d.file_size
        )
    if message.photo:
        p = message.photo[-1]
        return IncomingFile(
            FileKind.photo, p.file_id, p.file_unique_id, None, "image/jpeg", p.file_size
        )
    if message.voice is not None:
        v = message.voice
        return IncomingFile(
            FileKind.voice, v.file_id, v.file_unique_id, None, v.mime_type, v.file_size
        )
    return None


def _other_media(message: Message) -> bool:
    """Media we do not keep (video, audio, stickers...): told what can be attached."""
    return any(
        getattr(message, kind) is not None
        for kind in ("video", "audio", "video_note", "animation", "sticker")
    )


def replied_deal_id(message: Message, bot_id: int) -> int | None:
    """The deal of the bot's card this message replies to (see the module's docstring)."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != bot_id:
        return None
    ids: set[int] = set()
    markup = replied.reply_markup
    for row in markup.inline_keyboard if markup else []:
        for b in row:
            data = b.callback_data or ""
            with contextlib.suppress(ValueError, TypeError):
                if data.startswith("d:"):
                    deal = DealCb.unpack(data)
                    if deal.action in _CARD_ACTIONS:
                        ids.add(deal.deal_id)
                elif data.startswith("fi:"):
                    ids.add(FileCb.unpack(data).deal_id)
    if len(ids) == 1:
        return ids.pop()
    return card_deal_id(replied) if not ids else None


class FileToCard(Filter):
    """A document, photo or voice note replying to a deal card: injects ``card_deal_id``."""

    async def __call__(self, message: Message, bot: Bot) -> bool | dict[str, Any]:
        if incoming_of(message) is None and not _other_media(message):
            return False
        deal_id = replied_deal_id(message, bot.id)
        return {"card_deal_id": deal_id} if deal_id is not None else False


class OutsideFile(Filter):
    """A document or voice note (or photo) outside any deal, a spreadsheet excepted."""

    async def __call__(self, message: Message) -> bool:
        if message.document is not None:
            return not is_spreadsheet(message.document.file_name)
        return bool(message.photo) or message.voice is not None


# -- showing ---------------------------------------------------------------------------------


def file_label(row: DealFile, tr: Tr, timezone: str) -> str:
    if row.name:
        return row.name
    day = fmt_short_date(local_now(row.created_at, timezone).date(), tr)
    return tr("files.photo" if row.kind is FileKind.photo else "files.voice", date=day)


def _icon(row: DealFile) -> str:
    return {FileKind.photo: "🖼", FileKind.voice: "🎤"}.get(row.kind, "📄")


def _size(row: DealFile) -> str:
    if not row.size:
        return ""
    kb = row.size / 1024
    return f" · {kb / 1024:.1f} MB" if kb >= 1024 else f" · {max(1, round(kb))} KB"


def panel_keyboard(deal_id: int, files: list[DealFile], tr: Tr, tz: str) -> InlineKeyboardMarkup:
    def cb(act: FileAct, file_id: int = 0) -> str:
        return pack(FileCb, act=act, deal_id=deal_id, file_id=file_id)

    rows: list[list[InlineKeyboardButton]] = []
    for row in files:
        label = f"{_icon(row)} {clip(file_label(row, tr, tz), NAME_ON_BUTTON)}{_size(row)}"
        rows.append(
            [
                button(label, cb(FileAct.send, row.id)),
                button(tr("files.btn_delete"), cb(FileAct.ask_delete, row.id)),
            ]
        )
    rows.append([button(tr("files.btn_close"), cb(FileAct.close))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def show_panel(
    work: Work, message_id: int | None, deal_id: int, *, before: str | None = None
) -> int:
    """The card with the file list in place of its buttons; the next file sent attaches."""
    deal, files = await work.crm.files.of_deal(work.user, deal_id)
    total = await work.crm.files.count(deal.id)
    tr = work.tr
    notice = tr("files.panel", n=total) if total else tr("files.panel_empty")
    if total > len(files):
        notice += "\n" + tr("files.more", n=len(files))
    if before:
        notice = f"{before}\n{notice}"
    markup = panel_keyboard(deal.id, files, tr, work.user.timezone)
    shown = await work.show(message_id, deal.id, notice=notice, markup=markup)
    await work.state.set_state(FilesFlow.attach)
    at = work.crm.clock().isoformat()
    await work.state.set_data({"deal_id": deal.id, "msg_id": shown, "at": at})
    return shown


async def _attach(work: Work, deal_id: int, message: Message) -> DealFile | None:
    incoming = incoming_of(message)
    if incoming is None:
        await message.answer(work.tr("files.unsupported"))
        return None
    row = await work.crm.files.attach(work.user, deal_id, incoming)  # may refuse
    name = file_label(row, work.tr, work.user.timezone)
    await message.answer(work.tr("files.attached", id=deal_id, name=name))
    return row


# -- messages --------------------------------------------------------------------------------


async def file_replied(
    message: Message,
    card_deal_id: int,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    work = Work.of(message, bot, crm, user, tr, state)
    if await _attach(work, card_deal_id, message) is None:
        return
    data = await state.get_data()
    if await state.get_state() == FilesFlow.attach.state and data.get("deal_id") == card_deal_id:
        await show_panel(work, data.get("msg_id"), card_deal_id)
        return
    card_id = message.reply_to_message.message_id if message.reply_to_message else None
    await edit_card_by_id(bot, message.chat.id, card_id, crm, user, tr, card_deal_id)


async def file_in_panel(
    message: Message, bot: Bot, crm: Crm, user: User, tr: Tr, state: FSMContext
) -> None:
    work = Work.of(message, bot, crm, user, tr, state)
    data = await state.get_data()
    opened = dt.datetime.fromisoformat(data.get("at") or "2000-01-01T00:00:00+00:00")
    if crm.clock() - opened > ATTACH_WINDOW:  # 📎 was long ago: not meant for that deal
        await state.clear()
        await message.answer(tr("files.how_to"))
        return
    if await _attach(work, data["deal_id"], message) is not None:
        await show_panel(work, data.get("msg_id"), data["deal_id"])


async def text_in_panel(message: Message, tr: Tr) -> None:
    await message.answer(tr("files.expected"))


async def file_outside(message: Message, tr: Tr) -> None:
    await message.answer(tr("files.how_to"))


# -- buttons ---------------------------------------------------------------------------------


async def file_button(
    query: CallbackQuery,
    callback_data: FileCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    state: FSMContext,
) -> None:
    work = Work.of(query, bot, crm, user, tr, state)
    act, message_id = callback_data.act, pressed_id(query)
    if act is FileAct.panel:
        await crm.deals.get_for(user, callback_data.deal_id, for_edit=True)  # may refuse
        await query.answer()
        await show_panel(work, message_id, callback_data.deal_id)
        return
    if act is FileAct.close:
        await crm.deals.get_for(user, callback_data.deal_id)
        await query.answer()
        if await state.get_state() == FilesFlow.attach.state:
            await state.clear()
        await work.show(message_id, callback_data.deal_id)
        return
    if act is FileAct.send:
        row = await crm.files.get_for(user, callback_data.file_id)
        await query.answer()
        await _send(bot, work.chat_id, row, file_label(row, tr, user.timezone))
        return
    if act is FileAct.ask_delete:
        row = await crm.files.get_for(user, callback_data.file_id, for_edit=True)
        await query.answer()
        name = file_label(row, tr, user.timezone)
        yes = pack(FileCb, act=FileAct.delete, deal_id=row.deal_id, file_id=row.id)
        no = pack(FileCb, act=FileAct.panel, deal_id=row.deal_id, file_id=0)
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [button(tr("files.btn_yes_delete"), yes), button(tr("files.btn_no"), no)]
            ]
        )
        await work.show(
            message_id, row.deal_id, notice=tr("files.ask_delete", name=name), markup=markup
        )
        return
    row = await crm.files.delete(user, callback_data.file_id)  # a second tap: "file.gone"
    name = file_label(row, tr, user.timezone)
    await query.answer(tr("files.deleted", name=name))
    await show_panel(work, message_id, row.deal_id)


async def _send(bot: Bot, chat_id: int, row: DealFile, caption: str) -> None:
    if row.kind is FileKind.photo:
        await bot.send_photo(chat_id, row.file_id, caption=caption)
    elif row.kind is FileKind.voice:
        await bot.send_voice(chat_id, row.file_id, caption=caption)
    else:
        await bot.send_document(chat_id, row.file_id)


def build_router() -> Router:
    router = Router(name=__name__)
    # Private chats only: in a group (a team feed) a typed phone or a file must not make the
    # bot show deals or keep files for whoever is in the group.
    router.message.filter(F.chat.type == "private")
    router.callback_query.register(file_button, FileCb.filter())
    # Only outside any flow, or in our own 📎 state: another wizard's input stays its own.
    mine = StateFilter(None, FilesFlow.attach)
    router.message.register(file_replied, mine, FileToCard())
    router.message.register(file_in_panel, StateFilter(FilesFlow.attach), ~F.text)
    router.message.register(text_in_panel, StateFilter(FilesFlow.attach), PlainText())
    router.message.register(file_outside, StateFilter(None), OutsideFile())
    return router
