"""A tiny chat client for conversation-style tests:

await ivan.send("/new")
await ivan.press("Пропустить »")
assert "Сделка создана" in ivan.last_message().text
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import (
    CallbackQuery,
    Chat,
    Contact,
    Document,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageOriginUser,
    PhotoSize,
    Update,
    User,
    Voice,
)

from tests.mocked_bot import FakeTelegram, SentMessage

_update_ids = itertools.count(1)
_incoming_ids = itertools.count(1)


class ButtonNotFound(AssertionError):
    pass


class ChatClient:
    def __init__(
        self,
        dp: Dispatcher,
        bot: Bot,
        telegram: FakeTelegram,
        user_id: int,
        first_name: str = "Иван",
        last_name: str | None = "Петров",
        language_code: str | None = "ru",
        username: str | None = None,
    ) -> None:
        self.dp = dp
        self.bot = bot
        self.telegram = telegram
        self.user = User(
            id=user_id,
            is_bot=False,
            first_name=first_name,
            last_name=last_name,
            language_code=language_code,
            username=username,
        )
        self.chat = Chat(id=user_id, type="private")

    # -- sending -----------------------------------------------------------------------
    async def send(self, text: str, *, reply_to: SentMessage | None = None) -> list[SentMessage]:
        return await self._feed_message(text=text, reply_to=reply_to)

    async def share_contact(
        self, phone: str, first_name: str, last_name: str | None = None
    ) -> list[SentMessage]:
        contact = Contact(phone_number=phone, first_name=first_name, last_name=last_name)
        return await self._feed_message(contact=contact)

    async def forward(
        self,
        text: str,
        sender_first_name: str,
        sender_id: int = 777,
        *,
        date: dt.datetime | None = None,
    ) -> list[SentMessage]:
        """A message forwarded from someone (``date``: when they wrote it)."""
        origin = MessageOriginUser(
            date=date or dt.datetime.now(dt.UTC),
            sender_user=User(id=sender_id, is_bot=False, first_name=sender_first_name),
        )
        return await self._feed_message(text=text, forward_origin=origin)

    async def send_document(
        self, document: Any, caption: str | None = None, *, reply_to: SentMessage | None = None
    ) -> list[SentMessage]:
        return await self._feed_message(document=document, caption=caption, reply_to=reply_to)

    async def send_file(
        self,
        name: str,
        size: int = 150_000,
        mime_type: str | None = "application/pdf",
        *,
        reply_to: SentMessage | None = None,
    ) -> list[SentMessage]:
        """A document with this file name and size (Telegram's ids made up from the name)."""
        document = Document(
            file_id=f"doc-{name}",
            file_unique_id=f"u-{name}"[:32],
            file_name=name,
            mime_type=mime_type,
            file_size=size,
        )
        return await self.send_document(document, reply_to=reply_to)

    async def send_photo(
        self, file_id: str = "photo-1", size: int = 90_000, *, reply_to: SentMessage | None = None
    ) -> list[SentMessage]:
        sizes = [
            PhotoSize(file_id=f"{file_id}-s", file_unique_id=f"u{file_id}-s", width=90, height=90),
            PhotoSize(
                file_id=file_id,
                file_unique_id=f"u{file_id}",
                width=1280,
                height=960,
                file_size=size,
            ),
        ]
        return await self._feed_message(photo=sizes, reply_to=reply_to)

    async def send_voice(
        self, file_id: str = "voice-1", duration: int = 12, *, reply_to: SentMessage | None = None
    ) -> list[SentMessage]:
        voice = Voice(
            file_id=file_id,
            file_unique_id=f"u{file_id}",
            duration=duration,
            mime_type="audio/ogg",
            file_size=duration * 4000,
        )
        return await self._feed_message(voice=voice, reply_to=reply_to)

    async def _feed_message(
        self, reply_to: SentMessage | None = None, **fields: Any
    ) -> list[SentMessage]:
        return await self.feed(self.message_update(reply_to=reply_to, **fields))

    def message_update(self, reply_to: SentMessage | None = None, **fields: Any) -> Update:
        """The Update of a message from this person, not fed: to deliver it twice, or to
        queue it for getUpdates."""
        reply = None
        if reply_to is not None:
            reply = self._as_message(reply_to)
        message = Message(
            message_id=next(_incoming_ids),
            date=dt.datetime.now(dt.UTC),
            chat=self.chat,
            from_user=self.user,
            reply_to_message=reply,
            **fields,
        )
        return Update(update_id=next(_update_ids), message=message)

    # -- buttons -----------------------------------------------------------------------
    async def press(self, text: str, *, message: SentMessage | None = None) -> list[SentMessage]:
        """Press the inline button with this text (exact, else the only one containing it) on
        the given message, or on the newest message of the chat that has such a button."""
        button, owner = self.find_button(text, message)
        return await self.press_data(button.callback_data or "", owner)

    async def press_data(self, data: str | None, message: SentMessage) -> list[SentMessage]:
        """Send raw callback data from a message: for forged or stale buttons (``data`` is
        a button's callback_data, which aiogram types Optional)."""
        assert data is not None, "the button has no callback data"
        query = CallbackQuery(
            id=str(next(_update_ids)),
            from_user=self.user,
            chat_instance="test",
            message=self._as_message(message),
            data=data,
        )
        return await self.feed(Update(update_id=next(_update_ids), callback_query=query))

    def find_button(
        self, text: str, message: SentMessage | None = None
    ) -> tuple[InlineKeyboardButton, SentMessage]:
        candidates = [message] if message else list(reversed(self.messages()))
        for msg in candidates:
            markup = msg.reply_markup
            if not isinstance(markup, InlineKeyboardMarkup):
                continue
            buttons = [b for row in markup.inline_keyboard for b in row]
            exact = [b for b in buttons if b.text == text]
            if exact:
                return exact[0], msg
            partial = [b for b in buttons if text in b.text]
            if len(partial) == 1:
                return partial[0], msg
            if message is not None or partial:
                break
        shown = self.last_keyboard_message()
        raise ButtonNotFound(
            f"no button {text!r}; last keyboard: {shown.buttons() if shown else None}"
        )

    # -- reading -------------------------------------------------------------------------
    def messages(self) -> list[SentMessage]:
        return self.telegram.chat(self.chat.id)

    def last_message(self) -> SentMessage:
        messages = self.messages()
        assert messages, "the bot has sent nothing to this chat"
        return max(messages, key=lambda m: m.message_id)

    def last_keyboard_message(self) -> SentMessage | None:
        for msg in reversed(self.messages()):
            if isinstance(msg.reply_markup, InlineKeyboardMarkup):
                return msg
        return None

    def keyboard(self) -> list[list[str]]:
        msg = self.last_keyboard_message()
        return msg.buttons() if msg else []

    def last_alert(self) -> str | None:
        return self.telegram.alerts[-1][0] if self.telegram.alerts else None

    # -- plumbing ------------------------------------------------------------------------
    async def feed(self, update: Update) -> list[SentMessage]:
        before = {key: (m.html, m.edits) for key, m in self.telegram.messages.items()}
        await self.dp.feed_update(self.bot, update)
        changed = []
        for key, msg in sorted(self.telegram.messages.items()):
            if key[0] == self.chat.id and before.get(key) != (msg.html, msg.edits):
                changed.append(msg)
        return changed

    def _as_message(self, sent: SentMessage) -> Message:
        return Message(
            message_id=sent.message_id,
            date=dt.datetime.now(dt.UTC),
            chat=self.chat,
            from_user=User(id=self.bot.id, is_bot=True, first_name="DealBot"),
            text=sent.text,
            reply_markup=sent.reply_markup
            if isinstance(sent.reply_markup, InlineKeyboardMarkup)
            else None,
        )
