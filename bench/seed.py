"""A big, realistic deal base for the benchmark, built by the real migrations and seed, then
filled with bulk Core ``insert()`` executemany (ORM ``add_all`` is ~36x slower on SQLite).

The database is kept next to a JSON sidecar (``<db>.bench.json``) with the sizes it was built
for, so a later run with the same sizes reuses it instead of seeding again."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.app import prepare_database
from models import Contact, Deal, DealEvent, EventKind, Note, Pipeline, Source, Stage, Team, User
from models.catalog import StageKind
from models.contacts import ContactKind
from models.reliability import FsmState, ProcessedUpdate
from models.roles import Role
from models.seed import LOST_REASONS, PAUSE_REASONS
from models.timeutil import local_today, to_utc

META_FORMAT = 3  # bump when the shape of the seeded data changes: old files are re-seeded
CHUNK = 20_000  # rows per executemany: bounded memory, few thread round trips
TELEGRAM_ID_BASE = 5_000_000  # user.telegram_id = base + user.id
ADMIN_ID = 1
MANAGERS_PER_TEAM = 100
TIMEZONES = ("Europe/Moscow",) * 8 + ("Asia/Yekaterinburg", "Asia/Novosibirsk")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "Иван Мария Алексей Ольга Дмитрий Анна Сергей Елена Павел Наталья Андрей Татьяна "
    "Михаил Ирина Николай Светлана Кирилл Юлия Артём Ксения"
)
LAST = _words(
    "Петров Смирнов Кузнецов Попов Васильев Соколов Михайлов Новиков Фёдоров Морозов "
    "Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов"
)
LATIN = _words(
    "ivan maria alexey olga dmitry anna sergey elena pavel natalia andrey tatiana "
    "mikhail irina nikolay svetlana kirill yulia artem ksenia"
)
COMPANIES = _words(
    "Ромашка Вектор Альфа-Строй ТехноПарк СеверЛес Гранит МедиаГрупп АгроТрейд "
    "Логистик Стройинвест Энергия Орбита Сфера Квант Протон ВолгаТорг УралСталь "
    "Байкал Меридиан Форум"
)
FORMS = ("ООО", "АО", "ИП", "ПАО")


def _full_name(first: int, rng: random.Random) -> str:
    """FIRST alternates male and female names; the surnames take -а for a woman."""
    return f"{FIRST[first]} {rng.choice(LAST)}{'а' if first % 2 else ''}"


NOTE_TEXTS = (
    "Позвонил, клиент просит прислать коммерческое предложение до пятницы.",
    "Созвон с ЛПР: бюджет согласован в пределах 500 тыс., ждут договор.",
    "Отправил портфолио и три кейса по похожим проектам, обещали посмотреть.",
    "Встреча в офисе клиента: обсудили сроки, нужен поэтапный план работ.",
    "Клиент не взял трубку, написал в мессенджер, жду ответа.",
    "Возражение по цене: конкурент предлагает дешевле на 15%, готовим аргументы.",
    "Презентация прошла хорошо, попросили демо-доступ для отдела продаж.",
    "Письмо: «Добрый день! Направляем реквизиты для договора. С уважением, бухгалтерия».",
    "Уточнили требования: интеграция с 1С, личный кабинет, мобильная версия.",
    "Клиент в отпуске до конца месяца, договорились вернуться к вопросу позже.",
)


@dataclass(frozen=True)
class Sizes:
    deals: int
    managers: int
    notes: int
    seed: int = 14


@dataclass
class Seeded:
    """What the benchmark needs to know about a seeded base."""

    reused: bool
    seconds: float
    rows: dict[str, int]


def meta_path(db: Path) -> Path:
    return db.with_name(db.name + ".bench.json")


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


async def _bulk(conn: AsyncConnection, table: Any, rows: Sequence[dict[str, Any]]) -> int:
    for chunk in _chunks(rows):
        await conn.execute(insert(table), list(chunk))
    return len(rows)


async def ensure_database(engine: AsyncEngine, db: Path, sizes: Sizes, now: dt.datetime) -> Seeded:
    """Migrate (always: idempotent) and seed unless the sidecar says this file already holds
    a base of these sizes. A reused base is shifted so that its dates centre on today again;
    a base of ours with other sizes is deleted and seeded anew."""
    started = time.perf_counter()
    today = local_today(now, "Europe/Moscow")
    meta = _read_meta(db)
    if meta is not None and (
        meta.get("format") != META_FORMAT or meta.get("sizes") != asdict(sizes)
    ):
        await engine.dispose()
        _delete(db)
        meta = None
    await prepare_database(engine)
    if meta is not None:
        # A run leaves prompts open (the next-step question after a note): they would take
        # the next run's first messages. Conversation state and the update log start empty.
        async with engine.begin() as conn:
            await conn.execute(delete(FsmState))
            await conn.execute(delete(ProcessedUpdate))
        shift = (today - dt.date.fromisoformat(meta["today"])).days
        if shift:
            await _shift_dates(engine, shift)
            meta["today"] = today.isoformat()
            _write_meta(db, meta)
        return Seeded(True, time.perf_counter() - started, meta["rows"])
    async with engine.connect() as conn:
        if await conn.scalar(select(Deal.id).limit(1)) is not None:
            raise SystemExit(f"{db} holds deals but was not seeded by the benchmark; refusing")
    rows = await _seed(engine, sizes, now, today)
    await engine.dispose()  # the last connection to close checkpoints the WAL into the file
    meta = {"format": META_FORMAT, "sizes": asdict(sizes), "today": today.isoformat(), "rows": rows}
    _write_meta(db, meta)
    return Seeded(False, time.perf_counter() - started, rows)


async def seed_postgres(engine: AsyncEngine, sizes: Sizes, now: dt.datetime) -> Seeded:
    """The same base on an empty PostgreSQL database (the caller creates it for this run):
    migrate, the same bulk Core inserts, every sequence moved past the explicit ids the seed
    gave, then ANALYZE so that the planner sees the real sizes."""
    started = time.perf_counter()
    today = local_today(now, "Europe/Moscow")
    await prepare_database(engine)
    rows = await _seed(engine, sizes, now, today)
    async with engine.begin() as conn:
        for table in ("teams", "users", "deals", "contacts", "notes", "deal_events"):
            await conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
            )
        await conn.execute(text("ANALYZE"))
    return Seeded(False, time.perf_counter() - started, rows)


def _read_meta(db: Path) -> dict[str, Any] | None:
    """The sidecar of a base this benchmark seeded, or None."""
    meta_file = meta_path(db)
    if not (db.exists() and meta_file.exists()):
        return None
    meta: dict[str, Any] = json.loads(meta_file.read_text())
    return meta


def _write_meta(db: Path, meta: dict[str, Any]) -> None:
    meta_path(db).write_text(json.dumps(meta, indent=1))


def _delete(db: Path) -> None:
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)


async def _shift_dates(engine: AsyncEngine, days: int) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            update(Deal)
            .where(Deal.next_action_on.is_not(None))
            .values(next_action_on=text(f"date(next_action_on, '{days:+d} days')"))
        )
        await conn.execute(
            update(Deal)
            .where(Deal.next_action_at.is_not(None))
            .values(next_action_at=text(f"datetime(next_action_at, '{days:+d} days')"))
        )


async def _seed(
    engine: AsyncEngine, sizes: Sizes, now: dt.datetime, today: dt.date
) -> dict[str, int]:
    rng = random.Random(sizes.seed)
    async with engine.begin() as conn:
        stages = (
            await conn.execute(select(Stage.id, Stage.kind, Stage.code).order_by(Stage.position))
        ).all()
        pipelines = list(
            await conn.scalars(select(Pipeline.id).where(Pipeline.is_unsorted.is_(False)))
        )
        sources = list(await conn.scalars(select(Source.id)))
        users, teams, managers = _users(rng, sizes, now)
        counts = {"teams": await _bulk(conn, Team.__table__, teams)}
        counts["users"] = await _bulk(conn, User.__table__, users)
        for team in teams:  # teams and users point at each other: leads set afterwards
            await conn.execute(
                update(Team).where(Team.id == team["id"]).values(lead_id=team["id"] + 1)
            )
        by_id = {u["id"]: u for u in users}
        deals = _deals(rng, sizes, now, today, managers, by_id, stages, pipelines, sources)
        counts["deals"] = await _bulk(conn, Deal.__table__, deals)
        counts["contacts"] = await _bulk(conn, Contact.__table__, _contacts(deals))
        notes = _notes(rng, sizes, now, deals)
        counts["notes"] = await _bulk(conn, Note.__table__, notes)
        codes = {s.id: s.code for s in stages}
        events = _events(rng, deals, notes, codes)
        counts["deal_events"] = await _bulk(conn, DealEvent.__table__, events)
    return counts


def _users(
    rng: random.Random, sizes: Sizes, now: dt.datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[int]]:
    """One admin, ~10 teams each with a lead, and the managers spread over the teams."""
    n_teams = max(1, round(sizes.managers / MANAGERS_PER_TEAM))
    since = now - dt.timedelta(days=400)
    teams = [
        {"id": t + 1, "name": f"Отдел продаж {t + 1}", "lead_id": None, "created_at": since}
        for t in range(n_teams)
    ]

    def person(uid: int, role: Role, team_id: int | None) -> dict[str, Any]:
        i = rng.randrange(len(FIRST))
        return {
            "id": uid,
            "telegram_id": TELEGRAM_ID_BASE + uid,
            "full_name": _full_name(i, rng),
            "username": None,
            "email": f"{LATIN[i]}.{uid}@sales.example.ru",
            "role": role,
            "team_id": team_id,
            "timezone": rng.choice(TIMEZONES),
            "language": "ru" if rng.random() < 0.9 else "en",
            "created_at": since,
        }

    users = [person(ADMIN_ID, Role.admin, None)]
    # Team t's lead has id t + 1 (ids 2..n_teams+1); managers follow.
    users += [person(t["id"] + 1, Role.lead, t["id"]) for t in teams]
    first_manager = n_teams + 2
    managers = list(range(first_manager, first_manager + sizes.managers))
    users += [person(uid, Role.manager, rng.randrange(n_teams) + 1) for uid in managers]
    return users, teams, managers


def _deals(
    rng: random.Random,
    sizes: Sizes,
    now: dt.datetime,
    today: dt.date,
    managers: list[int],
    users: dict[int, dict[str, Any]],
    stages: Sequence[Any],
    pipelines: list[int],
    sources: list[int],
) -> list[dict[str, Any]]:
    """~70% open with the next step from 10 days ago to 20 days ahead (today included), the
    rest won / lost / paused; about half with an amount; a few soft-deleted."""
    open_stages = [s.id for s in stages if s.kind is StageKind.open]
    closed = {s.kind: s.id for s in stages if s.kind is not StageKind.open}
    deals = []
    for deal_id in range(1, sizes.deals + 1):
        owner = users[managers[rng.randrange(len(managers))]]
        created = now - dt.timedelta(days=rng.uniform(1, 365))
        roll = rng.random()
        kind = (
            StageKind.open
            if roll < 0.70
            else StageKind.won
            if roll < 0.82
            else StageKind.lost
            if roll < 0.94
            else StageKind.paused
        )
        stage_id = rng.choice(open_stages) if kind is StageKind.open else closed[kind]
        next_on = next_time = next_at = closed_at = reason = None
        if kind is StageKind.open or (kind is StageKind.paused and rng.random() < 0.5):
            next_on = today + dt.timedelta(days=rng.randint(-10, 20))
            if rng.random() < 0.2:
                next_time = dt.time(rng.randint(9, 18), rng.choice((0, 15, 30, 45)))
                next_at = to_utc(next_on, next_time, owner["timezone"])
        if kind in (StageKind.won, StageKind.lost):
            closed_at = created + (now - created) * rng.random()
        if kind is StageKind.lost:
            reason = rng.choice(LOST_REASONS)
        elif kind is StageKind.paused:
            reason = rng.choice(PAUSE_REASONS)
        client = _full_name(rng.randrange(len(FIRST)), rng)
        with_amount = rng.random() < 0.5
        deals.append(
            {
                "id": deal_id,
                "title": f"{owner['email']} — {client}",
                "client_name": client,
                "company": f"{rng.choice(FORMS)} «{rng.choice(COMPANIES)}»"
                if rng.random() < 0.6
                else None,
                "pipeline_id": rng.choice(pipelines),
                "stage_id": stage_id,
                "status": kind,
                "source_id": rng.choice(sources) if rng.random() < 0.8 else None,
                "amount": decimal.Decimal(rng.randrange(50, 5000) * 1000) if with_amount else None,
                "currency": "RUB" if with_amount else None,
                "owner_id": owner["id"],
                "created_by_id": owner["id"],
                "next_action_on": next_on,
                "next_action_time": next_time,
                "next_action_at": next_at,
                "reason": reason,
                "created_at": created,
                "updated_at": created + (now - created) * rng.random(),
                "closed_at": closed_at,
                "deleted_at": now - dt.timedelta(days=1) if rng.random() < 0.005 else None,
                "deleted_by_id": None,
                "version": 1,
            }
        )
    return deals


def bench_phone(deal_id: int) -> str:
    """A unique Russian mobile number per deal in E.164 (multiplying by a number coprime to
    10**7 permutes the 7-digit tails, so numbers look random yet never repeat)."""
    return f"+7999{(deal_id * 7919 + 1234567) % 10_000_000:07d}"


def _contacts(deals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for deal in deals:
        phone = bench_phone(deal["id"])
        shown = f"+7 {phone[2:5]} {phone[5:8]}-{phone[8:10]}-{phone[10:]}"
        email = f"client{deal['id']}@firm{deal['id'] % 997}.ru"
        for kind, value, normalized in (
            (ContactKind.email, email, email),
            (ContactKind.phone, shown, phone),
        ):
            rows.append(
                {
                    "deal_id": deal["id"],
                    "kind": kind,
                    "value": value,
                    "normalized": normalized,
                    "person_name": None,
                }
            )
    return rows


def _notes(
    rng: random.Random, sizes: Sizes, now: dt.datetime, deals: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``sizes.notes`` notes thrown at random deals (3 per deal on average), numbered 1..n per
    deal in time order, as the service numbers them."""
    per_deal = [0] * (len(deals) + 1)
    for _ in range(sizes.notes):
        per_deal[rng.randrange(1, len(deals) + 1)] += 1
    rows = []
    for deal in deals:
        count = per_deal[deal["id"]]
        if not count:
            continue
        span = now - deal["created_at"]
        moments = sorted(deal["created_at"] + span * rng.random() for _ in range(count))
        for number, at in enumerate(moments, start=1):
            rows.append(
                {
                    "deal_id": deal["id"],
                    "number": number,
                    "text": rng.choice(NOTE_TEXTS),
                    "happened_on": at.date(),
                    "author_id": deal["owner_id"],
                    "created_at": at,
                }
            )
    return rows


def _events(
    rng: random.Random,
    deals: list[dict[str, Any]],
    notes: list[dict[str, Any]],
    stage_codes: dict[int, str | None],
) -> list[dict[str, Any]]:
    """A "created" event per deal, a stage move for about half, a "note" event per note,
    shaped as Deals.create, StageMoves.move and Notes.add record them."""
    rows = []
    first = next(iter(stage_codes.values()))
    for deal in deals:
        base = {"deal_id": deal["id"], "actor_id": deal["owner_id"], "field": None, "old": None}
        rows.append(
            {**base, "at": deal["created_at"], "kind": EventKind.created, "new": deal["title"]}
        )
        if rng.random() < 0.5:
            moved = {"kind": EventKind.stage, "old": first, "new": stage_codes[deal["stage_id"]]}
            rows.append({**base, "at": deal["updated_at"], **moved})
    for note in notes:
        rows.append(
            {
                "deal_id": note["deal_id"],
                "actor_id": note["author_id"],
                "at": note["created_at"],
                "kind": EventKind.note,
                "field": None,
                "old": None,
                "new": f"{note['number']:02d}",
            }
        )
    return rows
