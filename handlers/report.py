"""/report and the 📈 Report menu button: period reports (funnel, sources, managers) with
period chips, custom dates, charts and a deal list behind every figure, exportable.

Every press rebuilds the report from the button's team and period under the viewer's current
rights (models/services/team_reports.py refuses a forged team or person: the error handler
answers with the alert)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

from aiogram import Bot, Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks.report import DrillCb, DrillExportCb, ReportCb, ReportView
from bot.filters import TextKey
from bot.i18n import Tr
from bot.render.chart_worker import draw_off_loop
from bot.render.report import (
    ReportContext,
    figure_title,
    period_text,
    render_funnel,
    render_managers,
    render_person,
    render_sources,
    render_team_picker,
    source_name,
    who_text,
)
from bot.render.report_chart import funnel_chart, plan_chart, sources_chart
from bot.render.report_drill import PAGE_SIZE, render_drill
from handlers.stats import edit_or_send
from models.catalog import Source, Stage
from models.crm import Crm
from models.errors import AccessDenied, InvalidInput
from models.periods import Period, PeriodKind, of_codes, parse_range, preset
from models.roles import Role
from models.services.deal_lists import EXPORT_LIMIT
from models.services.export import COLUMNS, export_deals
from models.services.report_figures import PERSON_FIGURES, Figure, SourceRow
from models.services.report_queries import ReportScope
from models.users import User

SECTIONS = (ReportView.funnel, ReportView.sources, ReportView.managers)


class ReportForm(StatesGroup):
    dates = State()


async def _render(
    crm: Crm, user: User, tr: Tr, ctx: ReportContext, *, key: int = 0, page: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    reports, admin = crm.team_reports, user.role is Role.admin
    if ctx.view is ReportView.funnel:
        return render_funnel(ctx, await reports.funnel(ctx.scope, ctx.period), tr, admin=admin)
    if ctx.view is ReportView.sources:
        rows = await reports.sources(ctx.scope, ctx.period)
        return render_sources(ctx, rows, tr, admin=admin)
    managers = await reports.managers(ctx.scope, ctx.period)
    if ctx.view is ReportView.person:
        row = managers.total if key == 0 else next((r for r in managers.rows if r.key == key), None)
        if row is None:  # somebody who left the team (or a forged id)
            raise AccessDenied("report.not_your_team")
        return render_person(ctx, managers, row, tr)
    return render_managers(ctx, managers, tr, admin=admin, page=page)


def _period(cb: ReportCb | DrillCb | DrillExportCb, today: dt.date) -> Period:
    if cb.start or cb.end:
        return of_codes(cb.start, cb.end, today)
    if isinstance(cb, ReportCb) and cb.preset is not PeriodKind.custom:
        return preset(cb.preset, today)
    raise InvalidInput("report.bad_period")


async def report_command(
    message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr,
    command: CommandObject | None = None,
) -> None:  # fmt: skip
    await state.clear()
    scope = await crm.team_reports.scope(user)
    today = scope.today
    args = (command.args or "").strip() if command else ""
    period = parse_range(args, today) if args else preset(PeriodKind.this_month, today)
    text, markup = await _render(crm, user, tr, ReportContext(scope, period, ReportView.funnel))
    await message.answer(text, reply_markup=markup)


async def report_pressed(
    query: CallbackQuery, callback_data: ReportCb, bot: Bot, state: FSMContext, crm: Crm,
    user: User, tr: Tr,
) -> None:  # fmt: skip
    cb = callback_data
    scope = await crm.team_reports.scope(user, cb.team)  # may refuse: the alert
    period = _period(cb, scope.today)
    back = ReportView(cb.key) if cb.key in {int(v) for v in SECTIONS} else ReportView.funnel
    if cb.view is ReportView.teams:
        if user.role is not Role.admin:
            raise AccessDenied("report.not_your_team")
        teams = await crm.team_reports.teams()
        await query.answer()
        ctx = ReportContext(scope, period, back)
        text, markup = render_team_picker(ctx, teams, back, tr)
        await edit_or_send(query, bot, text, markup)
        return
    if cb.view is ReportView.custom:
        await query.answer()
        await state.set_state(ReportForm.dates)
        await state.update_data(team=cb.team, view=int(back))
        chat_id = query.message.chat.id if query.message else query.from_user.id
        await bot.send_message(chat_id, tr("report.ask_range"))
        return
    if cb.view is ReportView.chart:
        await _send_chart(query, bot, crm, tr, ReportContext(scope, period, back))
        return
    ctx = ReportContext(scope, period, cb.view)
    text, markup = await _render(crm, user, tr, ctx, key=cb.key, page=cb.page)
    if await state.get_state() == ReportForm.dates.state:
        await state.clear()  # a chip pressed instead of typing the dates
    await query.answer()
    await edit_or_send(query, bot, text, markup)


async def dates_typed(message: Message, state: FSMContext, crm: Crm, user: User, tr: Tr) -> None:
    text = message.text or ""
    if text.startswith("/"):
        raise SkipHandler  # another command: let its handler run
    data = await state.get_data()
    scope = await crm.team_reports.scope(user, int(data.get("team", 0)))
    period = parse_range(text, scope.today)  # bad dates: the error handler explains, state stays
    await state.clear()
    view = ReportView(int(data.get("view", ReportView.funnel)))
    if view not in SECTIONS:
        view = ReportView.funnel
    text_, markup = await _render(crm, user, tr, ReportContext(scope, period, view))
    await message.answer(text_, reply_markup=markup)


async def _send_chart(query: CallbackQuery, bot: Bot, crm: Crm, tr: Tr, ctx: ReportContext) -> None:
    reports = crm.team_reports
    if ctx.view is ReportView.sources:
        rows = await reports.sources(ctx.scope, ctx.period)
        draw = lambda: sources_chart(rows, tr)  # noqa: E731
    elif ctx.view is ReportView.managers:
        managers = await reports.managers(ctx.scope, ctx.period)
        draw = lambda: plan_chart(managers, tr)  # noqa: E731
    else:
        funnel = await reports.funnel(ctx.scope, ctx.period)
        draw = lambda: funnel_chart(funnel, tr)  # noqa: E731
    await query.answer()
    png = await draw_off_loop(draw)  # CPU work: the chart worker, not the loop
    caption = tr(
        "report.chart_caption", who=who_text(ctx.scope, tr), period=period_text(ctx.period, tr)
    )
    chat_id = query.message.chat.id if query.message else query.from_user.id
    await bot.send_photo(chat_id, BufferedInputFile(png, "report.png"), caption=caption)


async def _title(crm: Crm, scope: ReportScope, figure: Figure, key: int, tr: Tr) -> str:
    """The list's title: the figure, with the stage, the source or the person it is about."""
    name: str | None = None
    if figure is Figure.reached and key:
        stage = await crm.session.get(Stage, key)
        name = stage.label(tr.locale) if stage else "?"
    elif figure in (Figure.src_new, Figure.src_won, Figure.src_lost):
        source = await crm.session.get(Source, key) if key else None
        name = source_name(SourceRow(source), tr)
    title = figure_title(figure, name, tr)
    if figure in PERSON_FIGURES and key:
        person = next((p for p in scope.people if p.id == key), None)
        if person is not None:
            title = f"{title} · {person.full_name}"
    return title


