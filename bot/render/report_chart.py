"""The report's charts as PNG (bot/render/bars.py): the funnel (deals that reached each stage
and won), the sources (won against new, per source) and plan progress per manager (won against
the plan). One panel each: the chart of the section being looked at."""

from __future__ import annotations

from bot.i18n import Tr
from bot.render.bars import BLUE, GREEN, Bar, Panel, draw_panels
from bot.render.report import person_name, source_name
from models.services.report_figures import FunnelReport, ManagersReport, SourceRow

MAX_BARS = 25


def funnel_chart(report: FunnelReport, tr: Tr) -> bytes:
    bars = [
        Bar(
            s.stage.label(tr.locale) if s.stage else tr("report.chart_won"),
            s.reached,
        )
        for s in report.funnel.steps
    ]
    panel = Panel(tr("report.chart_funnel"), bars[-MAX_BARS:], color=BLUE,
                  empty=tr("report.chart_empty"))  # fmt: skip
    return draw_panels([panel])


def sources_chart(rows: list[SourceRow], tr: Tr) -> bytes:
    bars = [Bar(source_name(r, tr), r.won, r.new, f"{r.won}/{r.new}") for r in rows[:MAX_BARS]]
    panel = Panel(
        tr("report.chart_sources"),
        bars,
        color=GREEN,
        empty=tr("report.chart_empty"),
        legend=(tr("report.chart_legend_won"), tr("report.chart_legend_new")),
        thin=True,
    )
    return draw_panels([panel])


def plan_chart(report: ManagersReport, tr: Tr) -> bytes:
    with_plan = report.plan_months is not None
    bars = []
    for row in report.rows[:MAX_BARS]:
        target = row.plan_won if with_plan else None
        tag = f"{row.won}/{target}" if target is not None else str(row.won)
        bars.append(Bar(person_name(row, tr), row.won, target, tag))
    has_plans = any(b.target is not None for b in bars)
    title = tr("report.chart_plan") if has_plans else tr("report.chart_no_plan")
    panel = Panel(
        title,
        bars,
        color=GREEN,
        empty=tr("report.chart_empty"),
        legend=(tr("report.chart_legend_won"), tr("report.chart_legend_plan"))
        if has_plans
        else None,
        thin=has_plans,
    )
    return draw_panels([panel])
