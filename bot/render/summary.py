"""The lead's daily summary: text (per person and in total) and the plan progress chart."""

from __future__ import annotations

from bot.i18n import Html, Tr
from bot.render.bars import Panel
from bot.render.format import clip, esc, fmt_date
from bot.render.plan_chart import Pace, team_panels
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


def summary_panels(summary: TeamSummary, tr: Tr) -> list[Panel] | None:
    """The plan progress chart of the team (per manager; bot/render/plan_chart.py), or None
    when nobody in it has a plan this month."""
    return team_panels(summary.rows, Pace.of(summary.day), tr)


def render_summary(summary: TeamSummary, tr: Tr) -> tuple[str, list[Panel] | None]:
    """The full text (Telegram HTML) and the chart's panels (None: no plans, and the text
    says so in a line instead). Pure and cheap: the PNG is drawn by
    ``bot.render.chart_worker.render_png``, off the event loop."""
    text = summary_text(summary, tr)
    panels = summary_panels(summary, tr)
    if panels is None:
        text = f"{text}\n\n{tr('summary.no_plan_chart')}"
    return text, panels


def split_text(text: str) -> list[str]:
    """Messages of at most 4096 characters, split between blocks (a summary without a
    chart goes as text)."""
    messages: list[str] = []
    current = ""
    for block in text.split("\n\n"):
        if current and len(current) + 2 + len(block) > MESSAGE_LIMIT:
            messages.append(current)
            current = ""
        current = f"{current}\n\n{block}" if current else block
    if current:
        messages.append(current)
    return messages


def split_summary(text: str, tr: Tr) -> tuple[str, list[str]]:
    """The photo caption and follow-up messages: the whole text as the caption when it fits
    (1024 characters), else the title as the caption and the text in messages of at most
    4096 characters, split between blocks."""
    if len(text) <= CAPTION_LIMIT:
        return text, []
    blocks = text.split("\n\n")
    caption = f"{blocks[0]}\n{tr('summary.see_below')}"
    return caption, split_text("\n\n".join(blocks[1:]))
