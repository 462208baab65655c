"""Callback data of /report: a report view ("rp"), a figure's deal list ("rpd") and its export
("rpx"). A button carries the whole state (team, period as two day ordinals, the view), so a
report needs no server-side state; every press re-checks the viewer's rights on the team and
the person (a forged team or person id is refused by models/services/team_reports.py)."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Num, OptId
from models.periods import PeriodKind
from models.services.export import ExportFormat
from models.services.report_figures import Figure


class ReportView(IntEnum):
    funnel = 1
    sources = 2
    managers = 3
    person = 4  # one person's figures with a button each (key: the person)
    teams = 5  # an admin's team picker
    custom = 6  # "type the dates"
    chart = 7  # the current section as an image (key: the view it charts)


class ReportCb(CallbackData, prefix="rp"):
    view: ReportView
    team: OptId = 0  # 0: own figures (a manager), the whole company (an admin)
    start: Num = 0  # date ordinals; 0 with a preset: the preset around today
    end: Num = 0
    preset: PeriodKind = PeriodKind.this_month
    key: OptId = 0
    page: Num = 0


class DrillCb(CallbackData, prefix="rpd"):
    fig: Figure
    key: OptId = 0
    team: OptId = 0
    start: Num = 0
    end: Num = 0
    page: Num = 1


class DrillExportCb(CallbackData, prefix="rpx"):
    fig: Figure
    fmt: ExportFormat
    key: OptId = 0
    team: OptId = 0
    start: Num = 0
    end: Num = 0
