"""The summary chart: open deals by stage and the month's plan progress per person, as PNG.

matplotlib is imported on first use (it costs ~0.5 s), so the bot starts fast. Only the
object API with the Agg canvas is used (no pyplot): no global state, so charts may be drawn
in worker threads side by side."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

MAX_BARS = 25
LABEL_LIMIT = 28


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


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1] + "…"


def summary_chart(
    stages: Sequence[tuple[str, int]],
    people: Sequence[PersonProgress],
    labels: ChartLabels,
) -> bytes:
    """Two horizontal bar charts side by side; returns PNG bytes. At most ``MAX_BARS`` rows
    each: the caller picks which."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    stages = list(stages)[:MAX_BARS]
    people = list(people)[:MAX_BARS]
    rows = max(len(stages), len(people), 3)
    figure = Figure(figsize=(11, 1.2 + 0.42 * rows), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    left, right = figure.subplots(1, 2)

    left.set_title(labels.pipeline_title, fontsize=11)
    if stages:
        # Numeric positions: two rows with the same label must stay two bars.
        where = range(len(stages))
        counts = [count for _, count in stages][::-1]
        bars = left.barh(where, counts, color="#4C78A8")
        left.set_yticks(where, [_short(name) for name, _ in stages][::-1])
        left.bar_label(bars, padding=3, fontsize=9)
        left.set_xlim(0, max(counts) * 1.2 + 1)
    else:
        left.text(0.5, 0.5, labels.empty, ha="center", va="center", transform=left.transAxes)
        left.set_yticks([])
    left.set_xticks([])
    for side in ("top", "right", "bottom"):
        left.spines[side].set_visible(False)

    right.set_title(labels.plan_title, fontsize=11)
    if people:
        where = range(len(people))
        won = [p.won for p in people][::-1]
        targets = [p.target or 0 for p in people][::-1]
        has_plans = any(p.target is not None for p in people)
        if has_plans:
            right.barh(where, targets, color="#D9D9D9", label=labels.target)
        bars = right.barh(where, won, color="#54A24B", height=0.5, label=labels.won)
        right.set_yticks(where, [_short(p.name) for p in people][::-1])
        tags = [f"{p.won}/{p.target}" if p.target is not None else str(p.won) for p in people][::-1]
        right.bar_label(bars, labels=tags, padding=3, fontsize=9)
        right.set_xlim(0, max([*won, *targets, 1]) * 1.25)
        if has_plans:
            right.legend(loc="lower right", fontsize=8, frameon=False)
    else:
        right.set_yticks([])
    right.set_xticks([])
    for side in ("top", "right", "bottom"):
        right.spines[side].set_visible(False)

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
