"""Callback data of proactive messages (digest, reminders): the Snooze buttons. Open, Done
and Stage reuse ``DealCb`` so they start the deal card's own flows."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Id, Num


class SnoozeAction(IntEnum):
    menu = 1  # show the choices for one deal
    hour = 2  # +1 hour
    next_day = 3  # the next work day
    cancel = 4


class SnoozeCb(CallbackData, prefix="snz"):
    action: SnoozeAction
    deal_id: Id
    # The deal version the button was drawn for (0: any); a stale one shows the current card.
    v: Num = 0
