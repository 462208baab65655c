"""Feature routers, built fresh for every dispatcher (a router can belong to one only).

Order matters: /cancel and /start first, then the lists (their main-menu buttons work in any
state), then deal buttons and wizards, the routers hit most often earlier (each router passed
costs time), and the fallback last. Typed answers in a flow are bound to its state and refuse
menu labels and commands (PlainText, WizardInput), so a menu button in a later router still
works in the middle of any flow."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from . import (
        catalog_admin,
        common,
        deal_card,
        deal_create,
        deal_dates,
        deal_delete,
        deal_edit,
        deal_history,
        deal_lists,
        deal_notes,
        deal_reassign,
        deal_search,
        deal_stage,
        digest_actions,
        fallback,
        invites,
        language,
        plans,
        start,
        stats,
        user_settings,
    )

    return [
        common.build_router(),
        start.build_router(),
        deal_lists.build_router(),
        # Before the rest: in the search state, a command or a menu button leaves the search.
        deal_search.build_router(),
        # The work on a deal (open, note, stage, date: dozens a day each) before the rarer
        # creation; typed answers are bound to their flow's state, so this order between
        # them changes no outcome.
        deal_card.build_router(),
        deal_notes.build_router(),
        deal_stage.build_router(),
        deal_dates.build_router(),
        digest_actions.build_router(),
        deal_create.build_router(),
        deal_edit.build_router(),
        deal_delete.build_router(),
        deal_history.build_router(),
        deal_reassign.build_router(),
        invites.build_router(),
        language.build_router(),
        stats.build_router(),
        plans.build_router(),
        user_settings.build_router(),
        catalog_admin.build_router(),
        fallback.build_router(),  # must stay last
    ]
