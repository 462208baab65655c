"""Helpers for the scheduler/reminder tests: a SchedulerContext over the test app with a
Sender whose waits are recorded instead of slept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import update

from bot.i18n import Translator
from bot.sender import Sender
from models import User
from models.db import create_read_session_factory
from scheduler.context import SchedulerContext
from scheduler.jobs import scan_once
from tests.conftest import App
from tests.mocked_bot import SentMessage


@dataclass
class FakeTimer:
    """Monotonic time that only moves when the sender "sleeps"."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_context(app: App, **sender_options: Any) -> tuple[SchedulerContext, FakeTimer]:
    timer = FakeTimer()
    translator = Translator(app.settings.default_language)
    sender = Sender(
        app.bot,
        translator=translator,
        clock=app.clock,
        monotonic=timer.monotonic,
        sleep=timer.sleep,
        **sender_options,
    )
    ctx = SchedulerContext(
        app.session_factory,
        sender,
        translator,
        app.settings,
        app.clock,
        read_factory=create_read_session_factory(app.engine),
    )
    return ctx, timer


async def scan_at(app: App, ctx: SchedulerContext, when: dt.datetime) -> dict[str, int]:
    app.clock.set(when)
    return await scan_once(ctx, when)


async def set_user(app: App, user: User, **values: Any) -> None:
    async with app.session_factory() as session, session.begin():
        await session.execute(update(User).where(User.id == user.id).values(**values))


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)


def chat(app: App, user: User) -> list[SentMessage]:
    return app.telegram.chat(user.telegram_id)
