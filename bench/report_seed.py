"""The report benchmark's base: 1,000,000 deals of 20 teams x 50 managers over two years, with
stage paths (the moves a deal made through the sales process), notes and their events, in the
proportions of bench/seed.py (about 1.5 notes and 4-5 events a deal).

Built by the real migrations and seed (schema, stages, sources), then filled with plain
``sqlite3`` executemany of tuples in batches of 50,000 (the ORM or Core dicts would take
minutes at this size), journal off while seeding. The file is kept under bench/out/ with a JSON
sidecar of the sizes: a later run with the same sizes reuses it."""

from __future__ import annotations

import datetime as dt
import json
import random
import sqlite3
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import prepare_database
from models import Plan, Source, Stage, Team, User
from models.catalog import StageKind
from models.roles import Role
from models.seed import LOST_REASONS, PAUSE_REASONS

FORMAT = 2
BATCH = 50_000
# The base's "now": fixed, so a reused file needs no date shifting (the bench's clock is set
# to it).
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
TELEGRAM_BASE = 7_000_000
DAYS = 730
NOTE_TEXT = "Созвон с ЛПР: бюджет согласован, ждут договор и КП до пятницы."


@dataclass(frozen=True)
class Sizes:
    deals: int = 1_000_000
    teams: int = 20
    managers_per_team: int = 50
    notes_per_deal: float = 1.5
    seed: int = 13


@dataclass(frozen=True)
class Base:
    reused: bool
    seconds: float
    rows: dict[str, int]
    team_id: int  # the team being reported: team 1
    lead_id: int


def _ts(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _fresh(db: Path) -> None:
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)


def _meta(db: Path) -> Path:
    return db.with_name(db.name + ".json")


def _read(db: Path, meta_file: Path) -> dict[str, Any] | None:
    if not (db.exists() and meta_file.exists()):
        return None
    meta: dict[str, Any] = json.loads(meta_file.read_text())
    return meta


async def ensure_base(engine: AsyncEngine, db: Path, sizes: Sizes) -> Base:
    started = time.perf_counter()
    meta_file = _meta(db)
    meta = _read(db, meta_file)
    if meta is not None and meta.get("format") == FORMAT and meta.get("sizes") == asdict(sizes):
        await prepare_database(engine)  # new migrations (indexes) apply to a kept file
        return Base(True, time.perf_counter() - started, meta["rows"], 1, meta["lead_id"])
    await engine.dispose()
    _fresh(db)
    await prepare_database(engine)
    lead_id, managers, stages, sources = await _people(engine, sizes)
    await engine.dispose()
    rows = _fill(db, sizes, managers, stages, sources)
    rows["users"] = sizes.teams * (sizes.managers_per_team + 1) + 1
    _write(meta_file, {"format": FORMAT, "sizes": asdict(sizes), "rows": rows, "lead_id": lead_id})
    return Base(False, time.perf_counter() - started, rows, 1, lead_id)


def _write(meta_file: Path, meta: dict[str, Any]) -> None:
    meta_file.write_text(json.dumps(meta))


async def _people(
    engine: AsyncEngine, sizes: Sizes
) -> tuple[int, list[tuple[int, int]], list[Any], list[int]]:
    """An admin, a lead per team, the managers; November's and December's plans of team 1.
    Returns the lead of team 1, (manager id, team id) pairs, the stages and source ids."""
    rng = random.Random(sizes.seed)
    since = NOW - dt.timedelta(days=DAYS + 10)
    users: list[dict[str, Any]] = []
    teams = [
        {"id": t, "name": f"Отдел {t}", "lead_id": None, "created_at": since}
        for t in range(1, sizes.teams + 1)
    ]

    def person(uid: int, role: Role, team: int | None, name: str) -> dict[str, Any]:
        return {
            "id": uid, "telegram_id": TELEGRAM_BASE + uid, "full_name": name, "role": role,
            "team_id": team, "timezone": "Europe/Moscow", "language": "ru",
            "email": f"user{uid}@sales.example.ru", "created_at": since,
        }  # fmt: skip

    users.append(person(1, Role.admin, None, "Администратор"))
    managers: list[tuple[int, int]] = []
    uid = 2
    leads = {}
    for team in teams:
        leads[team["id"]] = uid
        users.append(person(uid, Role.lead, team["id"], f"Руководитель {team['id']}"))
        uid += 1
        for n in range(sizes.managers_per_team):
            users.append(
                person(uid, Role.manager, team["id"], f"Менеджер {team['id']}-{n + 1:02d}")
            )
            managers.append((uid, team["id"]))
            uid += 1
    async with engine.begin() as conn:
        await conn.execute(insert(Team), teams)
        await conn.execute(insert(User), users)
        for team_id, lead in leads.items():
            await conn.execute(
                Team.__table__.update().where(Team.id == team_id).values(lead_id=lead)
            )
        plans = [
            {"user_id": m, "month": month, "target_won": rng.randint(3, 12),
             "target_amount": None, "updated_at": since}
            for m, t in managers if t == 1
            for month in (dt.date(2026, 7, 1), dt.date(2026, 8, 1), dt.date(2026, 9, 1),
                          dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 1))
        ]  # fmt: skip
        await conn.execute(insert(Plan), plans)
        stages = (
            await conn.execute(select(Stage.id, Stage.code, Stage.kind, Stage.position))
        ).all()
        sources = list(await conn.scalars(select(Source.id)))
    return leads[1], managers, sorted(stages, key=lambda s: s.position), sources


