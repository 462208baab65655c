"""Feeding updates and timing them: the measured pass, the mixed-load pass with several
updates in flight, and the pass that splits each update into DB and Python time."""

from __future__ import annotations

import asyncio
import cProfile
import dataclasses
import logging
import math
import random
import time
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiogram.dispatcher.event.bases import UNHANDLED

from bench.actions import Action, Population, Prepared, acting_for, verifying
from bench.breakdown import DbTime, Split, timed_sqlite
from bench.plans import SqlCapture
from bench.telegram import FastSession


class ErrorLog(logging.Handler):
    """Collects what the central error handler (bot.errors) logs: refusals and failures."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Result:
    action: Action
    samples: list[int] = field(default_factory=list)  # ns
    problems: int = 0
    first_problem: str | None = None
    sql_per_update: list[int] = field(default_factory=list)
    statements: dict[str, Any] = field(default_factory=dict)  # distinct SQL -> params
    repeats: dict[str, int] = field(default_factory=dict)  # SQL -> most times in one update

    def quantile(self, q: float) -> float:
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)] / 1e6

    @property
    def p50(self) -> float:
        return self.quantile(0.50)

    @property
    def p99(self) -> float:
        return self.quantile(0.99)

    @property
    def mean(self) -> float:
        return sum(self.samples) / len(self.samples) / 1e6

    @property
    def per_second(self) -> float:
        return len(self.samples) / (sum(self.samples) / 1e9)


@dataclass
class Fed:
    elapsed_ns: int
    problem: str | None
    statements: list[tuple[str, Any]]
    db: DbTime | None  # the update's SQLite round trips, in the breakdown pass only


class Runner:
    def __init__(self, bot: Bot, capture: SqlCapture, errors: ErrorLog) -> None:
        self.bot = bot
        self.session: FastSession = bot.session  # type: ignore[assignment]
        self.capture = capture
        self.errors = errors
        self.profiler: cProfile.Profile | None = None
        self.db: DbTime | None = None  # set while the breakdown pass runs

    async def feed(
        self, action: Action, prepared: Prepared, *, capture: bool = False, profile: bool = False
    ) -> Fed:
        self.session.calls.clear()
        self.errors.records.clear()
        self.capture.active = capture
        if self.db is not None:
            self.db.reset()
        if profile and self.profiler is not None:
            self.profiler.enable()
        started = time.perf_counter_ns()
        result = await action.dp.feed_update(self.bot, prepared.update, **prepared.kwargs)
        elapsed = time.perf_counter_ns() - started
        if profile and self.profiler is not None:
            self.profiler.disable()
        db = dataclasses.replace(self.db) if self.db is not None else None
        self.capture.active = False
        statements = self.capture.take()
        problem: str | None = None
        if self.errors.records:
            record = self.errors.records[0]
            problem = f"error handler: {record.getMessage()}"
            if record.exc_info and record.exc_info[1] is not None:
                problem += f" ({record.exc_info[1]!r})"
        elif result is UNHANDLED:
            problem = "update not handled"
        else:
            problem = action.check(prepared, list(self.session.calls))
        if action.after is not None:
            problem = (await action.after(prepared)) or problem
        return Fed(elapsed, problem, statements, db)


async def measure(
    runner: Runner,
    actions: list[Action],
    rng: random.Random,
    *,
    warmup: int,
    updates: int,
    profile: str | None = None,
) -> list[Result]:
    """Round-robin over the actions in a shuffled order each round, so the floor and every
    action see the same conditions (cache, WAL size, thermal) through the run."""
    results = {a.name: Result(a) for a in actions}
    for round_ in range(warmup + updates):
        warm = round_ < warmup
        order = actions[:]
        rng.shuffle(order)
        for action in order:
            prepared = action.make(rng)
            profiled = not warm and profile == action.name
            fed = await runner.feed(action, prepared, capture=warm, profile=profiled)
            result = results[action.name]
            if warm:  # warm-up: not timed, but where the SQL is looked at
                result.sql_per_update.append(len(fed.statements))
                seen: dict[str, int] = {}
                for sql, params in fed.statements:
                    result.statements.setdefault(sql, params)
                    seen[sql] = seen.get(sql, 0) + 1
                for sql, count in seen.items():
                    result.repeats[sql] = max(result.repeats.get(sql, 0), count)
            else:
                result.samples.append(fed.elapsed_ns)
            if fed.problem is not None:
                result.problems += 1
                result.first_problem = result.first_problem or fed.problem
    return list(results.values())


@dataclass
class Mixed:
    workers: int
    samples: list[int]
    seconds: float
    problems: int


async def mixed_load(
    bot: Bot,
    errors: ErrorLog,
    actions: list[Action],
    population: Population,
    workers: int,
    total: int,
    seed: int,
) -> Mixed:
    """All deal actions mixed, ``workers`` updates in flight at once (polling hands updates to
    the dispatcher as concurrent tasks): what the whole bot sustains, not one action. Each
    worker acts for its own managers; the per-update checks are off (the fake session's
    call log is shared), errors are counted from the error handler's log."""
    deal_actions = [a for a in actions if not a.floor]
    groups = [population.managers[i::workers] for i in range(workers)]
    groups = [g for g in groups if g]
    samples: list[int] = []
    problems = 0
    per_worker = max(1, total // len(groups))

    async def worker(group: list[Any], rng: random.Random) -> None:
        nonlocal problems
        acting_for.set(group)
        verifying.set(False)
        for _ in range(per_worker):
            action = rng.choice(deal_actions)
            prepared = action.make(rng)
            started = time.perf_counter_ns()
            result = await action.dp.feed_update(bot, prepared.update, **prepared.kwargs)
            samples.append(time.perf_counter_ns() - started)
            problems += result is UNHANDLED
            if action.after is not None:
                problems += bool(await action.after(prepared))

    errors.records.clear()
    started = time.perf_counter()
    await asyncio.gather(*(worker(g, random.Random(seed + i)) for i, g in enumerate(groups)))
    seconds = time.perf_counter() - started
    return Mixed(len(groups), samples, seconds, problems + len(errors.records))


async def breakdown(
    runner: Runner, actions: list[Action], updates: int, rng: random.Random
) -> dict[str, Split]:
    """A second, shorter pass with every SQLite round trip timed (see bench/breakdown.py)."""
    splits = {a.name: Split() for a in actions}
    with timed_sqlite() as db:
        runner.db = db
        try:
            for _ in range(updates):
                order = actions[:]
                rng.shuffle(order)
                for action in order:
                    fed = await runner.feed(action, action.make(rng))
                    assert fed.db is not None
                    splits[action.name].add(fed.elapsed_ns, fed.db)
        finally:
            runner.db = None
    return splits
