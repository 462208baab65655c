"""The plan chart of a /stats view: panels and the photo's caption (own or a team's)."""

from __future__ import annotations

from bot.i18n import Tr
from bot.render.bars import Panel
from bot.render.format import clip
from bot.render.plan_chart import Pace, figures_caption, own_panels, team_panels
from bot.render.stats import NAME_LIMIT, month_label
from models.services.reports import StatsReport


def stats_chart(report: StatsReport, tr: Tr) -> tuple[list[Panel], str] | None:
    """(panels, caption) of an "own" or "team" report; None when there is no plan to draw
    (the caller says so in a line)."""
    pace, month = Pace.of(report.today), month_label(report.month, tr)
    if report.scope == "own":
        panels = own_panels(report.total, pace, tr)
        title = tr("chart.caption_title", month=month, day=pace.day, days=pace.days)
    elif report.scope == "team":
        panels = team_panels(report.rows, pace, tr)
        team = clip(report.team_name or "", NAME_LIMIT)
        title = tr("chart.caption_team", team=team, month=month, day=pace.day, days=pace.days)
    else:
        return None
    if panels is None:
        return None
    return panels, figures_caption(report.total, title, tr)
