"""Out of office in the scheduler's scan (models/services/absences.py):

* escalation at once: an absent person's overdue deals go to their team lead at the next scan
  (not after ``OVERDUE_ESCALATION_DAYS``, not at the lead's follow-up time), within the lead's
  day (from their digest time on). Each deal under the same key ``escalate:<deal>:<date>`` as
  the regular escalation, so neither reports it twice;
* cover: the colleague chosen in /away gets the absent person's deals of the day at the
  colleague's own digest time, on their work days (key ``cover:<colleague>:<absent>:<day>``;
  a day with nothing to cover is recorded as decided).

The absent person's own digest, follow-up and reminders are paused where they are decided
(``reminders.daily_due_stmt``, scheduler/reminders.py, scheduler/early_reminders.py)."""

from __future__ import annotations

import datetime as dt
import logging

from bot.render.away import render_away_escalation, render_cover
from bot.sender import Outgoing, SendResult, text_message
from models.services.absences import AwayPerson
from models.services.reminder_items import escalate_key
from models.timeutil import local_now
from models.users import User

from .context import SchedulerContext

logger = logging.getLogger(__name__)


def cover_key(substitute_id: int, absent_id: int, day: dt.date) -> str:
    return f"cover:{substitute_id}:{absent_id}:{day.isoformat()}"


async def run_due(ctx: SchedulerContext, now: dt.datetime) -> int:
    async with ctx.reader() as session:
        people = await ctx.crm(session).absences.in_force(now)
    if not people:
        return 0
    return await escalate(ctx, now, people) + await cover(ctx, now, people)


async def escalate(ctx: SchedulerContext, now: dt.datetime, people: list[AwayPerson]) -> int:
    batch = []
    async with ctx.reader() as session:
        crm = ctx.crm(session)
        for person in people:
            if person.team_id is None:
                continue
            lead = await crm.absences.lead_of(person.team_id)
            if lead is None or lead.id == person.user_id or not lead.is_active:
                continue
            if local_now(now, lead.timezone).time().replace(tzinfo=None) < lead.digest_time:
                continue  # not at night: from the lead's morning on
            deals = await crm.absences.overdue_of(person, now)
            if not deals:
                continue
            keys = {d.id: escalate_key(d.id, d.next_action_on) for d in deals if d.next_action_on}
            sent = await crm.reminders.existing_keys(list(keys.values()))
            fresh = [d for d in deals if keys[d.id] not in sent]
            if not fresh:
                continue
            text, markup = render_away_escalation(
                person, fresh, ctx.translator.for_locale(lead.language)
            )
            batch.append(
                Outgoing(
                    key=f"awayesc:{lead.id}:{person.user_id}:{now:%Y-%m-%dT%H:%M}",
                    user_id=lead.id,
                    chat_id=lead.telegram_id,
                    send=text_message(lead.telegram_id, text, markup),
                    extra_keys=tuple(keys[d.id] for d in fresh),
                )
            )
    if not batch:
        return 0
    results = await ctx.sender.deliver(batch, ctx.session_factory)
    return results[SendResult.sent]


async def cover(ctx: SchedulerContext, now: dt.datetime, people: list[AwayPerson]) -> int:
    batch = []
    quiet: list[tuple[str, int]] = []
    async with ctx.reader() as session:
        crm = ctx.crm(session)
        for person in people:
            if person.substitute_id is None:
                continue
            sub = await session.get(User, person.substitute_id)
            if sub is None or not sub.is_active or not sub.is_reachable:
                continue
            local = local_now(now, sub.timezone)
            day = local.date()
            if str(local.isoweekday()) not in sub.work_days:
                continue
            if local.time().replace(tzinfo=None) < sub.digest_time:
                continue
            key = cover_key(sub.id, person.user_id, day)
            if await crm.reminders.existing_keys([key]):
                continue
            # The absent person's day (their calendar decides which deals are "of today").
            deals = await crm.absences.todays_of(person, local_now(now, person.timezone).date())
            if not deals:
                quiet.append((key, sub.id))
                continue
            text, markup = render_cover(person, day, deals, ctx.translator.for_locale(sub.language))
            batch.append(
                Outgoing(
                    key=key,
                    user_id=sub.id,
                    chat_id=sub.telegram_id,
                    send=text_message(sub.telegram_id, text, markup),
                )
            )
    if quiet:
        async with ctx.session_factory() as session, session.begin():
            await ctx.crm(session).reminders.mark_decided(quiet)
    if not batch:
        return 0
    results = await ctx.sender.deliver(batch, ctx.session_factory)
    return results[SendResult.sent]
