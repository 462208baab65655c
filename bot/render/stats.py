"""/stats and /plan messages: pure renderers (report in, text + keyboard out)."""

from __future__ import annotations

import datetime as dt
import decimal

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks.stats import PlanAction, PlanCb, StatsCb, StatsChartCb, StatsScope
from bot.i18n import Html, Tr
from bot.keyboards.dates import MONTH_NAMES
from bot.render.format import clip, esc, fmt_amount
from bot.render.plan_chart import has_plans
from models.money import Amounts
from models.plans import Plan
from models.services.plans import PlanTarget
from models.services.reports import PLAN_CURRENCY, Counters, StatsReport, StatsRow

MESSAGE_LIMIT = 4096
NAME_LIMIT = 60
BUTTON_NAME_LIMIT = 40


def month_label(month: dt.date, tr: Tr) -> str:
    name = MONTH_NAMES["ru" if tr.locale == "ru" else "en"][month.month - 1]
    return f"{name.lower() if tr.locale == 'ru' else name} {month.year}"


def money(amount: decimal.Decimal | None) -> str:
    """A plan's amount (in PLAN_CURRENCY)."""
    return fmt_amount(amount or decimal.Decimal(0), PLAN_CURRENCY)


def amounts(sums: Amounts, plan: decimal.Decimal | None = None, tr: Tr | None = None) -> str:
    """Money per currency, each with its sign, never added up across currencies:
    "200 000 ₽ · 1 000 $"; with a plan, the plan's currency reads "200 000 ₽ из 1 500 000 ₽"."""
    parts = [fmt_amount(amount, currency) for currency, amount in sums.ordered(PLAN_CURRENCY)]
    if plan is not None and tr is not None:
        won = fmt_amount(sums.of(PLAN_CURRENCY), PLAN_CURRENCY)
        against = tr("stats.of", won=won, plan=money(plan))
        others = [fmt_amount(a, c) for c, a in sums.ordered(PLAN_CURRENCY) if c != PLAN_CURRENCY]
        parts = [against, *others]
    return " · ".join(parts) or money(None)


def progress(won: int, plan: int | None, tr: Tr) -> str:
    """ "5 из 10" with a plan, "5" without."""
    return tr("stats.of", won=won, plan=plan) if plan is not None else str(won)


def plan_text(plan: Plan, tr: Tr) -> str:
    if plan.target_amount is None:
        return tr("plan.deals", won=plan.target_won)
    return tr("plan.deals_amount", won=plan.target_won, amount=money(plan.target_amount))


def fit_blocks(head: str, blocks: list[str], tail: list[str], tr: Tr) -> str:
    """Join blocks under Telegram's limit; what does not fit becomes "… and N more"."""
    shown: list[str] = []
    room = MESSAGE_LIMIT - len(head) - sum(len(t) + 2 for t in tail) - 40
    for i, block in enumerate(blocks):
        if len(block) + 2 > room:
            shown.append(tr("stats.more", count=len(blocks) - i))
            break
        shown.append(block)
        room -= len(block) + 2
    return "\n\n".join([head, *shown, *tail])


# -- /stats ---------------------------------------------------------------------------------------
def _own_lines(c: Counters, tr: Tr) -> list[str]:
    if c.plan_won is not None:
        percent = round(100 * c.won_month / c.plan_won) if c.plan_won else 0
        won = tr("stats.won_plan", progress=progress(c.won_month, c.plan_won, tr), percent=percent)
    else:
        won = tr("stats.won_no_plan", won=c.won_month)
    amount = tr("stats.amount", amount=amounts(c.won_month_amount, c.plan_amount, tr))
    return [
        won,
        amount,
        tr("stats.open", count=c.open),
        tr("stats.overdue", count=c.overdue),
        tr("stats.due_today", count=c.due_today),
        tr("stats.no_next_step", count=c.no_next_step),
    ]


def _row_block(name: str, c: Counters, tr: Tr) -> str:
    won = tr("stats.row_won", progress=progress(c.won_month, c.plan_won, tr))
    amount = amounts(c.won_month_amount, c.plan_amount, tr)
    pipeline = tr(
        "stats.row_pipeline",
        open=c.open,
        overdue=c.overdue,
        today=c.due_today,
        loose=c.no_next_step,
    )
    return (
        f"<b>{esc(clip(name, NAME_LIMIT))}</b>\n{won} · {tr('stats.row_amount', amount=amount)}"
        f"\n{pipeline}"
    )


def _row_name(row: StatsRow, tr: Tr) -> str:
    return row.name if row.name is not None else tr("stats.no_team")


def render_stats(report: StatsReport, tr: Tr) -> tuple[str, InlineKeyboardMarkup]:
    month = month_label(report.month, tr)
    if report.scope == "own":
        text = "\n".join([tr("stats.title_own", month=month), "", *_own_lines(report.total, tr)])
        return text, _stats_keyboard(report, tr)
    if report.scope == "team":
        head = tr("stats.title_team", team=report.team_name or "", month=month)
    else:
        head = tr("stats.title_all", month=month)
    blocks = [_row_block(_row_name(row, tr), row.counters, tr) for row in report.rows]
    tail = [_row_block(tr("stats.total"), report.total, tr)]
    if report.scope == "team" and not report.rows:
        blocks = [tr("stats.nobody")]
    if report.pages > 1:
        tail.append(tr("stats.page", page=report.page + 1, pages=report.pages))
    if report.scope == "team" and report.total.plan_won is None and report.rows:
        tail.append(tr("stats.plan_hint"))
    return fit_blocks(head, blocks, tail, tr), _stats_keyboard(report, tr)


