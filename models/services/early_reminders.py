"""Early reminders (``crm.early_reminders``): a person's choice of "N minutes before" a timed
next step, and the scan of the early moments that have come.

Key ``early:<deal>:<next_action_at ISO>``: apart from the on-time ``remind:`` key, so each of
the two goes out once; a moved step has a new moment, so a new key (the early reminder comes
before the new time, never for the old one). The lead time itself is not in the key: changing
it after the early reminder went out does not send a second one. All-day steps have no
``next_action_at`` and get no early reminder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..catalog import StageKind
from ..deals import Deal
from ..errors import InvalidInput
from ..sql import AnySelect
from ..users import User
from .reminder_items import DueDeal, Recipient
from .reminder_queries import DUE_COLUMNS, RECIPIENT_COLUMNS, unindexed

if TYPE_CHECKING:
    from ..crm import Crm

ALLOWED_MINUTES = frozenset({5, 15, 30, 60})
MAX_MINUTES = max(ALLOWED_MINUTES)


def early_key(deal_id: int, at: dt.datetime) -> str:
    return f"early:{deal_id}:{at.astimezone(dt.UTC).isoformat()}"


@dataclass(frozen=True)
class EarlyDue:
    deal: DueDeal
    at: dt.datetime  # the step's moment
    minutes: int  # minutes left until the step (the owner's lead time, when on time)
    owner: Recipient

    @property
    def key(self) -> str:
        return early_key(self.deal.id, self.at)


def early_due_stmt(now: dt.datetime) -> AnySelect:
    """Timed steps of the coming ``MAX_MINUTES`` of owners who want an early reminder: a
    range of ix_deals_next_action_at, as the on-time scan."""
    return (
        select(*DUE_COLUMNS, Deal.next_action_at, User.remind_before, *RECIPIENT_COLUMNS)
        .join(User, User.id == Deal.owner_id)
        .where(
            Deal.next_action_at > now,
            Deal.next_action_at <= now + dt.timedelta(minutes=MAX_MINUTES),
            unindexed(Deal.status) == StageKind.open,
            Deal.deleted_at.is_(None),
            User.remind_before.is_not(None),
            User.is_active.is_(True),
            User.is_reachable.is_(True),
        )
        .order_by(Deal.next_action_at, Deal.id)
    )


class EarlyReminders:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session

    async def set_minutes(self, user: User, minutes: int | None) -> None:
        if minutes is not None and minutes not in ALLOWED_MINUTES:
            raise InvalidInput("early.bad_choice")
        user.remind_before = minutes
        await self.session.flush()

    async def due(self, now: dt.datetime) -> list[EarlyDue]:
        """Early moments that have come (the step itself still ahead) and were not sent."""
        width = len(DUE_COLUMNS)
        found = []
        for row in await self.session.execute(early_due_stmt(now)):
            at, minutes = row[width], row[width + 1]
            if at - dt.timedelta(minutes=minutes) <= now:
                # What is left (a scan that runs late says so): whole minutes, at least 1.
                minutes = max(1, -(-int((at - now).total_seconds()) // 60))
                found.append(
                    EarlyDue(DueDeal(*row[:width]), at, minutes, Recipient(*row[width + 2 :]))
                )
        if not found:
            return []
        sent = await self.crm.reminders.existing_keys([d.key for d in found])
        return [d for d in found if d.key not in sent]
