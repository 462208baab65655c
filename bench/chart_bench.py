"""How long one lead's summary chart takes to draw (issue 13, point 7: <= 150 ms here).

    python -m bench.chart_bench [--runs 50]

Builds the plan progress chart of a full team through the production code (25 people with
plans, the most a chart shows; won amounts in roubles, dollars and euros: three panels of
25 bars) and prints the median and p99 of the wall time: the panels (bot/render/plan_chart)
and the PNG (bot/render/bars.draw_stack, what the chart worker runs)."""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import statistics
import time

from bench.report import load_average
from bot.i18n import Translator
from bot.render.bars import draw_stack
from bot.render.plan_chart import MAX_BARS, Pace, team_panels
from models.money import Amounts
from models.services.reports import Counters, StatsRow

TARGET_MS = 150.0


def full_team() -> list[StatsRow]:
    rows = []
    for i in range(MAX_BARS):
        won = Amounts()
        won.add("RUB", decimal.Decimal(150_000 * (i % 9)))
        won.add("USD", decimal.Decimal(1_000 * (i % 4)))
        won.add("EUR", decimal.Decimal(700 * (i % 3)))
        counters = Counters(
            won_month=i % 12,
            won_month_amount=won,
            plan_won=10,
            plan_amount=decimal.Decimal(1_500_000),
        )
        rows.append(StatsRow(i + 1, f"Менеджер {i:02d} Фамильный-Длинный", counters=counters))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    tr = Translator("ru").for_locale("ru")
    rows, pace = full_team(), Pace.of(dt.date(2026, 11, 27))
    panels = team_panels(rows, pace, tr)
    assert panels is not None
    draw_stack(panels)  # fonts loaded once per thread
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        panels = team_panels(rows, pace, tr)
        assert panels is not None
        png = draw_stack(panels)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    median, p99 = statistics.median(times), times[max(0, round(0.99 * len(times)) - 1)]
    bars = sum(len(p.bars) for p in panels)
    print(
        f"summary plan chart, {len(rows)} people, {len(panels)} panels ({bars} bars),"
        f" {len(png):,} bytes PNG"
    )
    print(f"{args.runs} runs: median {median:.1f} ms, p99 {p99:.1f} ms (target <= {TARGET_MS:.0f})")
    print(f"load average {load_average()}")
    return 0 if median <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
