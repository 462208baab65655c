"""Callback data of /stats ("rst", its plan chart "rsc"), /plan ("pln") and /settings ("ust")."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Num, OptId


class StatsScope(IntEnum):
    own = 1
    team = 2
    all = 3


class StatsCb(CallbackData, prefix="rst"):
    scope: StatsScope
    team_id: OptId = 0
    page: Num = 0


class StatsChartCb(CallbackData, prefix="rsc"):
    """The plan chart of a /stats view, sent as a photo (own: the viewer's; team: per
    manager of ``team_id``)."""

    scope: StatsScope
    team_id: OptId = 0


class PlanAction(IntEnum):
    page = 1  # the list of people, page ``page``
    user = 2  # a person was picked: choose the month
    month = 3  # a month was picked (``month`` = YYYYMM): type the target
    cancel = 4


class PlanCb(CallbackData, prefix="pln"):
    action: PlanAction
    user_id: OptId = 0
    month: Num = 0
    page: Num = 0


class SettingsAction(IntEnum):
    show = 1  # the settings overview (also "Back" / "Done")
    digest = 2  # open the digest time picker
    summary = 3
    timezone = 4
    work_days = 5
    language = 6
    set_digest = 7  # value = HHMM
    set_summary = 8  # value = HHMM
    set_timezone = 9  # value = index in COMMON_TIMEZONES
    toggle_day = 10  # value = ISO weekday


class SettingsCb(CallbackData, prefix="ust"):
    action: SettingsAction
    value: Num = 0
