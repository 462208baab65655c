"""How long one lead's summary chart takes to draw (issue 13, point 7: <= 150 ms here).

    python -m bench.chart_bench [--runs 50]

Draws the chart of a full team (25 people with plans, 10 stages: the most a chart shows)
through the production renderer and prints the median and p99 of the wall time."""

from __future__ import annotations

import argparse
import statistics
import time

from bench.report import load_average
from bot.render.chart import MAX_BARS, ChartLabels, PersonProgress, summary_chart

TARGET_MS = 150.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    labels = ChartLabels("Сделки в работе по этапам", "План месяца", "выиграно", "план", "—")
    stages = [(f"Этап {i}: переговоры и согласование", 40 - 3 * i) for i in range(10)]
    people = [PersonProgress(f"Менеджер {i:02d} Фамилия", i % 12, 10) for i in range(MAX_BARS)]
    summary_chart(stages, people, labels)  # fonts loaded once per thread
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        png = summary_chart(stages, people, labels)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    median, p99 = statistics.median(times), times[max(0, round(0.99 * len(times)) - 1)]
    print(f"summary chart, {len(people)} people x {len(stages)} stages, {len(png):,} bytes PNG")
    print(f"{args.runs} runs: median {median:.1f} ms, p99 {p99:.1f} ms (target <= {TARGET_MS:.0f})")
    print(f"load average {load_average()}")
    return 0 if median <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