def _batches(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _fill(
    db: Path, sizes: Sizes, managers: Sequence[tuple[int, int]], stages: Sequence[Any],
    sources: list[int],
) -> dict[str, int]:  # fmt: skip
    rng = random.Random(sizes.seed)
    opened = [s for s in stages if s.kind == StageKind.open]
    final = {s.kind: s for s in stages if s.kind != StageKind.open}
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-400000")
    deals_sql = (
        "INSERT INTO deals (id, title, client_name, pipeline_id, stage_id, status, source_id,"
        " amount, currency, owner_id, created_by_id, next_action_on, reason, created_at,"
        " updated_at, closed_at, deleted_at, version, search_text, last_contact_at)"
        " VALUES (?,?,?,1,?,?,?,?,?,?,?,?,?,?,?,?,?,1,'',?)"
    )
    notes_sql = (
        "INSERT INTO notes (deal_id, number, text, happened_on, author_id, created_at)"
        " VALUES (?,?,?,?,?,?)"
    )
    events_sql = (
        "INSERT INTO deal_events (deal_id, actor_id, at, kind, old, new) VALUES (?,?,?,?,?,?)"
    )
    counts = {"deals": 0, "notes": 0, "deal_events": 0}
    today = NOW.date()
    deals: list[tuple[Any, ...]] = []
    notes: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []

    def flush(force: bool = False) -> None:
        for sql, rows, name in ((deals_sql, deals, "deals"), (notes_sql, notes, "notes"),
                                (events_sql, events, "deal_events")):  # fmt: skip
            if rows and (force or len(rows) >= BATCH):
                conn.executemany(sql, rows)
                counts[name] += len(rows)
                rows.clear()

    for deal_id in range(1, sizes.deals + 1):
        owner = managers[rng.randrange(len(managers))][0]
        created = NOW - dt.timedelta(seconds=rng.uniform(0, DAYS * 86400))
        roll = rng.random()
        kind = (StageKind.open if roll < 0.55 else StageKind.won if roll < 0.70
                else StageKind.lost if roll < 0.90 else StageKind.paused)  # fmt: skip
        if kind is StageKind.open and (NOW - created).days > 120 and rng.random() < 0.9:
            # A live base: what came in months ago is mostly decided by now.
            kind = StageKind.won if rng.random() < 0.35 else StageKind.lost
        depth = min(int(rng.expovariate(0.45)), len(opened) - 1)
        path = opened[: depth + 1]
        if kind is not StageKind.open:
            path = [*path, final[kind]]
        horizon = min((NOW - created).total_seconds(), 60 * 86400)
        moments = sorted(created + dt.timedelta(seconds=rng.uniform(0, horizon))
                         for _ in range(len(path) - 1))  # fmt: skip
        events.append((deal_id, owner, _ts(created), "created", None, f"Сделка {deal_id}"))
        for before, after, at in zip(path, path[1:], moments, strict=False):
            events.append((deal_id, owner, _ts(at), "stage", before.code, after.code))
        last = moments[-1] if moments else created
        count = int(rng.random() * 2 * sizes.notes_per_deal + 0.5)
        note_moments = sorted(
            created + dt.timedelta(seconds=rng.uniform(0, horizon)) for _ in range(count)
        )
        if kind is StageKind.open and rng.random() < 0.85:
            # Deals in work are called: the last contact a few days ago (the rest go stale).
            recent = NOW - dt.timedelta(days=min(rng.expovariate(0.3), (NOW - created).days))
            note_moments.append(max(recent, created))
        for number, at in enumerate(note_moments, start=1):
            notes.append((deal_id, number, NOTE_TEXT, at.date().isoformat(), owner, _ts(at)))
            events.append((deal_id, owner, _ts(at), "note", None, f"{number:02d}"))
        contact = max([last, *note_moments])
        amount = currency = None
        if rng.random() < 0.5:
            usd = rng.random() < 0.2
            amount = rng.randrange(1, 50) * (100 if usd else 10_000)
            currency = "USD" if usd else "RUB"
        next_on = None
        if kind is StageKind.open and rng.random() < 0.9:
            next_on = (today + dt.timedelta(days=rng.randint(-10, 20))).isoformat()
        reason = None
        if kind is StageKind.lost:
            reason = rng.choice(LOST_REASONS)
        elif kind is StageKind.paused:
            reason = rng.choice(PAUSE_REASONS)
        closed = _ts(last) if kind in (StageKind.won, StageKind.lost) else None
        deals.append((
            deal_id, f"Сделка {deal_id}", f"Клиент {deal_id}", path[-1].id, kind.value,
            rng.choice(sources) if rng.random() < 0.8 else None, amount, currency, owner, owner,
            next_on, reason, _ts(created), _ts(contact), closed,
            _ts(NOW) if rng.random() < 0.005 else None, _ts(contact),
        ))  # fmt: skip
        flush()
    flush(force=True)
    # No ANALYZE: the bot never runs it on SQLite, so the plans here are the bot's plans.
    conn.commit()
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    return counts