def _stats_keyboard(report: StatsReport, tr: Tr) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    sizes: list[int] = []
    if report.scope == "all":
        for row in report.rows:
            if row.id:  # people without a team have no team page
                builder.button(
                    text=clip(_row_name(row, tr), BUTTON_NAME_LIMIT),
                    callback_data=StatsCb(scope=StatsScope.team, team_id=row.id),
                )
                sizes.append(1)
        nav = 0
        if report.page > 0:
            builder.button(
                text=tr("common.prev"),
                callback_data=StatsCb(scope=StatsScope.all, page=report.page - 1),
            )
            nav += 1
        if report.page + 1 < report.pages:
            builder.button(
                text=tr("common.next"),
                callback_data=StatsCb(scope=StatsScope.all, page=report.page + 1),
            )
            nav += 1
        if nav:
            sizes.append(nav)
    scope = {"own": StatsScope.own, "team": StatsScope.team, "all": StatsScope.all}[report.scope]
    if has_chart(report):
        builder.button(
            text=tr("stats.btn_chart"),
            callback_data=StatsChartCb(scope=scope, team_id=report.team_id or 0),
        )
        sizes.append(1)
    builder.button(
        text=tr("stats.btn_refresh"),
        callback_data=StatsCb(scope=scope, team_id=report.team_id or 0, page=report.page),
    )
    sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


def has_chart(report: StatsReport) -> bool:
    """A plan chart exists for one's own figures and a team's, once somebody has a plan."""
    if report.scope == "own":
        return report.total.plan_won is not None
    return report.scope == "team" and has_plans(report.rows)


def all_teams_button(tr: Tr, markup: InlineKeyboardMarkup) -> InlineKeyboardMarkup:
    """An admin looking at one team gets a way back to the overview."""
    builder = InlineKeyboardBuilder.from_markup(markup)
    builder.row()
    builder.button(text=tr("stats.btn_all_teams"), callback_data=StatsCb(scope=StatsScope.all))
    builder.adjust(1)
    return builder.as_markup()


# -- /plan ----------------------------------------------------------------------------------------
def month_code(month: dt.date) -> int:
    return month.year * 100 + month.month


def month_of_code(code: int) -> dt.date | None:
    try:
        return dt.date(code // 100, code % 100, 1)
    except ValueError:
        return None


def render_plan_people(
    targets: list[PlanTarget], page: int, pages: int, month: dt.date, tr: Tr
) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    for target in targets:
        name = clip(target.user.full_name, BUTTON_NAME_LIMIT)
        if target.plan is None:
            label = tr("plan.btn_user_none", name=name)
        else:
            label = tr("plan.btn_user_plan", name=name, won=target.plan.target_won)
        builder.button(
            text=label, callback_data=PlanCb(action=PlanAction.user, user_id=target.user.id)
        )
    sizes = [1] * len(targets)
    nav = 0
    if page > 0:
        builder.button(
            text=tr("common.prev"), callback_data=PlanCb(action=PlanAction.page, page=page - 1)
        )
        nav += 1
    if page + 1 < pages:
        builder.button(
            text=tr("common.next"), callback_data=PlanCb(action=PlanAction.page, page=page + 1)
        )
        nav += 1
    if nav:
        sizes.append(nav)
    builder.button(text=tr("common.cancel"), callback_data=PlanCb(action=PlanAction.cancel))
    sizes.append(1)
    text = tr("plan.choose_user", month=month_label(month, tr))
    if pages > 1:
        text += "\n" + tr("stats.page", page=page + 1, pages=pages)
    builder.adjust(*sizes)
    return text, builder.as_markup()


def render_plan_months(
    name: str, user_id: int, months: tuple[dt.date, ...], tr: Tr
) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboardBuilder()
    for month in months:
        builder.button(
            text=month_label(month, tr).capitalize(),
            callback_data=PlanCb(action=PlanAction.month, user_id=user_id, month=month_code(month)),
        )
    builder.button(text=tr("common.back"), callback_data=PlanCb(action=PlanAction.page))
    builder.button(text=tr("common.cancel"), callback_data=PlanCb(action=PlanAction.cancel))
    text = tr("plan.choose_month", name=clip(name, NAME_LIMIT))
    builder.adjust(len(months), 2)
    return text, builder.as_markup()


def render_plan_prompt(
    name: str, user_id: int, month: dt.date, current: Plan | None, tr: Tr
) -> tuple[str, InlineKeyboardMarkup]:
    now = tr("plan.current", plan=Html(plan_text(current, tr))) if current else None
    text = tr(
        "plan.ask_target",
        name=clip(name, NAME_LIMIT),
        month=month_label(month, tr),
        current=Html(now or tr("plan.current_none")),
    )
    builder = InlineKeyboardBuilder()
    builder.button(
        text=tr("common.back"), callback_data=PlanCb(action=PlanAction.user, user_id=user_id)
    )
    builder.button(text=tr("common.cancel"), callback_data=PlanCb(action=PlanAction.cancel))
    builder.adjust(2)
    return text, builder.as_markup()


def render_plan_saved(name: str, plan: Plan, tr: Tr) -> str:
    return tr(
        "plan.saved",
        name=clip(name, NAME_LIMIT),
        month=month_label(plan.month, tr),
        plan=Html(plan_text(plan, tr)),
    )
