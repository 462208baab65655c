"""Callback data of web-form intake and the team group feed."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData

from bot.callbacks.fields import Id


class ClaimCb(CallbackData, prefix="ic"):
    """ "Взять": the first press takes the request."""

    request_id: Id


class FormCb(CallbackData, prefix="if"):
    """Revoke a form (from /forms)."""

    form_id: Id


class FeedSwitch(IntEnum):
    requests = 1
    won = 2
    escalations = 3


class FeedCb(CallbackData, prefix="tf"):
    """Switch one part of a group's feed on or off (from /feed in the group)."""

    switch: FeedSwitch
