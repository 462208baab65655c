"""Lines the calendar rules add to /stats and the lead's daily summary: paused deals (how
many, the longest pause) and, for a team, its deals without a next step. Pure functions."""

from __future__ import annotations

from bot.i18n import Tr
from models.services.pauses import PauseStats


def pause_line(stats: PauseStats, tr: Tr) -> str:
    if not stats.paused or stats.longest_deal_id is None:
        return tr("pause.stats_none" if not stats.paused else "pause.stats", count=stats.paused)
    return tr(
        "pause.stats_longest",
        count=stats.paused,
        deal_id=stats.longest_deal_id,
        days=stats.longest_days,
    )


def team_no_next_line(count: int, tr: Tr) -> str:
    return tr("oc.team_no_next", count=count)
