"""What is due right now, and the sent-log that makes every proactive message go out at most
once: ``crm.reminders``.

The scheduler's scan walks indexes only, never the whole deals table:

* daily messages (digest, follow-up, the leads' escalation check) start from the users table
  (small: one row per person) filtered per time zone by the local wall clock, minus the users
  whose key for the local date is already in the sent-log (a probe of its unique index);
* their deals come from ``ix_deals_owner_status_next`` (owner_id, status, next_action_on),
  batched over many owners per statement, never one query per user;
* timed reminders come from a range of ``ix_deals_next_action_at``.

Every statement is built by a ``*_stmt`` function so ``EXPLAIN QUERY PLAN`` can be printed
(see :func:`explain_statements`).

Keys (``SentNotification.key``, unique):

* ``digest:<user>:<local date>`` / ``followup:<user>:<local date>`` / ``escalations:<lead>:
  <local date>``: the day's decision for one person. When nothing is due the key is recorded
  anyway (a *decision marker*, ``sent_at`` = ``created_at``): a deal dated today later that
  day must not trigger a late "morning" digest, and later scans skip the person cheaply;
* ``remind:<deal>:<next_action_at ISO>``: a moved date gives a new key, so the deal is
  reminded at the new time only;
* ``escalate:<deal>:<next_action_on>``: a deal is reported to the lead once per overdue date;
* ``blocked:<user>:<UTC date>``: an admin is told once that a person cannot be reached.

A row's life (``bot.sender``): claimed and handed (``handed_at``) in one transaction at the
send slot -> ``sent_at`` when Telegram accepted; a 429 clears ``handed_at`` while it waits; a
failure or a shutdown deletes the row. At start-up (:meth:`Reminders.recover_claims`) a row
never handed is deleted (the scan sends it) and a row handed but unconfirmed gets
``reported_at`` (logged once as possibly not delivered, never sent again).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..deals import Deal, EventKind
from ..errors import InvalidInput
from ..timeutil import local_now
from ..users import User
from .deals import next_action_values
from .reminder_items import (
    DUE_LIST_LIMIT,
    REMIND_STALE_AFTER,
    SNOOZE_ROUND_MINUTES,
    Daily,
    DueDeal,
    DueList,
    EscalatedDeal,
    Recipient,
    Snooze,
    TimedDue,
    ZoneSlot,
)
from .reminder_queries import (
    DUE_COLUMNS,
    action_text,
    daily_due_stmt,
    due_deals_stmt,
    due_of,
    due_order,
    next_work_day,
    recipient_of,
    team_members_stmt,
    team_overdue_stmt,
    timed_due_stmt,
    zone_slots,
    zones_stmt,
)
from .sent_log import SentLog, chunks

if TYPE_CHECKING:
    from ..crm import Crm

logger = logging.getLogger(__name__)


class Reminders(SentLog):
    """What is due (digests, timed reminders, escalations) and snoozes; the sent-log's
    claims and outcomes are inherited from ``SentLog``."""

    def __init__(self, crm: Crm):
        super().__init__(crm.session, crm.clock)
        self.crm = crm

    # -- daily messages -------------------------------------------------------------------------
    async def zones(self) -> list[str]:
        return list(await self.session.scalars(zones_stmt()))

    async def daily_due(self, kind: Daily, now: dt.datetime) -> list[tuple[Recipient, ZoneSlot]]:
        """People whose ``kind`` message is due now and not decided yet, with their local day.
        Catch-up is built in: any time later the same local day still counts; a past day never
        does (its key names that day, and only today's keys are looked for)."""
        slots = zone_slots(await self.zones(), now)
        if not slots:
            return []
        by_zone = {s.timezone: s for s in slots}
        rows = await self.session.execute(daily_due_stmt(kind, slots))
        return [(r, by_zone[r.timezone]) for r in map(recipient_of, rows)]

    async def due_lists(
        self,
        people: Sequence[tuple[Recipient, ZoneSlot]],
        *,
        overdue_only: bool = False,
        limit: int = DUE_LIST_LIMIT,
    ) -> dict[int, DueList]:
        """Due (today + overdue, or overdue only) deals of many people, exact counts and the
        first ``limit`` deals each: one statement per local day and batch of owners, never
        one per person. People with nothing due are absent."""
        by_day: dict[dt.date, list[int]] = defaultdict(list)
        for person, slot in people:
            by_day[slot.day].append(person.id)
        found: dict[int, list[DueDeal]] = defaultdict(list)
        days: dict[int, dt.date] = {}
        for today, owner_ids in by_day.items():
            for part in chunks(owner_ids):
                stmt = due_deals_stmt(part, today, overdue_only=overdue_only)
                # Core rows, no ORM result machinery: this is the hot loop of a 09:00 wave.
                connection = await self.session.connection()
                for row in await connection.execute(stmt):
                    deal = DueDeal(*row)
                    found[deal.owner_id].append(deal)
                    days[deal.owner_id] = today
        lists = {}
        for owner_id, deals in found.items():
            today = days[owner_id]
            deals.sort(key=due_order)
            overdue = sum(1 for d in deals if d.next_action_on < today)
            lists[owner_id] = DueList(today, overdue, len(deals) - overdue, deals[:limit])
        return lists

    # -- timed reminders ------------------------------------------------------------------------
    async def timed_due(self, now: dt.datetime) -> list[TimedDue]:
        """Deals whose next-action moment has come (within ``REMIND_STALE_AFTER``) and whose
        reminder for that exact moment was not sent."""
        rows = await self.session.execute(timed_due_stmt(now - REMIND_STALE_AFTER, now))
        width = len(DUE_COLUMNS)
        due = [TimedDue(due_of(r), r[width], recipient_of(r[width + 1 :])) for r in rows]
        if not due:
            return []
        sent = await self.existing_keys([d.key for d in due])
        return [d for d in due if d.key not in sent]

    # -- escalations ----------------------------------------------------------------------------
    async def escalations(
        self, leads: Sequence[Recipient], now: dt.datetime, days: int
    ) -> dict[int, list[EscalatedDeal]]:
        """Per lead: their team's open deals overdue by more than ``days`` (in each owner's
        own calendar) that were not reported for that overdue date yet."""
        members: dict[int, tuple[str, str, int]] = {}  # owner -> (name, zone, lead)
        for part in chunks([lead.id for lead in leads]):
            for owner_id, name, email, zone, lead_id in await self.session.execute(
                team_members_stmt(part)
            ):
                members[owner_id] = (email or name, zone, lead_id)
        if not members:
            return {}
        todays = {s.timezone: s.day for s in zone_slots({z for _, z, _ in members.values()}, now)}
        if not todays:
            return {}
        before = max(todays.values()) - dt.timedelta(days=days)
        found: list[EscalatedDeal] = []
        for part in chunks(list(members)):
            for row in await self.session.execute(team_overdue_stmt(part, before)):
                deal = due_of(row)
                name, zone, _ = members[deal.owner_id]
                if zone not in todays:
                    continue
                late = (todays[zone] - deal.next_action_on).days
                if late > days:
                    found.append(EscalatedDeal(deal, name, late))
        sent = await self.existing_keys([e.key for e in found])
        result: dict[int, list[EscalatedDeal]] = defaultdict(list)
        for item in found:
            if item.key not in sent:
                result[members[item.deal.owner_id][2]].append(item)
        return dict(result)

    # -- snooze ---------------------------------------------------------------------------------
    async def snooze(self, actor: User, deal: Deal, choice: Snooze) -> Deal:
        """Move the next action of ``deal`` (loaded by ``deals.get_for`` with its owner, and
        checked for staleness by the caller) in the owner's calendar."""
        if not deal.is_open:
            raise InvalidInput("rem.snooze_closed")
        owner = deal.owner
        now = self.clock().replace(second=0, microsecond=0)
        at: dt.time | None
        if choice is Snooze.hour:
            # An hour of real time (across a DST change too), then up to a round 5 minutes.
            moment = local_now(now + dt.timedelta(hours=1), owner.timezone)
            moment += dt.timedelta(minutes=-moment.minute % SNOOZE_ROUND_MINUTES)
            day, at = moment.date(), moment.time().replace(tzinfo=None)
        else:
            day = next_work_day(local_now(now, owner.timezone).date(), owner.work_days)
            at = deal.next_action_time
        deals = self.crm.deals
        old = action_text(deal.next_action_on, deal.next_action_time)
        event = deals.event(deal, actor, EventKind.next_action, old=old, new=action_text(day, at))
        await deals.write(deal, next_action_values(day, at, owner), [event])
        return deal
