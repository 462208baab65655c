"""/report messages: pure renderers (a report section in, text + keyboard out).

Every message has the period chips, the section chips and the buttons of its figures; each
button carries the team and the period's days, so pressing it later shows the same period."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.report import DrillCb, ReportCb, ReportView
from bot.i18n import Html, Tr
from bot.render.format import clip, esc, fmt_amount, fmt_date
from bot.render.stats import amounts, fit_blocks, progress
from models.money import Amounts
from models.periods import PRESETS, Period, PeriodKind
from models.services.report_figures import (
    Figure,
    FunnelReport,
    ManagersReport,
    PersonRow,
    SourceRow,
)
from models.services.report_queries import ReportScope
from models.users import Team

Rows = list[list[InlineKeyboardButton]]
NAME_CLIP = 40
BUTTON_CLIP = 28
PEOPLE_PER_PAGE = 20
SOURCE_BUTTONS = 12


@dataclass(frozen=True)
class ReportContext:
    """What a report message is about: whose, which period, which section."""

    scope: ReportScope
    period: Period
    view: ReportView


def _cb(ctx: ReportContext, view: ReportView, *, key: int = 0, page: int = 0) -> str:
    start, end = ctx.period.codes
    data = ReportCb(view=view, team=ctx.scope.team_id, start=start, end=end, key=key, page=page)
    return data.pack()


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


def drill_button(
    ctx: ReportContext, text: str, figure: Figure, key: int = 0
) -> InlineKeyboardButton:
    start, end = ctx.period.codes
    data = DrillCb(fig=figure, key=key, team=ctx.scope.team_id, start=start, end=end)
    return _button(text, data.pack())


def period_text(period: Period, tr: Tr) -> str:
    start, end = fmt_date(period.start, tr), fmt_date(period.end, tr)
    if period.kind is PeriodKind.custom:
        return tr("report.period_custom", start=start, end=end)
    return tr("report.period_named", name=tr(f"report.p{int(period.kind)}"), start=start, end=end)


def who_text(scope: ReportScope, tr: Tr) -> str:
    if scope.kind == "team" and scope.team is not None:
        return tr("report.who_team", team=scope.team.name)
    return tr(f"report.who_{scope.kind}")


def _head(ctx: ReportContext, tr: Tr) -> str:
    return tr(
        "report.title", who=who_text(ctx.scope, tr), period=Html(esc(period_text(ctx.period, tr)))
    )


def _percent(value: float | None) -> int:
    return round(100 * value) if value is not None else 0


def _money_tail(sums: Amounts) -> str:
    """ " · 💰 150 000 ₽ · 1 000 $" (each currency apart), or nothing without money."""
    if not sums:
        return ""
    return " · 💰 " + " · ".join(fmt_amount(a, c) for c, a in sums.ordered())


def _chips(ctx: ReportContext, tr: Tr, rows: Rows, *, admin: bool) -> None:
    """Section chips, period chips, the chart and (admins) the team picker."""
    sections = []
    for view, key in (
        (ReportView.funnel, "report.btn_funnel"),
        (ReportView.sources, "report.btn_sources"),
        (ReportView.managers, "report.btn_managers"),
    ):
        mark = "✓ " if view is ctx.view else ""
        sections.append(_button(mark + tr(key), _cb(ctx, view)))
    rows.append(sections)
    chips = []
    for kind in PRESETS:
        mark = "✓ " if kind is ctx.period.kind else ""
        data = ReportCb(view=ctx.view, team=ctx.scope.team_id, preset=kind).pack()
        chips.append(_button(mark + tr(f"report.p{int(kind)}"), data))
    rows += [chips[0:2], chips[2:4], chips[4:6]]
    custom = _button(tr("report.p7"), _cb(ctx, ReportView.custom, key=int(ctx.view)))
    chart = _button(tr("report.btn_chart"), _cb(ctx, ReportView.chart, key=int(ctx.view)))
    rows.append([custom, chart])
    if admin:
        name = ctx.scope.team.name if ctx.scope.team else tr("report.btn_all_teams")
        team = tr("report.btn_team", team=clip(name, BUTTON_CLIP))
        rows.append([_button(team, _cb(ctx, ReportView.teams, key=int(ctx.view)))])


def _markup(rows: Rows) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=rows)


# -- funnel --------------------------------------------------------------------------------------
def render_funnel(
    ctx: ReportContext, report: FunnelReport, tr: Tr, *, admin: bool
) -> tuple[str, InlineKeyboardMarkup]:
    funnel, rows = report.funnel, []
    if funnel.is_empty:
        text = f"{_head(ctx, tr)}\n\n{tr('report.empty')}"
    else:
        lines = [tr("report.funnel_head", total=funnel.total)]
        buttons = []
        for n, step in enumerate((s for s in funnel.steps if s.stage is not None), start=1):
            assert step.stage is not None
            label = step.stage.label(tr.locale)
            conv = tr("report.funnel_conv", percent=_percent(step.conversion))
            days = tr("report.funnel_days", days=Html(_days(step.median_days, tr)))
            lines.append(
                tr(
                    "report.funnel_step",
                    n=n,
                    stage=label,
                    reached=step.reached,
                    conv=Html(conv if step.conversion is not None else ""),
                    days=Html(days if step.median_days is not None else ""),
                )
            )
            if step.reached:
                text_ = tr(
                    "report.btn_step", n=n, stage=clip(label, BUTTON_CLIP), count=step.reached
                )
                buttons.append(drill_button(ctx, text_, Figure.reached, step.stage.id))
        lines.append(
            tr(
                "report.funnel_won",
                won=funnel.won,
                percent=_percent(funnel.to_won),
                amount=Html(esc(_money_tail(report.won_amount))),
            )
        )
        lines.append(
            tr("report.funnel_rest", lost=funnel.lost, paused=funnel.paused, open=funnel.open)
        )
        lines += ["", tr("report.funnel_note")]
        text = f"{_head(ctx, tr)}\n\n" + "\n".join(lines)
        rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
        last = [drill_button(ctx, tr("report.btn_won", count=funnel.won), Figure.reached, 0)]
        if funnel.lost:
            last.append(
                drill_button(ctx, tr("report.btn_lost", count=funnel.lost), Figure.cohort_lost)
            )
        rows.append(last)
    _chips(ctx, tr, rows, admin=admin)
    return text, _markup(rows)


def _days(days: float | None, tr: Tr) -> str:
    if days is None:
        return ""
    text = f"{days:.1f}"
    return text.replace(".", ",") if tr.locale == "ru" else text


# -- sources -------------------------------------------------------------------------------------
def source_name(row: SourceRow, tr: Tr) -> str:
    return row.source.label(tr.locale) if row.source is not None else tr("report.no_source")


def render_sources(
    ctx: ReportContext, sources: list[SourceRow], tr: Tr, *, admin: bool
) -> tuple[str, InlineKeyboardMarkup]:
    rows: Rows = []
    if not sources:
        text = f"{_head(ctx, tr)}\n\n{tr('report.empty')}"
    else:
        blocks = []
        for row in sources:
            name = source_name(row, tr)
            block = tr(
                "report.source_line",
                source=name,
                new=row.new,
                won=row.won,
                percent=_percent(row.conversion),
                amount=Html(esc(_money_tail(row.won_amount))),
            )
            if row.lost:
                reasons = ", ".join(
                    tr(
                        "report.reason",
                        reason=r if r is not None else tr("report.no_reason"),
                        count=n,
                    )
                    for r, n in row.reasons.items()
                )
                block += "\n" + tr("report.source_lost", lost=row.lost, reasons=Html(reasons))
            blocks.append(block)
        text = fit_blocks(f"{_head(ctx, tr)}\n\n{tr('report.sources_head')}", blocks, [], tr)
        for row in sources[:SOURCE_BUTTONS]:
            name = clip(source_name(row, tr), BUTTON_CLIP)
            line = [drill_button(ctx, tr("report.btn_src_new", source=name, count=row.new),
                                 Figure.src_new, row.key)]  # fmt: skip
            if row.won:
                line.append(drill_button(ctx, tr("report.btn_src_won", count=row.won),
                                         Figure.src_won, row.key))  # fmt: skip
            if row.lost:
                line.append(drill_button(ctx, tr("report.btn_src_lost", count=row.lost),
                                         Figure.src_lost, row.key))  # fmt: skip
            rows.append(line)
    _chips(ctx, tr, rows, admin=admin)
    return text, _markup(rows)


# -- managers ------------------------------------------------------------------------------------
def person_name(row: PersonRow, tr: Tr) -> str:
    return row.user.full_name if row.user is not None else tr("report.total")


def person_block(row: PersonRow, tr: Tr, *, with_plan: bool) -> str:
    plan = row.plan_won if with_plan else None
    won = progress(row.won, plan, tr)
    money = amounts(row.won_amount, row.plan_amount if with_plan else None, tr)
    lines = [
        f"<b>{esc(clip(person_name(row, tr), NAME_CLIP))}</b>",
        tr("report.person_activity", new=row.new, notes=row.notes, moves=row.moves),
        tr("report.person_won", won=Html(esc(won)), amount=Html(esc(money)))
        + " · "
        + tr("report.person_lost", lost=row.lost),
        tr(
            "report.person_now",
            overdue=row.overdue,
            no_next=row.no_next,
            stale=row.stale,
            paused=row.paused,
        ),
    ]
    return "\n".join(lines)


def render_managers(
    ctx: ReportContext, report: ManagersReport, tr: Tr, *, admin: bool, page: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    rows: Rows = []
    with_plan = report.plan_months is not None
    if not report.rows:
        text = f"{_head(ctx, tr)}\n\n{tr('report.nobody')}"
    elif report.total.is_empty and report.total.plan_won is None:
        text = f"{_head(ctx, tr)}\n\n{tr('report.empty_activity')}"
    else:
        blocks = [person_block(r, tr, with_plan=with_plan) for r in report.rows]
        tail = []
        if len(report.rows) > 1:
            tail.append(person_block(report.total, tr, with_plan=with_plan))
        if not with_plan:
            tail.append(tr("report.plan_hint"))
        head = f"{_head(ctx, tr)}\n\n{tr('report.managers_head')}"
        text = fit_blocks(head, blocks, tail, tr)
    pages = max(1, -(-len(report.rows) // PEOPLE_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = report.rows[page * PEOPLE_PER_PAGE : (page + 1) * PEOPLE_PER_PAGE]
    people = [
        _button(clip(person_name(r, tr), BUTTON_CLIP), _cb(ctx, ReportView.person, key=r.key))
        for r in shown
    ]
    rows += [people[i : i + 2] for i in range(0, len(people), 2)]
    nav = []
    if page > 0:
        nav.append(_button(tr("common.prev"), _cb(ctx, ReportView.managers, page=page - 1)))
    if page + 1 < pages:
        nav.append(_button(tr("common.next"), _cb(ctx, ReportView.managers, page=page + 1)))
    if nav:
        rows.append(nav)
    if len(report.rows) > 1:
        rows.append([_button(tr("report.btn_total"), _cb(ctx, ReportView.person, key=0))])
    _chips(ctx, tr, rows, admin=admin)
    return text, _markup(rows)


_PERSON_FIGURES = (
    (Figure.mgr_new, "new"),
    (Figure.mgr_notes, "notes"),
    (Figure.mgr_moves, "moves"),
    (Figure.mgr_won, "won"),
    (Figure.mgr_lost, "lost"),
    (Figure.mgr_overdue, "overdue"),
    (Figure.mgr_no_next, "no_next"),
    (Figure.mgr_stale, "stale"),
    (Figure.mgr_paused, "paused"),
)


def render_person(
    ctx: ReportContext, report: ManagersReport, row: PersonRow, tr: Tr
) -> tuple[str, InlineKeyboardMarkup]:
    """One person's (or the total's) figures, a button per figure to its deals."""
    with_plan = report.plan_months is not None
    head = tr(
        "report.person_title",
        name=clip(person_name(row, tr), NAME_CLIP),
        period=Html(esc(period_text(ctx.period, tr))),
    )
    text = f"{head}\n\n{person_block(row, tr, with_plan=with_plan)}"
    buttons = [
        drill_button(ctx, tr(f"report.btn_f{int(f)}", count=getattr(row, attr)), f, row.key)
        for f, attr in _PERSON_FIGURES
    ]
    rows: Rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_button(tr("report.btn_back"), _cb(ctx, ReportView.managers))])
    return text, _markup(rows)


# -- the admin's team picker ---------------------------------------------------------------------
def render_team_picker(
    ctx: ReportContext, teams: list[Team], back: ReportView, tr: Tr
) -> tuple[str, InlineKeyboardMarkup]:
    start, end = ctx.period.codes
    rows: Rows = [
        [_button(tr("report.btn_all_teams"), ReportCb(view=back, start=start, end=end).pack())]
    ]
    for team in teams[:90]:
        data = ReportCb(view=back, team=team.id, start=start, end=end).pack()
        rows.append([_button(clip(team.name, BUTTON_CLIP), data)])
    return tr("report.pick_team"), _markup(rows)


def figure_title(figure: Figure, name: str | None, tr: Tr) -> str:
    if figure is Figure.reached and name is None:
        return tr("report.fig2_won")
    return tr(f"report.fig{int(figure)}", name=name or "")
