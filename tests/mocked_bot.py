"""An in-process Telegram: a Bot API session that records every method the bot calls and
answers the way Telegram does (message ids, edits, "message is not modified", HTML parsing,
length and callback-data limits), after aiogram's own tests/mocked_bot.py."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import html
import itertools
from collections import deque
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiogram import Bot
from aiogram.client.default import Default, DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteMessage,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
    GetMe,
    GetUpdates,
    SendDocument,
    SendMessage,
    SendPhoto,
    SendVoice,
    TelegramMethod,
)
from aiogram.types import (
    BufferedInputFile,
    Chat,
    File,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    PhotoSize,
    ReplyKeyboardMarkup,
    Update,
    User,
)

BOT_ID = 4242
BOT_USERNAME = "dealbot_test_bot"
TOKEN = f"{BOT_ID}:TEST-token-abcdefghijklmnopqrstuvwxyz"
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}


class _TelegramHtml(HTMLParser):
    """Telegram's HTML parse mode: a small tag set, balanced, or "can't parse entities"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.error = f'unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.error = f'unmatched end tag "{tag}"'

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_html(text: str) -> str:
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.error or parser.stack:
        raise ValueError(parser.error or f'unclosed tag "{parser.stack[-1]}"')
    return "".join(parser.text)


@dataclass
class SentMessage:
    """A message as the chat shows it now (after any edits)."""

    chat_id: int
    message_id: int
    html: str
    text: str
    reply_markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | None = None
    photo: bool = False
    document_name: str | None = None
    file_id: str | None = None  # what a send_document / send_photo / send_voice sent
    voice: bool = False
    document_bytes: bytes | None = None  # what a sent BufferedInputFile held
    edits: int = 0
    deleted: bool = False

    def buttons(self) -> list[list[str]]:
        if not isinstance(self.reply_markup, InlineKeyboardMarkup):
            return []
        return [[b.text for b in row] for row in self.reply_markup.inline_keyboard]

    def inline_keyboard(self) -> list[list[InlineKeyboardButton]]:
        assert isinstance(self.reply_markup, InlineKeyboardMarkup), self.reply_markup
        return self.reply_markup.inline_keyboard

    def button_data(self, row: int, column: int) -> str:
        data = self.inline_keyboard()[row][column].callback_data
        assert data is not None, "the button has no callback data"
        return data

    def reply_keyboard(self) -> list[list[KeyboardButton]]:
        assert isinstance(self.reply_markup, ReplyKeyboardMarkup), self.reply_markup
        return self.reply_markup.keyboard


@dataclass
class FakeTelegram:
    """State of the fake server: the chats' messages and every request received."""

    requests: list[TelegramMethod[Any]] = field(default_factory=list)
    messages: dict[tuple[int, int], SentMessage] = field(default_factory=dict)
    errors: deque[Exception] = field(default_factory=deque)
    alerts: list[tuple[str | None, bool]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    # getUpdates as Telegram does it: updates below an offset are confirmed (gone for good),
    # the rest come back on every call until confirmed.
    updates: list[Update] = field(default_factory=list)
    offsets: list[int | None] = field(default_factory=list)  # the offset of every getUpdates
    update_arrived: asyncio.Event = field(default_factory=asyncio.Event)
    # Files users "uploaded": file_id -> contents, served by getFile and the file download.
    files: dict[str, bytes] = field(default_factory=dict)

    def upload(self, file_id: str, data: bytes) -> None:
        self.files[file_id] = data

    def queue_update(self, update: Update) -> None:
        self.updates.append(update)
        self.update_arrived.set()

    async def get_updates(self, method: GetUpdates) -> list[Update]:
        self.offsets.append(method.offset)
        if method.offset is not None:
            self.updates = [u for u in self.updates if u.update_id >= method.offset]
        if not self.updates and method.timeout:
            # Long polling, shortened: tests must not wait the real seconds.
            self.update_arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.update_arrived.wait(), min(method.timeout, 0.05))
        return list(self.updates[: method.limit or 100])

    def chat(self, chat_id: int) -> list[SentMessage]:
        return [m for (c, _), m in sorted(self.messages.items()) if c == chat_id and not m.deleted]


