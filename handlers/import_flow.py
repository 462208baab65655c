"""/import and a spreadsheet sent outside any flow: mapping, dry run, then the import itself.

The file stays with Telegram: the conversation keeps its file_id, headers and mapping (not the
rows), and each step that needs the rows downloads and reads the file again, so a 10,000-row
file never sits in the conversation state. A document that replies to a deal card is the
attach feature's, not an import. Parsing runs in a worker thread (it is CPU work: other chats
must not wait for it). The writes go in batches, each committed on its own (see
models/services/imports.py for what happens after a crash)."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import time
from dataclasses import dataclass
from typing import Any

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command, Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Document, Message, TelegramObject

from bot.callbacks.imports import ImportAction, ImportCb
from bot.i18n import Html, Tr
from bot.middlewares.db import DuplicateUpdate, commit_update
from bot.render.import_view import rejected_csv, render_columns, render_fields, render_summary
from bot.settings import Settings
from handlers.stats import edit_or_send
from models.crm import Crm
from models.import_columns import MULTI_FIELDS, ImportField, auto_mapping
from models.import_files import ImportFileError, Table, fingerprint, kind_of, read_table
from models.import_rows import RowDraft
from models.services.imports import BATCH, ImportPlan, Imports
from models.users import User

logger = logging.getLogger(__name__)

DATA_KEY = "import"
PROGRESS_EVERY = 1.0  # seconds between two progress edits (Telegram throttles edits too)


class ImportStates(StatesGroup):
    waiting = State()  # after /import: the next document is the file
    review = State()  # the dry run is shown


class SpreadsheetDocument(Filter):
    """A document outside other flows: a spreadsheet by name, or anything after /import.
    A reply (to a deal card) belongs to the attach feature."""

    async def __call__(self, event: TelegramObject, raw_state: str | None = None) -> bool:
        if not isinstance(event, Message) or event.document is None:
            return False
        if event.reply_to_message is not None:
            return False
        if raw_state == ImportStates.waiting.state:
            return True
        if raw_state not in (None, ImportStates.review.state):
            return False
        return kind_of(event.document.file_name, event.document.mime_type) is not None


@dataclass
class Loaded:
    table: Table
    mapping: list[ImportField | None]
    plan: ImportPlan


def _mapping(data: dict[str, Any]) -> list[ImportField | None]:
    return [ImportField(f) if f else None for f in data["map"]]


def _columns_text(tr: Tr) -> str:
    return ", ".join(tr(f"import.field.{int(f)}") for f in ImportField)


async def import_command(message: Message, state: FSMContext, user: User, tr: Tr,
                         settings: Settings) -> None:  # fmt: skip
    Imports.check_allowed(user)
    await state.clear()
    await state.set_state(ImportStates.waiting)
    await message.answer(
        tr("import.help", columns=Html(_columns_text(tr)), rows=settings.import_max_rows,
           mb=settings.import_max_file_mb)
    )  # fmt: skip


async def _download(bot: Bot, file_id: str) -> bytes:
    buffer = io.BytesIO()
    await bot.download(file_id, destination=buffer)
    return buffer.getvalue()


async def _read(bot: Bot, file_id: str, name: str, settings: Settings) -> tuple[bytes, Table]:
    data = await _download(bot, file_id)
    table = await asyncio.to_thread(read_table, data, name, settings.import_max_rows)
    return data, table


async def document_sent(
    message: Message, bot: Bot, state: FSMContext, crm: Crm, user: User, tr: Tr,
    settings: Settings,
) -> None:  # fmt: skip
    Imports.check_allowed(user)  # a manager is told politely, nothing is downloaded
    document: Document = message.document  # type: ignore[assignment]  # the filter checked
    name = document.file_name or "file"
    await state.clear()
    limit = settings.import_max_file_mb * 1024 * 1024
    if document.file_size is not None and document.file_size > limit:
        await message.answer(tr("import.too_big", mb=settings.import_max_file_mb))
        return
    if kind_of(name, document.mime_type) == "xls":
        await message.answer(tr("import.err.old_xls"))
        return
    try:
        data, table = await _read(bot, document.file_id, name, settings)
    except ImportFileError as exc:
        await message.answer(tr(f"import.err.{exc.reason}", **exc.params))
        return
    except TelegramAPIError:
        await message.answer(tr("import.download_failed"))
        return
    mapping = auto_mapping(table.headers)
    sha = fingerprint(data)
    plan = await crm.imports.dry_run(user, table, mapping, sha)
    token = message.message_id
    await state.set_state(ImportStates.review)
    await state.update_data(
        {DATA_KEY: {"t": token, "file_id": document.file_id, "name": name[:200], "sha": sha,
                    "headers": table.headers, "map": [int(f or 0) for f in mapping]}}
    )  # fmt: skip
    text, markup = render_summary(name, table, mapping, plan, token, tr, user.timezone)
    await message.answer(text, reply_markup=markup)


async def _current(query: CallbackQuery, cb: ImportCb, state: FSMContext, tr: Tr) -> dict | None:
    data = (await state.get_data()).get(DATA_KEY)
    if not isinstance(data, dict) or data.get("t") != cb.t:
        await query.answer(tr("import.stale"), show_alert=True)
        return None
    return data


async def _load(bot: Bot, crm: Crm, user: User, data: dict[str, Any], settings: Settings) -> Loaded:
    _bytes, table = await _read(bot, data["file_id"], data["name"], settings)
    mapping = _mapping(data)
    plan = await crm.imports.dry_run(user, table, mapping, data["sha"])
    return Loaded(table, mapping, plan)


async def import_pressed(
    query: CallbackQuery, callback_data: ImportCb, bot: Bot, state: FSMContext, crm: Crm,
    user: User, tr: Tr, settings: Settings,
) -> None:  # fmt: skip
    Imports.check_allowed(user)  # the role may have changed since the file was sent
    data = await _current(query, callback_data, state, tr)
    if data is None:
        return
    action, token = callback_data.action, callback_data.t
    headers: list[str] = data["headers"]
    if action is ImportAction.cancel:
        await state.clear()
        await query.answer()
        await edit_or_send(query, bot, tr("import.cancelled"), None)
        return
    if action is ImportAction.columns:
        await query.answer()
        text, markup = render_columns(headers, _mapping(data), token, tr)
        await edit_or_send(query, bot, text, markup)
        return
    picks_column = action in (ImportAction.column, ImportAction.set_field)
    if picks_column and callback_data.col >= len(headers):
        await query.answer(tr("import.stale"), show_alert=True)
        return
    if action is ImportAction.column:
        await query.answer()
        text, markup = render_fields(headers[callback_data.col], callback_data.col, token, tr)
        await edit_or_send(query, bot, text, markup)
        return
    if action is ImportAction.set_field:
        if callback_data.f and callback_data.f not in ImportField._value2member_map_:
            await query.answer(tr("import.stale"), show_alert=True)
            return
        data["map"] = _set_field(data["map"], callback_data.col, callback_data.f)
        await state.update_data({DATA_KEY: data})
    await query.answer()
    try:
        loaded = await _load(bot, crm, user, data, settings)
    except (ImportFileError, TelegramAPIError) as exc:
        # The file can no longer be had or read (Telegram lost it): start again with it.
        await state.clear()
        if isinstance(exc, ImportFileError):
            text = tr(f"import.err.{exc.reason}", **exc.params)
        else:
            text = tr("import.download_failed")
        await edit_or_send(query, bot, text, None)
        return
    if action is ImportAction.confirm:
        await _run(query, bot, state, crm, user, tr, data, loaded)
        return
    text, markup = render_summary(
        data["name"], loaded.table, loaded.mapping, loaded.plan, token, tr, user.timezone
    )
    await edit_or_send(query, bot, text, markup)


def _set_field(mapping: list[int], column: int, field: int) -> list[int]:
    """A field that takes one column leaves the column it had."""
    out = list(mapping)
    if field and ImportField(field) not in MULTI_FIELDS:
        out = [0 if f == field else f for f in out]
    out[column] = field
    return out


async def _run(
    query: CallbackQuery, bot: Bot, state: FSMContext, crm: Crm, user: User, tr: Tr,
    data: dict[str, Any], loaded: Loaded,
) -> None:  # fmt: skip
    plan, name = loaded.plan, data["name"]
    if not plan.to_create:
        # Imported meanwhile (the same file by someone else), or nothing left: say so.
        text, markup = render_summary(
            name, loaded.table, loaded.mapping, plan, data["t"], tr, user.timezone
        )
        await edit_or_send(query, bot, text, markup)
        return
    await state.clear()  # its buttons are stale from now on, also if this run fails
    drafts = plan.to_create
    imports = crm.imports
    run = await imports.start(user, data["sha"], name)
    total, done = len(drafts), 0
    last_row = max((n for n, _ in loaded.table.rows), default=0)
    await _progress(query, bot, tr("import.progress", name=name, done=0, total=total))
    shown = time.monotonic()
    try:
        for start in range(0, total, BATCH):
            batch: list[RowDraft] = drafts[start : start + BATCH]
            end = start + BATCH >= total
            up_to = last_row + 1 if end else drafts[start + BATCH].number
            done += await imports.write_batch(user, run, batch, up_to)
            if end:
                await imports.finish(run)
            await commit_update(crm.session)  # each batch its own transaction
            if not end and time.monotonic() - shown >= PROGRESS_EVERY:
                text = tr("import.progress", name=name, done=done, total=total)
                await _progress(query, bot, text)
                shown = time.monotonic()
    except DuplicateUpdate:
        raise  # the same press delivered twice: the middleware ends it silently
    except Exception as exc:
        # Written batches stay; the same file sent again goes on from the first row not written.
        logger.error("import run %s interrupted after %s deals", run.id, done, exc_info=exc)
        await crm.session.rollback()
        await _progress(query, bot, tr("import.interrupted", name=name, done=done, total=total))
        return
    skipped = len(plan.rejected)
    await _progress(query, bot, tr("import.finished", name=name, n=done, skipped=skipped))
    if plan.rejected:
        chat_id = query.message.chat.id if query.message else query.from_user.id
        file = BufferedInputFile(rejected_csv(loaded.table, plan, tr), filename="rejected.csv")
        await bot.send_document(chat_id, file, caption=tr("import.rejected_file"))


async def _progress(query: CallbackQuery, bot: Bot, text: str) -> None:
    # A progress line that could not be shown must not stop the import.
    with contextlib.suppress(TelegramBadRequest):
        await edit_or_send(query, bot, text, None)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(import_command, Command("import"))
    router.message.register(document_sent, SpreadsheetDocument())
    router.callback_query.register(import_pressed, ImportCb.filter())
    return router
