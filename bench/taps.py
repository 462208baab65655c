"""How many actions the daily loop takes (issue 11, point 7): the production dispatcher over
a fresh database, a fake Telegram that remembers every message (the tests' FakeTelegram and
ChatClient), and a client that counts the user's actions: a message sent or a button tapped
is one action. Proactive messages (the morning digest) cost nothing.

    python -m bench.taps                       # a temporary SQLite base
    python -m bench.taps --database-url postgresql+asyncpg://...   # a MIGRATED database

Each scenario checks the database afterwards (the deals really moved / were created); the
script prints a table and exits non-zero when a target is missed or a check failed.
tests/test_taps.py runs the same scenarios, so CI guards the counts."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from aiogram import Bot, Dispatcher
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import prepare_database
from bot.dispatcher import build_dispatcher
from bot.i18n import Translator
from bot.outbound import OutboundBudget, install_outbound
from bot.sender import Sender
from bot.settings import Settings
from models import Contact, Deal, Note, Pipeline, User
from models.crm import Crm, CrmConfig
from models.db import create_engine, create_session_factory
from models.roles import Role
from models.services.accounts import Profile
from models.services.deals import DealDraft
from scheduler import digests
from scheduler.context import SchedulerContext
from tests.client import ChatClient
from tests.mocked_bot import TOKEN, FakeTelegram, SentMessage, make_bot
from tests.virtual_time import VirtualTime

NOW = dt.datetime(2026, 11, 27, 6, 0, tzinfo=dt.UTC)  # Friday 09:00 in Moscow
TODAY = dt.date(2026, 11, 27)
TOMORROW = TODAY + dt.timedelta(days=1)


@dataclass
class Row:
    scenario: str
    actions: int
    target: int
    checked: bool
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.checked and self.actions <= self.target


class Counting(ChatClient):
    """A chat client that counts what the user does."""

    actions = 0

    async def send(self, text: str, *, reply_to: SentMessage | None = None) -> list[SentMessage]:
        self.actions += 1
        return await super().send(text, reply_to=reply_to)

    async def press_data(self, data: str | None, message: SentMessage) -> list[SentMessage]:
        self.actions += 1
        return await super().press_data(data, message)


@dataclass
class Rig:
    dp: Dispatcher
    bot: Bot
    telegram: FakeTelegram
    sessions: async_sessionmaker[AsyncSession]
    settings: Settings
    ids: int = 5000

    def crm(self, session: AsyncSession) -> Crm:
        return Crm(session, CrmConfig("Europe/Moscow", "ru"), lambda: NOW)

    async def manager(self, name: str) -> tuple[Counting, User]:
        self.ids += 1
        client = Counting(self.dp, self.bot, self.telegram, self.ids, first_name=name)
        async with self.sessions() as session, session.begin():
            crm = self.crm(session)
            user = crm.accounts._new_user(Profile(self.ids, name), Role.manager, None, "ru")
            session.add(user)
            await session.flush()
        return client, user

    async def deal(self, owner: User, client: str, day: dt.date | None) -> int:
        async with self.sessions() as session, session.begin():
            crm = self.crm(session)
            actor = await session.get(User, owner.id)
            assert actor is not None
            deal = await crm.deals.create(actor, DealDraft(client_name=client))
            crm.deals.apply_next_action(deal, day, None, actor)
            await session.flush()
            return deal.id

    async def scalar(self, statement: object) -> object:
        async with self.sessions() as session:
            return await session.scalar(statement)  # type: ignore[call-overload]

    async def dates(self, ids: list[int]) -> list[dt.date | None]:
        async with self.sessions() as session:
            rows = await session.execute(
                select(Deal.id, Deal.next_action_on).where(Deal.id.in_(ids))
            )
            return [day for _, day in sorted(rows.all())]


def _button(message: SentMessage, text: str) -> str:
    for row in message.reply_markup.inline_keyboard:  # type: ignore[union-attr]
        for b in row:
            if b.text == text:
                return b.callback_data or ""
    raise LookupError(f"no button {text!r} in {message.buttons()}")


# -- scenarios ---------------------------------------------------------------------------------


async def clear_three_row_by_row(rig: Rig) -> Row:
    ivan, me = await rig.manager("Иван")
    ids = [await rig.deal(me, name, TODAY) for name in ("Альфа", "Бета", "Гамма")]
    await ivan.send("/today")
    page = ivan.last_message()
    for _ in ids:  # the first row each time: the list is redrawn without the moved deal
        await ivan.press_data(page.button_data(0, 1), page)  # "☎ → завтра"
    moved = await rig.dates(ids) == [TOMORROW] * 3
    return Row("clear 3 of today's deals, row by row (☎ → tomorrow)", ivan.actions, 6, moved)


async def clear_three_at_once(rig: Rig) -> Row:
    ivan, me = await rig.manager("Ольга")
    ids = [await rig.deal(me, name, TODAY) for name in ("Альфа", "Бета", "Гамма")]
    await ivan.send("/today")
    page = ivan.last_message()
    await ivan.press_data(_button(page, "⏭ Остальные → на завтра"), page)
    await ivan.press_data(_button(page, "✅ Да, перенести"), page)
    moved = await rig.dates(ids) == [TOMORROW] * 3
    return Row('clear 3 of today\'s deals, "move the rest"', ivan.actions, 6, moved)


async def note_and_date_from_digest(rig: Rig) -> Row:
    ivan, me = await rig.manager("Пётр")
    deal_id = await rig.deal(me, "Клиент", TODAY)
    translator = Translator("ru")
    timer = VirtualTime()
    sender = Sender(
        rig.bot, translator=translator, clock=lambda: NOW, monotonic=timer.monotonic,
        sleep=timer.sleep,
    )  # fmt: skip
    ctx = SchedulerContext(rig.sessions, sender, translator, rig.settings, lambda: NOW)
    await digests.run_due(ctx, NOW)
    digest = ivan.last_message()
    await ivan.press_data(_button(digest, "✓"), digest)
    await ivan.send("Созвонились: ждут КП до понедельника")
    card = ivan.last_message()
    await ivan.press_data(_button(card, "Завтра"), card)
    note = await rig.scalar(select(Note.text).where(Note.deal_id == deal_id))
    moved = await rig.dates([deal_id]) == [TOMORROW]
    checked = moved and note == "Созвонились: ждут КП до понедельника"
    return Row("a note after a call + the next date, from the digest", ivan.actions, 3, checked)


async def guided_new_deal(rig: Rig) -> Row:
    ivan, me = await rig.manager("Анна")
    await ivan.send("/new")
    await ivan.send("Пётр Сидоров, petr@firm.ru, +7 999 123-45-67")
    wizard = ivan.last_message()
    pipeline_label = wizard.buttons()[0][-1]  # a catalog button by place, whatever its name
    await ivan.press_data(_button(wizard, pipeline_label), wizard)
    wizard = ivan.last_message()
    await ivan.press_data(wizard.button_data(0, 0), wizard)  # the first source
    wizard = ivan.last_message()
    await ivan.press_data(_button(wizard, "Пропустить »"), wizard)  # no amount
    wizard = ivan.last_message()
    await ivan.press_data(_button(wizard, "Завтра"), wizard)
    wizard = ivan.last_message()
    await ivan.press_data(_button(wizard, "✅ Создать"), wizard)
    async with rig.sessions() as session:
        deal = await session.scalar(select(Deal).where(Deal.owner_id == me.id))
        contacts = await session.scalar(
            select(func.count(Contact.id)).where(Contact.deal_id == (deal.id if deal else 0))
        )
        pipeline = await session.get(Pipeline, deal.pipeline_id) if deal else None
    checked = (
        deal is not None
        and pipeline is not None
        and pipeline.label("ru") == pipeline_label
        and deal.source_id is not None
        and deal.next_action_on == TOMORROW
        and contacts == 2
    )
    return Row("guided /new: e-mail, phone, pipeline, source, date", ivan.actions, 7, checked)


SCENARIOS: tuple[Callable[[Rig], Awaitable[Row]], ...] = (
    clear_three_row_by_row,
    clear_three_at_once,
    note_and_date_from_digest,
    guided_new_deal,
)


async def run_scenarios(database_url: str | None = None) -> list[Row]:
    """Every scenario on ``database_url`` (migrated; None: a temporary SQLite base)."""
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'taps.db'}"
        engine = create_engine(url)
        if database_url is None:
            await prepare_database(engine)
        settings = Settings(
            _env_file=None,
            bot_token=TOKEN,  # type: ignore[arg-type]
            database_url=url,
            admin_ids=frozenset({100}),
            default_timezone="Europe/Moscow",
            default_language="ru",
        )
        telegram = FakeTelegram()
        bot = make_bot(telegram)
        outbound = VirtualTime()
        install_outbound(bot, OutboundBudget(monotonic=outbound.monotonic, sleep=outbound.sleep))
        sessions = create_session_factory(engine)
        dp = build_dispatcher(settings, sessions, clock=lambda: NOW)
        rig = Rig(dp, bot, telegram, sessions, settings)
        try:
            return [await scenario(rig) for scenario in SCENARIOS]
        finally:
            await bot.session.close()
            await engine.dispose()


def print_table(rows: list[Row]) -> None:
    width = max(len(r.scenario) for r in rows)
    print(f"{'scenario':<{width}}  actions  target  db check  result")
    for r in rows:
        check = "ok" if r.checked else "FAILED"
        result = "ok" if r.ok else "MISSED"
        print(f"{r.scenario:<{width}}  {r.actions:>7}  {r.target:>6}  {check:>8}  {result}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a migrated database (default: temporary SQLite)")
    args = parser.parse_args(argv)
    rows = asyncio.run(run_scenarios(args.database_url))
    print_table(rows)
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
