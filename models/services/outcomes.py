"""One-tap outcomes on the rows of Today, Overdue, the "no next step" list and the digest:
"no answer -> tomorrow", +1 / +3 days, next week, and "move the rest to tomorrow".

A row's button was drawn for one version of the deal on one list. It applies only while the
deal is still what the row showed: the same version, and still on that list (due, or without
a next step). Otherwise it is stale (the list was edited, the deal moved, a double tap) and
changes nothing; a deal gone or handed to a colleague raises as usual (NotFound,
AccessDenied). The handbook's rule: the deal always keeps a date for its next step."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, func, select

from ..access import visible_deals
from ..catalog import StageKind
from ..contacts import ContactKind
from ..deals import Contact, Deal
from ..errors import CrmError
from ..timeutil import local_today
from ..users import User
from .pauses import Pauses
from .reminder_items import DueList
from .sent_log import chunks

if TYPE_CHECKING:
    from ..crm import Crm

# A "move the rest" confirmation names at most this many deals (a digest lists up to 60).
MAX_REST = 60


class Shift(enum.IntEnum):
    tomorrow = 1
    plus3 = 3
    next_week = 7


class OnList(enum.IntEnum):
    """Which list a row belongs to: what "still on it" means for a stale check."""

    due = 1  # Today, Overdue, the digest: an open deal due today or before
    no_next = 2  # open or paused, no date at all


def shifted(today: dt.date, shift: Shift) -> dt.date:
    if shift is Shift.next_week:
        days = 7 - today.weekday()  # the Monday of next week (as the date chips say)
        return today + dt.timedelta(days=8 if days == 1 else days)
    return today + dt.timedelta(days=int(shift))


def without_next_step() -> list[ColumnElement[bool]]:
    """Open (or paused) deals with no next step: listed and chased (calendar rules)."""
    return [
        Deal.status.in_((StageKind.open, StageKind.paused)),
        Deal.next_action_on.is_(None),
        Deal.deleted_at.is_(None),
    ]


class Outcomes:
    def __init__(self, crm: Crm) -> None:
        self.crm = crm
        self.session = crm.session

    def today(self, user: User) -> dt.date:
        return local_today(self.crm.clock(), user.timezone)

    @staticmethod
    def still_on(deal: Deal, on: OnList, today: dt.date) -> bool:
        if on is OnList.no_next:
            return deal.status in (StageKind.open, StageKind.paused) and deal.next_action_on is None
        return deal.is_open and deal.next_action_on is not None and deal.next_action_on <= today

    async def apply(
        self,
        actor: User,
        deal_id: int,
        version: int,
        shift: Shift,
        *,
        on: OnList = OnList.due,
        note: str | None = None,
    ) -> Deal | None:
        """Move the deal to ``shift`` from today (all day), after a ``note`` if given (e.g.
        "no answer"); None when the row was stale and nothing changed."""
        deal = await self.crm.deals.get_for(actor, deal_id, for_edit=True)
        today = self.today(actor)
        if deal.version != version or not self.still_on(deal, on, today):
            return None
        if deal.status is StageKind.paused:  # on the no-next list: the day it comes back
            await Pauses(self.crm).set_until(actor, deal, shifted(today, shift))
            return deal
        if note is not None:
            await self.crm.notes.add(actor, deal, note)
        await self.crm.stage_moves.set_next_action(actor, deal, shifted(today, shift))
        return deal

    async def move_rest(self, actor: User, deal_ids: Iterable[int]) -> int:
        """Move every deal of ``deal_ids`` still due (today or overdue) to tomorrow, one
        event each; deals moved meanwhile, gone or no longer ``actor``'s are skipped.
        Returns how many moved (0 on a second tap)."""
        today = self.today(actor)
        tomorrow = today + dt.timedelta(days=1)
        moved = 0
        for deal_id in list(dict.fromkeys(deal_ids))[:MAX_REST]:
            try:
                deal = await self.crm.deals.get_for(actor, deal_id, for_edit=True)
            except CrmError:
                continue
            if self.still_on(deal, OnList.due, today):
                await self.crm.stage_moves.set_next_action(actor, deal, tomorrow)
                moved += 1
        return moved

    # -- what rows show -------------------------------------------------------------------
    async def first_phones(self, deal_ids: Sequence[int]) -> dict[int, str]:
        """The first phone of each deal, normalised (+79161234567: Telegram makes a bare
        number in a message tappable)."""
        phones: dict[int, str] = {}
        for part in chunks(list(deal_ids)):
            # The kind is checked here, not in SQL: with "kind = ?" SQLite reads the index on
            # (kind, normalized), i.e. every phone of the company (66 ms on 200,000 contacts),
            # instead of the few contacts of these deals.
            rows = await self.session.execute(
                select(Contact.deal_id, Contact.kind, Contact.normalized)
                .where(Contact.deal_id.in_(part))
                .order_by(Contact.deal_id, Contact.id)
            )
            for deal_id, kind, phone in rows:
                if kind == ContactKind.phone:
                    phones.setdefault(deal_id, phone)
        return phones

    async def no_next_count(self, user: User, owner_id: int = 0) -> int:
        """How many of the deals ``user`` sees (of ``owner_id``'s only, when given: a list's
        owner filter, checked by the list) have no next step."""
        where = [visible_deals(user), *without_next_step()]
        if owner_id:
            where.append(Deal.owner_id == owner_id)
        stmt = select(func.count(Deal.id)).where(*where)
        return int(await self.session.scalar(stmt) or 0)

    async def no_next_counts(self, owner_ids: Sequence[int]) -> dict[int, int]:
        """Deals without a next step per owner (digests, nudges, the lead's summary)."""
        counts: dict[int, int] = {}
        for part in chunks(list(owner_ids)):
            rows = await self.session.execute(
                select(Deal.owner_id, func.count(Deal.id))
                .where(Deal.owner_id.in_(part), *without_next_step())
                .group_by(Deal.owner_id)
            )
            counts.update({owner: int(n) for owner, n in rows})
        return counts

    async def decorate(
        self,
        lists: dict[int, DueList],
        owner_ids: Sequence[int],
        days: dict[int, dt.date],
        *,
        add_no_next: bool = True,
    ) -> None:
        """Digest lists get the phones of their deals and each person's count of deals
        without a next step; with ``add_no_next`` a person with only such deals gets a
        list too (the morning digest asks about them again). ``days``: each owner's local
        day."""
        phones = await self.first_phones([d.id for due in lists.values() for d in due.deals])
        for due in lists.values():
            due.phones = {d.id: phones[d.id] for d in due.deals if d.id in phones}
        for owner_id, count in (await self.no_next_counts(owner_ids)).items():
            if owner_id in lists:
                lists[owner_id].no_next = count
            elif add_no_next and owner_id in days:
                lists[owner_id] = DueList(days[owner_id], no_next=count)
