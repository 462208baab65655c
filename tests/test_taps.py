"""bench/taps.py's scenarios under CI: the daily loop stays within its action counts (clear
three of today's deals <= 6, a note + the next date from the digest <= 3, a guided deal with
e-mail, phone, pipeline, source and date <= 7), and each scenario's database check holds."""

from __future__ import annotations

import pytest

from bench.taps import print_table, run_scenarios


async def test_the_daily_loop_stays_within_its_action_counts(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = await run_scenarios(database_url)
    print_table(rows)
    table = capsys.readouterr().out
    assert len(rows) == 4
    for row in rows:
        assert row.checked, f"{row.scenario}: the database does not show it\n{table}"
        assert row.actions <= row.target, f"{row.scenario}: {row.actions} actions\n{table}"
    # The figures of this build, so a regression (or an improvement) is seen in review.
    assert [r.actions for r in rows] == [4, 3, 3, 7]
