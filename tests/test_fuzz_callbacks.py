"""Fuzz: hostile callback data and command arguments through the production dispatcher.

Every known callback prefix with garbage fields (huge, negative, non-ASCII, SQL, HTML, empty),
wrong field counts, random bytes beyond 64, and hostile arguments of every command that takes
one, pressed and typed by each role (and by a stranger). Whatever comes in: the error handler
never speaks, nothing is logged at ERROR, every button press is answered and the deals,
contacts, notes, events, plans and invites are exactly as before. The generator is a seeded
``random.Random``: a failure names its seed and input, and reproduces."""

from __future__ import annotations

import enum
import hashlib
import logging
import random

import pytest
from aiogram.methods import AnswerCallbackQuery
from sqlalchemy import text

from bot.i18n import load_catalogs
from models.roles import Role
from tests.client import ChatClient
from tests.conftest import ADMIN_ID, App
from tests.factories import make_deal
from tests.stats_support import make_team
from tests.test_callbacks import CLASSES

SEED = 20261201
HUGE = [2**63, 2**63 - 1 + 1, 2**64, 2**64 + 1, 10**30, 2**31, 2**32, 99999999999999999999]
HOSTILE_VALUES = [
    *(str(v) for v in HUGE),
    "-1",
    "-9223372036854775809",
    "-0",
    "",
    " ",
    "abc",
    "1.5",
    "1e9",
    "0x10",
    "１２",  # full-width digits
    "١٢",  # Arabic-Indic digits
    "²",  # a "digit" int() refuses
    "NaN",
    "None",
    "null",
    "' OR 1=1 --",
    "1; DROP TABLE deals",
    "<b>x</b>",
    "&amp;",
    "дом",
    "🙂",
    "\x00",
    "\u202e",
]
COMMAND_ARGS = [
    *HOSTILE_VALUES,
    "#" + str(2**63),
    "#-5",
    "#",
    "9" * 40,
    "0",
    "000000000000000000000000001",
    "2² текст",
    "<script>alert(1)</script>",
    "x" * 5000,
]
# Commands that take an argument; /new is left out: a parsable client makes a deal, rightly.
COMMANDS = [
    "/deal {}",
    "/deal",
    "/note {} текст",
    "/note {}",
    "/note {} {}",
    "/plan {} {}",
    "/plan {} 5",
    "/plan @{} 5 {}",
    "/invite {}",
    "/lang {}",
    "/start {}",
    "/find {}",
    "/stats {}",
    "/settings {}",
]
TABLES = (
    "deals", "contacts", "notes", "deal_events", "plans", "invites", "teams",
    "pipelines", "stages", "sources", "catalog_events",
)  # fmt: skip


# Numbers no field can take: beyond every date, time, index, page and version the bot draws.
ODD_NUMBERS = ["99999999", "20261340", "20260230", "2599", "1000000000", str(2**31 - 1)]
# Fields that name the deal or note a button is about: real ones in the "real ids" shape.
REAL_ID_FIELDS = {"deal_id", "note_id", "ctx"}


def _hostile_callback(rng: random.Random, real: dict[str, int]) -> str:
    cls = rng.choice(CLASSES)
    prefix, sep = cls.__prefix__, cls.__separator__
    names = list(cls.model_fields)
    shape = rng.random()
    if shape < 0.45:  # the right shape, some fields hostile, the rest plausible
        parts = [
            rng.choice(HOSTILE_VALUES) if rng.random() < 0.5 else str(rng.randint(0, 12))
            for _ in names
        ]
        if not any(p in HOSTILE_VALUES for p in parts):
            parts[rng.randrange(len(parts))] = rng.choice(HOSTILE_VALUES)
    elif shape < 0.65:  # a real deal / note, every other number out of its range
        parts = []
        for name in names:
            info = cls.model_fields[name]
            annotation = info.annotation
            if name in REAL_ID_FIELDS:
                parts.append(str(real["note" if name == "note_id" else "deal"]))
            elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
                parts.append(str(rng.choice(list(annotation)).value))
            elif any(getattr(m, "le", 0) > 2**31 for m in info.metadata):  # a row id
                parts.append(str(rng.choice([0, 10**12 + rng.randrange(1000)])))
            else:
                parts.append(rng.choice(ODD_NUMBERS))
        if not any(p in ODD_NUMBERS for p in parts):  # all valid (iv:lead): not hostile
            parts[-1] = rng.choice(HOSTILE_VALUES)
    elif shape < 0.8:  # too few or too many fields
        count = rng.choice([0, max(0, len(names) - 1), len(names) + 1, len(names) + 5])
        parts = [str(rng.choice([1, 2**63, -1, 3])) for _ in range(count)]
    else:  # random characters, sometimes far beyond Telegram's 64 bytes
        alphabet = "0123456789:-abcdяж🙂<>&'\";%_ "
        parts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90)))]
    return sep.join([prefix, *parts])


