"""The deal itself: create, load with rights checked, duplicates, the audit trail, versions.

Feature services (notes, stage moves, lists, editing) build on these primitives."""

from __future__ import annotations

import datetime as dt
import decimal
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    CursorResult,
    Executable,
    Select,
    bindparam,
    func,
    inspect,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from ..access import can_edit, can_view
from ..catalog import CLOSED_KINDS, Pipeline, Source, Stage, StageKind
from ..clock import Clock
from ..contacts import ContactKind, ParsedContact
from ..deals import Contact, Deal, DealEvent, EventKind, Note
from ..errors import AccessDenied, Conflict, InvalidInput, NotFound
from ..files import DealFile
from ..roles import Role, can_assign_owner
from ..seed import UNSORTED_PIPELINE
from ..timeutil import local_today, to_utc
from ..titles import MAX_TITLE, default_title
from ..users import User
from .deal_card_load import LAST_NOTES_ON_CARD, load_statement, notes_of
from .deal_writes import write_deal

logger = logging.getLogger(__name__)

MAX_CLIENT = 255
MAX_AMOUNT = decimal.Decimal("999999999999.99")


@dataclass
class DealDraft:
    """What a user has entered so far in the creation flow (also the one-message form)."""

    client_name: str | None = None
    company: str | None = None
    contacts: list[ParsedContact] = field(default_factory=list)
    pipeline_id: int | None = None
    source_id: int | None = None
    amount: decimal.Decimal | None = None
    currency: str | None = None
    next_action_on: dt.date | None = None
    next_action_time: dt.time | None = None
    title: str | None = None
    owner_id: int | None = None


@dataclass(frozen=True)
class DuplicateMatch:
    deal_id: int
    title: str
    owner_id: int
    owner_name: str
    stage: Stage
    matched: str  # the contact value that matched


@dataclass
class DealCard:
    """Everything the deal card shows, loaded in a fixed, small number of queries."""

    deal: Deal
    last_notes: list[Note]
    notes_total: int
    files_total: int = 0  # files on the deal (the card's 📎 button)


