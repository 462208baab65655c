"""The summary chart: open deals by stage and the month's plan progress per person, as PNG
(drawn by bot/render/bars.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.render.bars import BLUE, GREEN, Bar, Panel, draw_panels

MAX_BARS = 25


@dataclass(frozen=True)
class ChartLabels:
    pipeline_title: str
    plan_title: str
    won: str
    target: str
    empty: str


@dataclass(frozen=True)
class PersonProgress:
    name: str
    won: int
    target: int | None


def summary_chart(
    stages: Sequence[tuple[str, int]],
    people: Sequence[PersonProgress],
    labels: ChartLabels,
) -> bytes:
    """Two horizontal bar charts side by side (open deals by stage; won this month against
    the plan per person); returns PNG bytes. At most ``MAX_BARS`` rows each: the caller
    picks which."""
    pipeline = Panel(
        labels.pipeline_title,
        [Bar(name, count) for name, count in list(stages)[:MAX_BARS]],
        color=BLUE,
        empty=labels.empty,
    )
    people = list(people)[:MAX_BARS]
    has_plans = any(p.target is not None for p in people)
    plan = Panel(
        labels.plan_title,
        [
            Bar(p.name, p.won, p.target, f"{p.won}/{p.target}" if p.target is not None else None)
            for p in people
        ],
        color=GREEN,
        legend=(labels.won, labels.target) if has_plans else None,
        thin=has_plans,
    )
    return draw_panels([pipeline, plan])
