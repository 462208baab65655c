"""The lead's daily summary: text (per person and in total) and the chart image."""

from __future__ import annotations

from bot.i18n import Html, Tr
from bot.render.chart import MAX_BARS, ChartLabels, PersonProgress, summary_chart
from bot.render.format import clip, esc, fmt_date
from bot.render.stats import NAME_LIMIT, amounts, progress
from models.services.reports import StatsRow, TeamSummary

CAPTION_LIMIT = 1024
MESSAGE_LIMIT = 4096


def _block(title: str, row: StatsRow, tr: Tr) -> str:
    a, c = row.activity, row.counters
    amount = tr("summary.row_amount", amount=amounts(a.won_amount)) if a.won_amount else ""
    if c.plan_won is not None:
        plan = tr("summary.row_plan", progress=progress(c.won_month, c.plan_won, tr))
    else:
        plan = tr("summary.row_no_plan", won=c.won_month)
    return "\n".join(
        [
            f"<b>{esc(clip(title, NAME_LIMIT))}</b>",
            tr("summary.row_day", new=a.new_deals, notes=a.notes, moves=a.stage_moves),
            tr("summary.row_closed", won=a.won, amount=Html(amount), lost=a.lost),
            tr("summary.row_now", overdue=c.overdue, loose=c.no_next_step),
            plan,
        ]
    )


def summary_title(summary: TeamSummary, tr: Tr) -> str:
    day = fmt_date(summary.day, tr)
    if summary.team_name is None:
        return tr("summary.title_no_team", day=day)
    return tr("summary.title", team=clip(summary.team_name, NAME_LIMIT), day=day)


def summary_blocks(summary: TeamSummary, tr: Tr) -> list[str]:
    """The title, one block per person, the team total (when more than one person)."""
    blocks = [summary_title(summary, tr)]
    blocks += [_block(row.name or "", row, tr) for row in summary.rows]
    if len(summary.rows) != 1:
        blocks.append(_block(tr("summary.total"), summary.total, tr))
    return blocks


def summary_text(summary: TeamSummary, tr: Tr) -> str:
    return "\n\n".join(summary_blocks(summary, tr))


def summary_png(summary: TeamSummary, tr: Tr) -> bytes:
    labels = ChartLabels(
        pipeline_title=tr("summary.chart_pipeline"),
        plan_title=tr("summary.chart_plan"),
        won=tr("summary.chart_won"),
        target=tr("summary.chart_target"),
        empty=tr("summary.chart_empty"),
    )
    stages = [(s.stage.label(tr.locale), s.count) for s in summary.pipeline][:MAX_BARS]
    rows = summary.rows
    if len(rows) > MAX_BARS:  # a big team: the best of the month, still in name order
        best = sorted(rows, key=lambda r: (-r.counters.won_month, -(r.counters.plan_won or 0)))
        keep = {id(r) for r in best[:MAX_BARS]}
        rows = [r for r in rows if id(r) in keep]
    people = [
        PersonProgress(row.name or "", row.counters.won_month, row.counters.plan_won)
        for row in rows
    ]
    return summary_chart(stages, people, labels)


def render_summary(summary: TeamSummary, tr: Tr) -> tuple[str, bytes]:
    """The full text (Telegram HTML) and the chart as PNG bytes. Pure; CPU-bound (the chart
    takes ~0.1 s): the scheduler runs it in a worker thread."""
    return summary_text(summary, tr), summary_png(summary, tr)


def split_summary(text: str, tr: Tr) -> tuple[str, list[str]]:
    """The photo caption and follow-up messages: the whole text as the caption when it fits
    (1024 characters), else the title as the caption and the text in messages of at most
    4096 characters, split between blocks."""
    if len(text) <= CAPTION_LIMIT:
        return text, []
    blocks = text.split("\n\n")
    caption = f"{blocks[0]}\n{tr('summary.see_below')}"
    messages: list[str] = []
    current = ""
    for block in blocks[1:]:
        if current and len(current) + 2 + len(block) > MESSAGE_LIMIT:
            messages.append(current)
            current = ""
        current = f"{current}\n\n{block}" if current else block
    if current:
        messages.append(current)
    return caption, messages
