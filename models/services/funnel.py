"""The funnel of a cohort (the deals created in a period), computed in Python from the deals'
current stage and their stage-move events.

* A deal's path: the stage it started at (the first move's "from", else its current stage),
  then every move's "to". Its furthest step is the highest open stage on the path (stages are
  ordered by position), or "won" when the deal is won now.
* "Reached" a step: the furthest step is that one or a later one (a deal that skipped a stage
  passed it too, as in amoCRM's funnel); the won count is the deals won now.
* Conversion from a step to the next: reached(next) / reached(step); to won: won / cohort.
* Days at a stage: each finished stay (from entering the stage to the next move), the median
  over the cohort's stays there; a stay that has not ended yet is not a figure yet."""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..catalog import Stage, StageKind

WON_STEP = 0  # the step id of "won" (stage ids start at 1)


@dataclass
class FunnelStep:
    stage: Stage | None  # None: won (every won stage)
    reached: int = 0
    furthest: int = 0  # the deals that got here and no further
    median_days: float | None = None
    conversion: float | None = None  # to the next step, 0..1

    @property
    def step_id(self) -> int:
        return self.stage.id if self.stage is not None else WON_STEP


@dataclass
class Funnel:
    total: int
    steps: list[FunnelStep]
    won: int
    lost: int
    paused: int
    open: int
    to_won: float | None  # won / total
    reached_ids: dict[int, set[int]] = field(default_factory=dict)  # step id -> deal ids

    @property
    def is_empty(self) -> bool:
        return self.total == 0


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def build_funnel(stages: Sequence[Stage], deals: Iterable[Any], events: Iterable[Any]) -> Funnel:
    """``deals``: rows with id, stage_id, status, created_at; ``events``: rows with deal_id,
    at, old, new (stage refs: a code, else the name), ordered by deal and time."""
    # Plain ints in the loops: an ORM attribute read costs more than the whole step.
    ids_of: dict[str, int] = {}
    for stage in stages:
        for ref in (stage.name, stage.code):  # the code wins over a same-named stage
            if ref:
                ids_of[ref] = stage.id
    moves: dict[int, list[Any]] = defaultdict(list)
    for event in events:
        moves[event.deal_id].append(event)
    rows = list(deals)
    paths: dict[int, list[int | None]] = {}  # deal id -> the stage ids it was at, in order
    seen: set[int | None] = set()
    for deal in rows:
        path = moves.get(deal.id)
        if path:
            visited = [ids_of.get(path[0].old), *(ids_of.get(e.new) for e in path)]
        else:
            visited = [deal.stage_id]
        paths[deal.id] = visited
        seen.update(visited)
    # The company's process (shared stages) and whatever stage a deal of the cohort was at.
    open_steps = sorted(
        (
            s
            for s in stages
            if s.kind is StageKind.open
            and (s.id in seen or (s.pipeline_id is None and not s.is_archived))
        ),
        key=lambda s: (s.position, s.id),
    )
    rank: dict[int | None, int] = {s.id: i for i, s in enumerate(open_steps)}
    won_rank = len(open_steps)
    furthest: dict[int, int] = {}  # deal id -> rank of its furthest step (-1: none)
    stays: dict[int, list[float]] = defaultdict(list)
    counts = {StageKind.won: 0, StageKind.lost: 0, StageKind.paused: 0, StageKind.open: 0}
    won = StageKind.won.value
    for deal in rows:
        counts[StageKind(deal.status)] += 1
        visited = paths[deal.id]
        if deal.status == won:
            furthest[deal.id] = won_rank
        else:
            furthest[deal.id] = max((rank[v] for v in visited if v in rank), default=-1)
        entered = _aware(deal.created_at)
        for event, at in zip(moves.get(deal.id, ()), visited, strict=False):
            moved = _aware(event.at)
            if at in rank:
                stays[at].append((moved - entered).total_seconds() / 86400)  # type: ignore[index]
            entered = moved
    steps = [FunnelStep(s) for s in open_steps] + [FunnelStep(None)]
    by_rank: dict[int, list[int]] = defaultdict(list)
    for deal_id, r in furthest.items():
        by_rank[r].append(deal_id)
    reached_ids: dict[int, set[int]] = {}
    passed: set[int] = set()
    for index in range(len(steps) - 1, -1, -1):  # from won down: each adds its own
        step = steps[index]
        step.furthest = len(by_rank.get(index, ()))
        passed |= set(by_rank.get(index, ()))
        reached_ids[step.step_id] = set(passed)
        step.reached = len(passed)
        if step.stage is not None and stays.get(step.stage.id):
            step.median_days = round(statistics.median(stays[step.stage.id]), 1)
    for step, after in itertools.pairwise(steps):
        step.conversion = after.reached / step.reached if step.reached else None
    total = len(rows)
    return Funnel(
        total=total,
        steps=steps,
        won=counts[StageKind.won],
        lost=counts[StageKind.lost],
        paused=counts[StageKind.paused],
        open=counts[StageKind.open],
        to_won=counts[StageKind.won] / total if total else None,
        reached_ids=reached_ids,
    )
