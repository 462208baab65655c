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
        away,
        capture,
        catalog_admin,
        common,
        deal_card,
        deal_create,
        deal_dates,
        deal_delete,
        deal_edit,
        deal_files,
        deal_history,
        deal_lists,
        deal_notes,
        deal_persons,
        deal_reassign,
        deal_search,
        deal_stage,
        digest_actions,
        export,
        fallback,
        help_page,
        import_flow,
        intake_claim,
        intake_forms,
        invites,
        language,
        outcomes,
        pauses,
        people,
        plans,
        profile,
        report,
        rhythm_settings,
        start,
        stats,
        team_feed,
        user_settings,
        week,
    )

    return [
        common.build_router(),
        start.build_router(),
        # Web-form intake and team group feeds: commands and buttons that work in group
        # chats (a group gate must let them through; see handlers/team_feed.py).
        intake_claim.build_router(),
        team_feed.build_router(),
        intake_forms.build_router(),
        deal_lists.build_router(),
        outcomes.build_router(),  # the rows' one-tap buttons of those lists
        # Before the rest: in the search state, a command or a menu button leaves the search.
        deal_search.build_router(),
        # The work on a deal (open, note, stage, date: dozens a day each) before the rarer
        # creation; typed answers are bound to their flow's state, so this order between
        # them changes no outcome.
        deal_card.build_router(),
        deal_notes.build_router(),
        deal_stage.build_router(),
        deal_dates.build_router(),
        pauses.build_router(),
        digest_actions.build_router(),
        deal_create.build_router(),
        deal_edit.build_router(),
        deal_persons.build_router(),
        deal_delete.build_router(),
        deal_history.build_router(),
        deal_reassign.build_router(),
        invites.build_router(),
        language.build_router(),
        stats.build_router(),
        report.build_router(),  # /report (issue 13)
        plans.build_router(),
        user_settings.build_router(),
        catalog_admin.build_router(),
        people.build_router(),
        profile.build_router(),
        rhythm_settings.build_router(),  # /stale, early reminders (issue 11.2, 11.6)
        week.build_router(),  # /week (issue 11.6)
        away.build_router(),  # /away (issue 11.6)
        # Files and capture: outside any flow (or in the 📎 state) only, so after every
        # feature's own input; a spreadsheet outside a deal passes on (an import).
        deal_files.build_router(),
        capture.build_router(),
        # Documents outside any flow (a spreadsheet to import): after every flow's handlers.
        export.build_router(),
        import_flow.build_router(),
        help_page.build_router(),
        fallback.build_router(),  # must stay last
    ]