def clean_text(value: str | None, limit: int, *, key: str = "text") -> str | None:
    """Strip; None for empty; refuse (not truncate) what is too long: nothing typed is lost."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if len(value) > limit:
        raise InvalidInput("input.too_long", field=key, length=len(value), limit=limit)
    return value


# Hot statements are built once: building an ORM select with its options and computing its
# cache key costs ~0.2 ms, as much as a round trip to SQLite. Values come as bound parameters.
@cache
def _stages_statement() -> Select[Stage]:
    pipeline_id: BindParameter[int] = bindparam("pipeline_id")
    return (
        select(Stage)
        .where(
            (Stage.pipeline_id == pipeline_id) | Stage.pipeline_id.is_(None),
            Stage.is_archived.is_(False),
        )
        .order_by(Stage.position)
    )


def next_action_values(day: dt.date | None, at: dt.time | None, owner: User) -> dict[str, Any]:
    """The deal columns of a next action on ``day`` [at ``at``, the owner's wall-clock time]."""
    return {
        "next_action_on": day,
        "next_action_time": at if day is not None else None,
        "next_action_at": to_utc(day, at, owner.timezone) if day and at else None,
    }


# Kinds that tell one client from another (a website or a link is often shared).
DUPLICATE_KINDS = frozenset({ContactKind.email, ContactKind.phone})


class Deals:
    def __init__(self, session: AsyncSession, clock: Clock):
        self.session = session
        self.clock = clock
        # Deals loaded in this update: a handler's rights check and the card it then renders
        # need one query, not two (each costs ~0.5 ms on this stack).
        self._loaded: dict[int, Deal] = {}
        # Their last notes (oldest first), loaded by the same query: the card needs them.
        self._last_notes: dict[int, list[Note]] = {}
        # Their number of files (the card's 📎), loaded by the same query.
        self._files_total: dict[int, int] = {}
        # Stages read in this update (the session's identity map holds them only weakly).
        self._stages: dict[int, Stage] = {}

    # -- reading -----------------------------------------------------------------------------
    async def get_for(
        self,
        actor: User,
        deal_id: int,
        *,
        include_deleted: bool = False,
        for_edit: bool = False,
        preload_stage: int | None = None,
    ) -> Deal:
        """The deal with its pipeline, stage, source, owner and contacts, if ``actor`` may
        see it. A missing or deleted deal raises NotFound("deal.gone").

        The same query loads the deal's last notes (for ``card``) and, when
        ``preload_stage`` is given, that Stage into the session (``session.get`` then needs
        no query: a stage move costs one statement less)."""
        deal = self._loaded.get(deal_id)
        if deal is not None and (inspect(deal).was_deleted or inspect(deal).detached):
            deal = None  # hard-deleted earlier in this update: ask the database again
        if deal is None:
            deal = await self._load(deal_id, preload_stage)
        if deal is None or (deal.deleted_at is not None and not include_deleted):
            raise NotFound("deal.gone")
        allowed = can_edit if for_edit else can_view
        if not allowed(actor, deal, deal.owner.team_id):
            logger.warning(
                "access denied: user %s (%s) to deal %s of user %s",
                actor.id,
                actor.role,
                deal.id,
                deal.owner_id,
            )
            raise AccessDenied("deal.no_access")
        return deal

    async def _load(self, deal_id: int, preload_stage: int | None) -> Deal | None:
        """One SELECT: the deal, its relations, its last notes (a JSON column), and
        optionally a Stage (outer joined on its id: one row at most)."""
        dialect = self.session.get_bind().dialect.name
        params = {"deal_id": deal_id}
        if preload_stage is not None:
            params["stage_id"] = preload_stage
        stmt = load_statement(preload_stage is not None, dialect)
        rows = (await self.session.execute(stmt, params)).unique().all()
        if not rows:
            return None
        deal: Deal = rows[0][0]
        if preload_stage is not None and rows[0][2] is not None:
            self._stages[preload_stage] = rows[0][2]
        self._files_total[deal_id] = int(rows[0][-1] or 0)
        self._loaded[deal_id] = deal
        self._last_notes[deal_id] = notes_of(self.session.sync_session, deal, rows[0][1])
        return deal

    async def card(self, actor: User, deal_id: int, *, include_deleted: bool = False) -> DealCard:
        deal = await self.get_for(actor, deal_id, include_deleted=include_deleted)
        notes = self._last_notes.get(deal.id)
        if notes is None:
            notes = list(
                await self.session.scalars(
                    select(Note)
                    .where(Note.deal_id == deal.id)
                    .order_by(Note.number.desc())
                    .limit(LAST_NOTES_ON_CARD)
                )
            )[::-1]
        total = notes[-1].number if notes else 0  # numbers are 1..n without gaps
        files = self._files_total.get(deal.id)
        if files is None:
            files = await self.session.scalar(
                select(func.count(DealFile.id)).where(DealFile.deal_id == deal.id)
            )
        return DealCard(
            deal=deal, last_notes=list(notes), notes_total=total, files_total=int(files or 0)
        )

    def files_changed(self, deal: Deal, delta: int) -> None:
        """A file was attached (+1) or deleted (-1): the card of this update must count it."""
        if deal.id in self._files_total:
            self._files_total[deal.id] = max(0, self._files_total[deal.id] + delta)

    def noted(self, deal: Deal, note: Note) -> None:
        """A note was just added to ``deal``: the card of this update must show it."""
        notes = self._last_notes.get(deal.id)
        if notes is not None:
            self._last_notes[deal.id] = [*notes, note][-LAST_NOTES_ON_CARD:]

    async def find_duplicates(
        self, contacts: Sequence[ParsedContact], *, exclude_deal_id: int | None = None
    ) -> list[DuplicateMatch]:
        """Open (not won/lost, not deleted) deals of any owner sharing an e-mail or phone."""
        keys = [(c.kind, c.normalized) for c in contacts if c.kind in DUPLICATE_KINDS]
        if not keys:
            return []
        matches: dict[int, DuplicateMatch] = {}
        for kind, normalized in keys:
            rows = await self.session.execute(
                select(Deal, User.full_name, User.email, Stage)
                .join(Contact, Contact.deal_id == Deal.id)
                .join(User, User.id == Deal.owner_id)
                .join(Stage, Stage.id == Deal.stage_id)
                .where(
                    Contact.kind == kind,
                    Contact.normalized == normalized,
                    Deal.deleted_at.is_(None),
                    Deal.status.not_in(list(CLOSED_KINDS)),
                )
                .limit(20)
            )
            for deal, owner_name, _email, stage in rows:
                if deal.id != exclude_deal_id and deal.id not in matches:
                    matches[deal.id] = DuplicateMatch(
                        deal.id, deal.title, deal.owner_id, owner_name, stage, normalized
                    )
        return list(matches.values())

    # -- writing -----------------------------------------------------------------------------
    async def create(self, actor: User, draft: DealDraft) -> Deal:
        client = clean_text(draft.client_name, MAX_CLIENT, key="client")
        company = clean_text(draft.company, MAX_CLIENT, key="company")
        if client is None and company is None and not draft.contacts:
            raise InvalidInput("deal.needs_client")
        owner = await self._owner_for(actor, draft.owner_id)
        pipeline = await self._pipeline(draft.pipeline_id)
        stage = await self.first_stage(pipeline.id)
        source_id = None
        if draft.source_id is not None:
            source = await self.session.get(Source, draft.source_id)
            if source is None or source.is_archived:
                raise NotFound("deal.source_gone")
            source_id = source.id
        now = self.clock()
        title = clean_text(draft.title, MAX_TITLE, key="title") or default_title(
            owner, client or company or (draft.contacts[0].value if draft.contacts else None)
        )
        deal = Deal(
            title=title,
            client_name=client,
            company=company,
            pipeline_id=pipeline.id,
            stage_id=stage.id,
            status=stage.kind,
            source_id=source_id,
            amount=self.checked_amount(draft.amount),
            currency=(draft.currency or None) and draft.currency.upper()[:3],
            owner_id=owner.id,
            created_by_id=actor.id,
            created_at=now,
            updated_at=now,
            version=1,
        )
        deal.contacts = [
            Contact(kind=c.kind, value=c.value, normalized=c.normalized) for c in draft.contacts
        ]
        deal.persons = []
        deal.refresh_search_text()
        self.session.add(deal)
        await self.session.flush()
        if draft.next_action_on is not None:
            self.validate_next_action(actor, draft.next_action_on)
            self.apply_next_action(deal, draft.next_action_on, draft.next_action_time, owner)
        self.record(deal, actor, EventKind.created, new=title)
        if owner.id != actor.id:
            self.record(deal, actor, EventKind.owner, old=None, new=owner.full_name)
        await self.session.flush()
        return deal

    def event(
        self,
        deal: Deal,
        actor: User | None,
        kind: EventKind,
        *,
        field: str | None = None,
        old: object = None,
        new: object = None,
    ) -> dict[str, Any]:
        """A DealEvent row: for ``record`` (ORM) and the hot writes (``write``)."""
        return {
            "deal_id": deal.id,
            "actor_id": actor.id if actor else None,
            "at": self.clock(),
            "kind": kind,
            "field": field,
            "old": None if old is None else str(old),
            "new": None if new is None else str(new),
        }

    def record(self, deal: Deal, actor: User | None, kind: EventKind, **fields: Any) -> DealEvent:
        """An event written with the session's next flush (``fields``: as for ``event``)."""
        event = DealEvent(**self.event(deal, actor, kind, **fields))
        self.session.add(event)
        return event

    async def write(
        self,
        deal: Deal,
        changes: Mapping[str, Any],
        events: Sequence[Mapping[str, Any]] = (),
        *,
        stage: Stage | None = None,
        then: tuple[Executable, Mapping[str, Any]] | None = None,
    ) -> CursorResult[Any] | None:
        """A hot change of the deal (models/services/deal_writes.py): its columns, version
        and update time in one version-checked UPDATE, its events in one INSERT; ``then``:
        a statement of the same change run right after the UPDATE (its result returned)."""
        return await write_deal(
            self.session, deal, changes, events, self.clock(), stage=stage, then=then
        )

    def touch(self, deal: Deal) -> None:
        """Every change bumps the version (stale buttons notice) and the update time."""
        deal.version += 1
        deal.updated_at = self.clock()

    @staticmethod
    def expect_version(deal: Deal, version: int | None) -> None:
        """A button made for an older version of the deal must not apply its stale data."""
        if version is not None and version != deal.version:
            raise Conflict("deal.changed")

    def validate_next_action(self, actor: User, day: dt.date) -> None:
        if day < local_today(self.clock(), actor.timezone):
            raise InvalidInput("date.past")

    def apply_next_action(
        self, deal: Deal, day: dt.date | None, at: dt.time | None, owner: User
    ) -> None:
        for name, value in next_action_values(day, at, owner).items():
            setattr(deal, name, value)

    @staticmethod
    def checked_amount(amount: decimal.Decimal | None) -> decimal.Decimal | None:
        if amount is None:
            return None
        if amount < 0 or amount > MAX_AMOUNT:
            raise InvalidInput("amount.out_of_range")
        return amount.quantize(decimal.Decimal("0.01"))

    async def first_stage(self, pipeline_id: int) -> Stage:
        stage = await self.session.scalar(_first_stage_statement(), {"pipeline_id": pipeline_id})
        if stage is None:
            raise NotFound("deal.no_stages")
        return stage

    async def stages_of(self, pipeline_id: int) -> list[Stage]:
        rows = await self.session.scalars(_stages_statement(), {"pipeline_id": pipeline_id})
        stages = list(rows)
        self._stages.update((stage.id, stage) for stage in stages)
        return stages

    async def stage(self, stage_id: int) -> Stage | None:
        """A stage by id; no query when this update has read it already (``stages_of``,
        ``get_for(preload_stage=...)``)."""
        stage = self._stages.get(stage_id)
        if stage is None:
            stage = await self.session.get(Stage, stage_id)
            if stage is not None:
                self._stages[stage_id] = stage
        return stage

    async def _owner_for(self, actor: User, owner_id: int | None) -> User:
        if owner_id is None or owner_id == actor.id:
            return actor
        if not can_assign_owner(actor.role):
            raise AccessDenied("deal.cannot_assign")
        owner = await self.session.get(User, owner_id)
        if owner is None or not owner.is_active:
            raise NotFound("error.user_not_found")
        if actor.role is Role.lead and owner.team_id != actor.team_id:
            raise AccessDenied("deal.cannot_assign")
        return owner

    async def _pipeline(self, pipeline_id: int | None) -> Pipeline:
        if pipeline_id is None:
            pipeline = await self.session.scalar(
                select(Pipeline).where(Pipeline.code == UNSORTED_PIPELINE)
            )
            if pipeline is None:
                pipeline = await self.session.scalar(
                    select(Pipeline)
                    .where(Pipeline.is_archived.is_(False))
                    .order_by(Pipeline.position)
                    .limit(1)
                )
        else:
            pipeline = await self.session.get(Pipeline, pipeline_id)
        if pipeline is None or pipeline.is_archived:
            raise NotFound("deal.pipeline_gone")
        return pipeline


@cache
def _first_stage_statement() -> Select[Stage]:
    """Built once: every deal made (a web request, an import row) asks it."""
    pipeline_id: BindParameter[int] = bindparam("pipeline_id")
    return (
        select(Stage)
        .where(
            (Stage.pipeline_id == pipeline_id) | Stage.pipeline_id.is_(None),
            Stage.kind == StageKind.open,
            Stage.is_archived.is_(False),
        )
        .order_by(Stage.position)
        .limit(1)
    )