async def drill_pressed(
    query: CallbackQuery, callback_data: DrillCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    cb = callback_data
    scope = await crm.team_reports.scope(user, cb.team)
    period = _period(cb, scope.today)
    ids = await crm.team_reports.drill_ids(user, scope, period, cb.fig, cb.key)
    pages = max(1, -(-len(ids) // PAGE_SIZE))
    page = min(max(cb.page, 1), pages)
    deals = await crm.team_reports.deals_by_ids(
        user, ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    )
    title = await _title(crm, scope, cb.fig, cb.key, tr)
    ctx = ReportContext(scope, period, ReportView.funnel)
    text, markup = render_drill(ctx, cb.fig, cb.key, title, deals, len(ids), page, tr)
    await query.answer()
    await edit_or_send(query, bot, text, markup)


async def drill_export_pressed(
    query: CallbackQuery, callback_data: DrillExportCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    cb = callback_data
    scope = await crm.team_reports.scope(user, cb.team)
    period = _period(cb, scope.today)
    ids = await crm.team_reports.drill_ids(user, scope, period, cb.fig, cb.key)
    deals = await crm.team_reports.deals_by_ids(user, ids[:EXPORT_LIMIT])
    if not deals:
        await query.answer(tr("export.empty"), show_alert=True)
        return
    await query.answer()
    title = await _title(crm, scope, cb.fig, cb.key, tr)
    titles = {key: tr(f"export.col.{key}") for key in COLUMNS}
    name = f"report-{period.start.isoformat()}-{period.end.isoformat()}"
    file = await asyncio.to_thread(
        export_deals, deals, cb.fmt, titles, locale=tr.locale, timezone=user.timezone,
        name=name, sheet=re.sub(r"[\[\]:*?/\\]", " ", title),  # what a sheet name can't hold
    )  # fmt: skip
    caption = tr("report.export_caption", title=title, n=file.rows)
    if len(ids) > EXPORT_LIMIT:
        caption += "\n" + tr("export.truncated", n=EXPORT_LIMIT)
    chat_id = query.message.chat.id if query.message else query.from_user.id
    await bot.send_document(chat_id, BufferedInputFile(file.data, file.name), caption=caption)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(report_command, Command("report"))
    router.message.register(report_command, TextKey("menu.report"))
    router.callback_query.register(report_pressed, ReportCb.filter())
    router.callback_query.register(drill_pressed, DrillCb.filter())
    router.callback_query.register(drill_export_pressed, DrillExportCb.filter())
    router.message.register(dates_typed, StateFilter(ReportForm.dates))
    return router