def _garbage_callback(rng: random.Random) -> str:
    return rng.choice(
        [
            "",
            ":",
            "::::",
            "x" * 64,
            "d" * 65,
            "🙂" * 20,
            "unknown:1:2",
            "d:1:1:1:1:1:1:1:1",
            "<b>d</b>:1",
            "' OR 1=1 --",
        ]
    )


async def _snapshot(app: App) -> dict[str, str]:
    """Row count and a checksum of every row, per table."""
    found = {}
    async with app.session_factory() as session:
        for table in TABLES:
            rows = (await session.execute(text(f"SELECT * FROM {table} ORDER BY 1"))).all()
            found[table] = f"{len(rows)} rows, " + hashlib.sha256(repr(rows).encode()).hexdigest()
    return found


def _unexpected_texts() -> set[str]:
    keys = ("error.unexpected", "error.unexpected_partial", "error.generic")
    return {c[k] for c in load_catalogs().values() for k in keys if k in c}


@pytest.mark.parametrize("seed", [SEED, SEED + 1])
async def test_hostile_buttons_and_commands_change_nothing(
    app: App, caplog: pytest.LogCaptureFixture, seed: int
) -> None:
    rng = random.Random(seed)
    admin = app.client(ADMIN_ID)
    await admin.send("/start")
    lead, lead_user = await app.add_user(Role.lead, name="Олег Лидов")
    manager, manager_user = await app.add_user(Role.manager, name="Мария Смирнова")
    operator, _ = await app.add_user(Role.operator, name="Ольга Операторова")
    stranger = app.client(999_000)  # not registered
    deal = await make_deal(app, manager_user, "ООО Ромашка", contacts=("ivan@firm.ru",))
    await make_deal(app, lead_user, "ИП Лидов")
    clients: list[ChatClient] = [admin, lead, manager, operator, stranger]
    for client in clients:
        await client.send("/menu")
    await manager.send(f"/note {deal.id} Позвонил, договорились о встрече")
    await manager.send("/cancel")
    await manager.send(f"/deal {deal.id}")  # a card: its message is what buttons sit on
    async with app.session_factory() as session:
        note_id = await session.scalar(text("SELECT max(id) FROM notes"))
    real = {"deal": deal.id, "note": note_id or 1}

    before = await _snapshot(app)
    unexpected = _unexpected_texts()
    with caplog.at_level(logging.WARNING):
        for step in range(150):
            client = rng.choice(clients)
            requests_before = len(app.telegram.requests)
            records_before = len(caplog.records)
            if rng.random() < 0.7:
                hostile = rng.random() < 0.9
                data = _hostile_callback(rng, real) if hostile else _garbage_callback(rng)
                what = f"seed {seed} step {step}: {client.user.id} pressed {data!r}"
                await client.press_data(data, client.last_message())
            else:
                template = rng.choice(COMMANDS)
                args = (rng.choice(COMMAND_ARGS) for _ in range(template.count("{}")))
                line = template.format(*args)
                what = f"seed {seed} step {step}: {client.user.id} sent {line[:80]!r}"
                await client.send(line)
                await client.send("/cancel")  # a prompt the command opened must not linger
            new = app.telegram.requests[requests_before:]
            bad = [
                r
                for r in caplog.records[records_before:]
                if r.levelno >= logging.ERROR or r.exc_info  # a traceback at any level
            ]
            assert not bad, f"{what}: logged {bad[0].getMessage()!r}"
            said = [getattr(r, "text", None) or "" for r in new]
            assert not [t for t in said if t in unexpected], f"{what}: the error handler spoke"
            if "pressed" in what:
                answers = [r for r in new if isinstance(r, AnswerCallbackQuery)]
                assert len(answers) == 1, f"{what}: answered {len(answers)} times"
            after = await _snapshot(app)
            changed = [t for t in TABLES if after[t] != before[t]]
            assert not changed, f"{what}: changed {changed}"


# -- the cases the issue names, one by one -----------------------------------------------------


async def test_a_button_that_does_not_unpack_is_answered_as_out_of_date(app: App) -> None:
    lead, lead_user = await app.add_user(Role.lead, name="Олег Лидов")
    deal = await make_deal(app, lead_user, "ООО Ромашка")
    await lead.send(f"/deal {deal.id}")
    card = lead.last_message()
    forged = (
        "iv:admin2",
        "iv:",
        "lg:xx",
        f"d:1:{2**63}:0",
        f"d:1:{2**31}:0",
        f"d:1:{deal.id}:{2**40}",
        "d:1:-3:0",
    )
    for data in forged:
        before = len(app.telegram.requests)
        assert await lead.press_data(data, card) == []  # nothing sent or edited
        assert lead.last_alert() == "Эта кнопка устарела. Откройте нужное заново из меню.", data
        assert len(app.telegram.requests) == before + 1  # the answer, and nothing else


async def test_invite_button_for_a_role_one_may_not_invite_is_refused_once(app: App) -> None:
    operator, _ = await app.add_user(Role.operator)
    await operator.send("/menu")
    before = len(app.telegram.requests)
    await operator.press_data("iv:admin", operator.last_message())
    answers = [r for r in app.telegram.requests[before:] if isinstance(r, AnswerCallbackQuery)]
    assert len(answers) == 1 and answers[0].show_alert  # one polite refusal
    assert await app.scalar(text("SELECT count(*) FROM invites")) == 0


