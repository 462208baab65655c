"""/stats and the Stats menu button: own counters, the lead's team, all teams for admins."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks.stats import StatsCb, StatsChartCb, StatsScope
from bot.filters import TextKey
from bot.i18n import Tr
from bot.render.calendar_lines import pause_line
from bot.render.chart_worker import render_png
from bot.render.stats import all_teams_button, render_stats
from bot.render.stats_chart import stats_chart
from models.crm import Crm
from models.roles import Role
from models.services.pauses import Pauses
from models.services.reports import StatsReport
from models.users import User

TEXT_LIMIT = 4096


def _render(report: StatsReport, user: User, tr: Tr) -> tuple[str, InlineKeyboardMarkup]:
    text, markup = render_stats(report, tr)
    if report.scope == "team" and user.role is Role.admin:
        markup = all_teams_button(tr, markup)
    return text, markup


async def _with_pauses(crm: Crm, user: User, tr: Tr, report: StatsReport, text: str) -> str:
    """Paused deals of the report's people: how many, the longest pause."""
    owners = [user.id] if report.scope == "own" else None
    if report.scope == "team":
        owners = [row.id for row in report.rows]
    gap = "\n" if report.scope == "own" else "\n\n"  # own: one more counter; else a block
    line = pause_line(await Pauses(crm).stats(user, owners), tr)
    if len(text) + len(gap) + len(line) > TEXT_LIMIT:  # a huge team's page is full already
        return text
    return f"{text}{gap}{line}"


async def stats_command(message: Message, crm: Crm, user: User, tr: Tr) -> None:
    report = await crm.reports.stats_for(user)
    text, markup = _render(report, user, tr)
    text = await _with_pauses(crm, user, tr, report, text)
    await message.answer(text, reply_markup=markup)


async def stats_pressed(
    query: CallbackQuery, callback_data: StatsCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    # The report re-checks rights (a lead's button of another team, an ex-admin): it may
    # refuse, and the error handler answers the query with the alert.
    if callback_data.scope is StatsScope.all:
        report = await crm.reports.all_teams(user, callback_data.page)
    elif callback_data.scope is StatsScope.team:
        report = await crm.reports.team(user, callback_data.team_id)
    else:
        report = await crm.reports.own(user)
    text, markup = _render(report, user, tr)
    text = await _with_pauses(crm, user, tr, report, text)
    await query.answer()
    await edit_or_send(query, bot, text, markup)


async def edit_or_send(
    query: CallbackQuery, bot: Bot, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Edit the message of the button in place; "not modified" means it is current already;
    a message that can't be edited (too old, gone) gets a fresh copy."""
    if isinstance(query.message, Message):
        try:
            await query.message.edit_text(text, reply_markup=markup)
            return
        except TelegramBadRequest as exc:
            if "not modified" in exc.message:
                return
            if "can't be edited" not in exc.message and "not found" not in exc.message:
                raise
    chat_id = query.message.chat.id if query.message else query.from_user.id
    await bot.send_message(chat_id, text, reply_markup=markup)


async def chart_pressed(
    query: CallbackQuery, callback_data: StatsChartCb, bot: Bot, crm: Crm, user: User, tr: Tr
) -> None:
    """The plan chart as a photo under the stats message: on request, so /stats itself
    answers at once; drawn in the chart worker, off the event loop."""
    if callback_data.scope is StatsScope.team:
        report = await crm.reports.team(user, callback_data.team_id)  # re-checks rights
    else:
        report = await crm.reports.own(user)
    await query.answer()
    chat_id = query.message.chat.id if query.message else query.from_user.id
    chart = stats_chart(report, tr)
    if chart is None:  # the plan was removed, or the month turned since the button was sent
        await bot.send_message(chat_id, tr("stats.no_plan_chart"))
        return
    panels, caption = chart
    png = await render_png(panels)
    photo = BufferedInputFile(png, filename=f"plan-{report.month:%Y-%m}.png")
    await bot.send_photo(chat_id, photo, caption=caption)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(stats_command, Command("stats"))
    router.message.register(stats_command, TextKey("menu.stats"))
    router.callback_query.register(stats_pressed, StatsCb.filter())
    router.callback_query.register(chart_pressed, StatsChartCb.filter())
    return router