class MockedSession(BaseSession):
    def __init__(self, telegram: FakeTelegram | None = None) -> None:
        super().__init__()
        self.telegram = telegram or FakeTelegram()
        self._bot: Bot | None = None

    async def close(self) -> None:
        pass

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        # The download URL ends with the file_path getFile gave: "files/<file_id>".
        data = self.telegram.files.get(url.rsplit("/files/", 1)[-1], b"")
        for start in range(0, len(data), chunk_size):
            yield data[start : start + chunk_size]

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        self._bot = bot
        self.telegram.requests.append(method)
        if self.telegram.errors:
            raise self.telegram.errors.popleft()
        if isinstance(method, GetUpdates):
            return await self.telegram.get_updates(method)
        return self._answer(bot, method)

    # -- how Telegram answers ------------------------------------------------------------
    def _answer(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        tg = self.telegram
        if isinstance(method, GetFile):
            data = tg.files.get(method.file_id)
            if data is None:
                raise TelegramBadRequest(method, "Bad Request: invalid file_id")
            return File(
                file_id=method.file_id,
                file_unique_id=method.file_id,
                file_size=len(data),
                file_path=f"files/{method.file_id}",
            )
        if isinstance(method, GetMe):
            return User(id=BOT_ID, is_bot=True, first_name="DealBot", username=BOT_USERNAME)
        if isinstance(method, SendMessage):
            body = self._checked_text(method, method.text, method.parse_mode, 4096)
            self._check_markup(method, method.reply_markup)
            return self._store(bot, method, int(method.chat_id), body, method.reply_markup)
        if isinstance(method, SendVoice):
            body = self._checked_text(method, method.caption or "", method.parse_mode, 1024)
            sent = self._store(bot, method, int(method.chat_id), body, method.reply_markup)
            stored = self.telegram.messages[(sent.chat.id, sent.message_id)]
            stored.voice, stored.file_id = True, str(method.voice)
            return sent
        if isinstance(method, SendPhoto | SendDocument):
            caption = method.caption or ""
            body = self._checked_text(method, caption, method.parse_mode, 1024)
            self._check_markup(method, method.reply_markup)
            name, contents = None, None
            if isinstance(method, SendDocument):
                name = getattr(method.document, "filename", None) or "file"
                if isinstance(method.document, BufferedInputFile):
                    contents = method.document.data
            sent = self._store(
                bot,
                method,
                int(method.chat_id),
                body,
                method.reply_markup,
                photo=isinstance(method, SendPhoto),
                document_name=name,
                document_bytes=contents,
            )
            media = method.photo if isinstance(method, SendPhoto) else method.document
            if isinstance(media, str):  # re-sent by file_id
                self.telegram.messages[(sent.chat.id, sent.message_id)].file_id = media
            return sent
        if isinstance(method, EditMessageText | EditMessageReplyMarkup | EditMessageCaption):
            return self._edit(bot, method)
        if isinstance(method, AnswerCallbackQuery):
            tg.alerts.append((method.text, bool(method.show_alert)))
            if method.text and len(method.text) > 200:
                raise TelegramBadRequest(method, "Bad Request: MESSAGE_TOO_LONG")
            return True
        if isinstance(method, DeleteMessage):
            msg = tg.messages.get((int(method.chat_id), method.message_id))
            if msg is None or msg.deleted:
                raise TelegramBadRequest(method, "Bad Request: message to delete not found")
            msg.deleted = True
            return True
        returning = getattr(method, "__returning__", None)
        if returning is bool:
            return True
        raise NotImplementedError(f"the fake Telegram does not know {type(method).__name__}")

    def _checked_text(
        self, method: TelegramMethod[Any], text: str, parse_mode: Any, limit: int
    ) -> tuple[str, str]:
        mode = parse_mode
        if isinstance(mode, Default):  # resolved from the bot's defaults, as aiogram would
            mode = self._bot.default[mode.name] if self._bot else None
        plain = text
        if mode in (ParseMode.HTML, "HTML"):
            try:
                plain = parse_html(text)
            except ValueError as exc:
                raise TelegramBadRequest(
                    method, f"Bad Request: can't parse entities: {exc}"
                ) from None
        if not plain.strip() and not isinstance(method, SendPhoto | SendDocument | SendVoice):
            raise TelegramBadRequest(method, "Bad Request: message text is empty")
        if len(plain) > limit:
            raise TelegramBadRequest(method, "Bad Request: message is too long")
        return text, plain

    def _check_markup(self, method: TelegramMethod[Any], markup: Any) -> None:
        if not isinstance(markup, InlineKeyboardMarkup):
            return
        count = 0
        for row in markup.inline_keyboard:
            if len(row) > 8:
                raise TelegramBadRequest(method, "Bad Request: too many buttons in a row")
            for button in row:
                count += 1
                if not button.text:
                    raise TelegramBadRequest(method, "Bad Request: button text is empty")
                data = button.callback_data
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise TelegramBadRequest(method, "Bad Request: BUTTON_DATA_INVALID")
        if count > 100:
            raise TelegramBadRequest(method, "Bad Request: reply markup is too long")

    def _store(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        chat_id: int,
        body: tuple[str, str],
        markup: Any,
        *,
        photo: bool = False,
        document_name: str | None = None,
        document_bytes: bytes | None = None,
    ) -> Message:
        message_id = next(self.telegram._ids)
        sent = SentMessage(
            chat_id=chat_id,
            message_id=message_id,
            html=body[0],
            text=body[1],
            reply_markup=markup,
            photo=photo,
            document_name=document_name,
            document_bytes=document_bytes,
        )
        self.telegram.messages[(chat_id, message_id)] = sent
        return self.as_message(bot, sent)

    def _edit(self, bot: Bot, method: Any) -> Message:
        key = (int(method.chat_id), method.message_id)
        msg = self.telegram.messages.get(key)
        if msg is None or msg.deleted:
            raise TelegramBadRequest(method, "Bad Request: message to edit not found")
        new_html, new_text = msg.html, msg.text
        if isinstance(method, EditMessageText):
            new_html, new_text = self._checked_text(
                method, method.text or "", method.parse_mode, 4096
            )
        elif isinstance(method, EditMessageCaption):
            new_html, new_text = self._checked_text(
                method, method.caption or "", method.parse_mode, 1024
            )
        self._check_markup(method, method.reply_markup)
        new_markup = method.reply_markup
        if new_html == msg.html and _same_markup(new_markup, msg.reply_markup):
            raise TelegramBadRequest(
                method,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        msg.html, msg.text, msg.reply_markup = new_html, new_text, new_markup
        msg.edits += 1
        return self.as_message(bot, msg)

    @staticmethod
    def as_message(bot: Bot, sent: SentMessage) -> Message:
        message = Message(
            message_id=sent.message_id,
            date=dt.datetime.now(dt.UTC),
            chat=Chat(id=sent.chat_id, type="private"),
            from_user=User(id=BOT_ID, is_bot=True, first_name="DealBot", username=BOT_USERNAME),
            text=None if sent.photo or sent.document_name or sent.voice else sent.text,
            caption=sent.text if sent.photo or sent.document_name or sent.voice else None,
            photo=[PhotoSize(file_id="p", file_unique_id="p", width=1, height=1)]
            if sent.photo
            else None,
            reply_markup=sent.reply_markup
            if isinstance(sent.reply_markup, InlineKeyboardMarkup)
            else None,
        )
        return message.as_(bot)


def _same_markup(a: Any, b: Any) -> bool:
    a = a if isinstance(a, InlineKeyboardMarkup) else None
    b = b if isinstance(b, InlineKeyboardMarkup) else None
    if a is None or b is None:
        return a is b
    return a.model_dump() == b.model_dump()


def make_bot(telegram: FakeTelegram | None = None) -> Bot:
    return Bot(
        TOKEN,
        session=MockedSession(telegram),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def unescape(text: str) -> str:
    return html.unescape(text)