@pytest.mark.parametrize(
    "line",
    [
        f"/deal {2**63}",
        f"/deal {2**31}",
        "/deal ²",
        "/deal ١٢",
        "/deal -5",
        "/deal 0",
        f"/note {2**64} текст",
    ],
)
async def test_a_bad_id_in_a_command_gets_its_usage(app: App, caplog, line: str) -> None:
    manager, _ = await app.add_user(Role.manager)
    with caplog.at_level(logging.WARNING):
        await manager.send(line)
    usage = ("Напишите номер сделки: /deal 123", "/note")
    assert any(u in manager.last_message().text for u in usage), manager.last_message().text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await app.scalar(text("SELECT count(*) FROM notes")) == 0


@pytest.mark.parametrize("ref", [str(2**63), "²", "0", "١"])
async def test_plan_for_a_bad_person_reference_is_not_found(app: App, caplog, ref: str) -> None:
    admin = app.client(ADMIN_ID)
    await admin.send("/start")
    with caplog.at_level(logging.WARNING):
        await admin.send(f"/plan {ref} 5")
    assert "Не нашёл такого сотрудника" in admin.last_message().text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_superscript_target_in_the_plan_prompt_is_refused(app: App, caplog) -> None:
    lead, _, team_id = await make_team(app)
    await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    await lead.send("/plan")
    await lead.press("Иван Петров — нет плана")
    await lead.press("Ноябрь 2026")
    with caplog.at_level(logging.WARNING):
        await lead.send("²")
        await lead.send("5 ²")
    assert "Не понял план" in lead.last_message().text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert await app.scalar(text("SELECT count(*) FROM plans")) == 0


# -- numbers typed into the prompts that parse them --------------------------------------------

TYPED = [
    *(str(v) for v in HUGE),
    "+99999",
    "+" + "9" * 30,
    "-1",
    "-" + str(2**63),
    "²",
    "2²",
    "1" * 100,
    "99.99.9999",
    "31.02",
    "9999-99-99",
    "0000-00-00",
    "00.00",
    "25:99",
    "1e309",
    "NaN",
    "inf",
    "1,5e10 руб",
    "9" * 15 + ",99",
    "' OR 1=1 --",
    "<b>1</b>",
    "🙂",
]


# Amounts a deal may really have (a "date" 31.02 is 31 roubles 2 kopecks): not hostile there.
REAL_AMOUNTS = {str(2**31), str(2**32), "31.02", "99.99.9999", "00.00"}  # 0: allowed on edit


async def test_hostile_numbers_typed_into_prompts_change_nothing(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    """The prompts for a next-step date, a note's date, an amount, a plan target and a time
    zone, each fed every hostile number: a polite "not understood", nothing stored."""
    lead, _, team_id = await make_team(app)
    manager, manager_user = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    deal = await make_deal(app, manager_user, "ООО Ромашка")
    await manager.send(f"/note {deal.id} Позвонил")  # asks for the next step: a typed date
    card = manager.last_message()

    async def next_step() -> None:
        pass  # the note above left the prompt open

    async def note_date() -> None:
        await manager.press("🗓 Дата заметки", message=card)
        await manager.press("⌨️ Ввести дату", message=card)

    async def amount() -> None:
        await manager.send(f"/deal {deal.id}")
        await manager.press("✏️ Изменить")
        await manager.press("Сумма")

    async def wizard_amount() -> None:
        await manager.send("/new")
        await manager.send("Пётр Сидоров")
        for _ in range(3):  # contacts, pipeline, source
            await manager.press("Пропустить »")

    async def plan_target() -> None:
        await lead.send("/plan")
        await lead.press("Иван Петров — нет плана")
        await lead.press("Ноябрь 2026")

    async def timezone() -> None:
        await manager.send("/settings")
        await manager.press("🌍 Часовой пояс")  # the picker also takes a typed zone

    prompts = [
        (manager, next_step),
        (manager, note_date),
        (manager, amount),
        (manager, wizard_amount),
        (lead, plan_target),
        (manager, timezone),
    ]
    unexpected = _unexpected_texts()
    before = await _snapshot(app)
    for client, open_prompt in prompts:
        await open_prompt()
        prompt = client.last_message().text
        with caplog.at_level(logging.WARNING):
            for typed in TYPED:
                if typed in REAL_AMOUNTS and "amount" in open_prompt.__name__:
                    continue
                records_before = len(caplog.records)
                await client.send(typed)
                what = f"{open_prompt.__name__}: typed {typed[:40]!r}"
                bad = [r for r in caplog.records[records_before:] if r.levelno >= logging.ERROR]
                assert not bad, f"{what}: logged {bad[0].getMessage()!r}"
                assert client.last_message().text not in unexpected, what
        assert await _snapshot(app) == before, f"{open_prompt.__name__}: the database changed"
        assert prompt, open_prompt.__name__
        await client.send("/cancel")
