"""Feature routers, built fresh for every dispatcher (a router can belong to one only).

Order matters: the routers hit most often come first (each router passed
costs time), and /cancel comes before any wizard state handler."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from . import common, fallback, invites, language, menu, start

    return [
        common.build_router(),
        start.build_router(),
        invites.build_router(),
        language.build_router(),
        menu.build_router(),
        fallback.build_router(),  # must stay last
    ]
