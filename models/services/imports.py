"""Importing deals from a spreadsheet: who may, the dry run against the database, and the
writes in batches.

The caller (the chat flow) commits after each ``write_batch``: a long import must not hold
SQLite's one writer for a minute, so every batch is its own transaction, and the import's
``next_row`` moves in the same transaction as the deals it covers. A crash mid-import leaves
whole batches written and the rest not; importing the same file again (same fingerprint)
skips the rows below ``next_row`` and writes the others. A finished file imported again
creates nothing. Inserts are bulk Core statements (one per table per batch): the ORM's
one-row-per-statement inserts would take minutes for 10,000 rows."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, tuple_, update
from sqlalchemy.orm.attributes import set_committed_value

from ..catalog import CLOSED_KINDS, Pipeline, Source, Stage, StageKind
from ..contacts import ContactKind
from ..db import note_write
from ..deals import Contact, Deal, DealEvent, EventKind, Note
from ..errors import AccessDenied, Conflict
from ..import_columns import ImportField, fold_header
from ..import_files import Table
from ..import_rows import Lookup, Rejected, RowCheck, RowDraft, check_rows
from ..imports import ImportRun
from ..roles import Role
from ..search_text import build_search_text
from ..timeutil import local_today
from ..users import User
from .deal_creation import DealCreation
from .deals import default_title

if TYPE_CHECKING:
    from ..crm import Crm

IMPORT_ROLES = (Role.operator, Role.lead, Role.admin)
BATCH = 500
_KEYS_PER_QUERY = 400


def may_import(user: User) -> bool:
    return user.role in IMPORT_ROLES


@dataclass
class ImportPlan:
    """The dry run: what confirming would do."""

    check: RowCheck
    previous: ImportRun | None = None
    skipped_done: int = 0  # rows written by an interrupted run of the same file
    # Deals written per owner id (for the summary).
    owners: dict[int, int] = field(default_factory=dict)

    @property
    def finished_before(self) -> bool:
        return self.previous is not None and self.previous.finished_at is not None

    @property
    def to_create(self) -> list[RowDraft]:
        return [] if self.finished_before else self.check.ready

    @property
    def rejected(self) -> list[Rejected]:
        """Every row that will not be written, in row order (for the rejected-rows file)."""
        return sorted([*self.check.rejected, *self.check.duplicates], key=lambda r: r.number)


class Imports:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session
        self._stages: dict[int, Stage] = {}
        self._first_stage: dict[int, Stage] = {}
        self._owners: dict[int, User] = {}
        self._default_pipeline: int | None = None

    @staticmethod
    def check_allowed(user: User) -> None:
        if not may_import(user):
            raise AccessDenied("import.not_allowed")

    # -- the dry run ---------------------------------------------------------------------
    async def lookup(self, actor: User) -> Lookup:
        """The names a file may use for pipelines, stages, sources and owners."""
        pipelines: dict[str, int] = {}
        active = Pipeline.is_archived.is_(False)
        for p in await self.session.scalars(select(Pipeline).where(active)):
            for name in (p.name, p.name_en, p.code):
                if name:
                    pipelines.setdefault(fold_header(name), p.id)
        stages: dict[str, int] = {}
        for s in await self.session.scalars(
            select(Stage).where(Stage.is_archived.is_(False)).order_by(Stage.position)
        ):
            self._stages[s.id] = s
            for name in (s.name, s.name_en, s.code):
                if name:
                    stages.setdefault(fold_header(name), s.id)
        sources: dict[str, int] = {}
        for src in await self.session.scalars(select(Source).where(Source.is_archived.is_(False))):
            for name in (src.name, src.name_en, src.code):
                if name:
                    sources.setdefault(fold_header(name), src.id)
        owners: dict[str, int] = {}
        people = await DealCreation(self.crm).assignable_owners(actor)
        # A blank owner is the importer, as in the creation flow.
        for person in [actor, *people]:
            self._owners[person.id] = person
            keys = [person.full_name, person.email, person.username, str(person.telegram_id)]
            for key in keys:
                if key:
                    owners.setdefault(fold_header(key), person.id)
        return Lookup(pipelines, stages, sources, owners)

    async def previous(self, fingerprint: str) -> ImportRun | None:
        return await self.session.scalar(
            select(ImportRun).where(ImportRun.fingerprint == fingerprint)
        )

    async def dry_run(
        self,
        actor: User,
        table: Table,
        mapping: Sequence[ImportField | None],
        fingerprint: str,
    ) -> ImportPlan:
        self.check_allowed(actor)
        previous = await self.previous(fingerprint)
        skip_below = previous.next_row if previous is not None else 0
        lookup = await self.lookup(actor)
        # CPU work (a phone parse per row): in a thread, so other chats are not kept waiting.
        check = await asyncio.to_thread(check_rows, table, mapping, lookup, skip_below=skip_below)
        await self._mark_open_duplicates(check)
        skipped = sum(1 for number, _ in table.rows if number < skip_below)
        plan = ImportPlan(check, previous, skipped)
        for draft in plan.to_create:
            owner_id = draft.owner_id or actor.id
            plan.owners[owner_id] = plan.owners.get(owner_id, 0) + 1
        return plan

    async def _mark_open_duplicates(self, check: RowCheck) -> None:
        """Move rows sharing an e-mail or phone with an open deal to the duplicates."""
        keys = {
            (c.kind.value, c.normalized)
            for d in check.ready
            for c in d.contacts
            if c.kind is not ContactKind.url
        }
        found: dict[tuple[str, str], int] = {}
        ordered = sorted(keys)
        for start in range(0, len(ordered), _KEYS_PER_QUERY):
            chunk = ordered[start : start + _KEYS_PER_QUERY]
            rows = await self.session.execute(
                select(Contact.kind, Contact.normalized, Contact.deal_id)
                .join(Deal, Deal.id == Contact.deal_id)
                .where(
                    tuple_(Contact.kind, Contact.normalized).in_(chunk),
                    Deal.deleted_at.is_(None),
                    Deal.status.not_in(list(CLOSED_KINDS)),
                )
            )
            for kind, normalized, deal_id in rows:
                found.setdefault((str(kind), normalized), deal_id)
        if not found:
            return
        ready: list[RowDraft] = []
        for draft in check.ready:
            match = next(
                (found[(c.kind.value, c.normalized)] for c in draft.contacts
                 if (c.kind.value, c.normalized) in found),
                None,
            )  # fmt: skip
            if match is None:
                ready.append(draft)
            else:
                check.duplicates.append(Rejected(draft.number, "duplicate_open", other=match))
        check.ready = ready

    # -- writing -------------------------------------------------------------------------
    async def start(self, actor: User, fingerprint: str, file_name: str) -> ImportRun:
        """The run of this file: the interrupted one, or a new one."""
        self.check_allowed(actor)
        run = await self.previous(fingerprint)
        if run is None:
            run = ImportRun(
                fingerprint=fingerprint,
                user_id=actor.id,
                file_name=file_name[:255],
                next_row=0,
                created_count=0,
                started_at=self.crm.clock(),
            )
            self.session.add(run)
            await self.session.flush()
        return run

    async def write_batch(
        self, actor: User, run: ImportRun, drafts: Sequence[RowDraft], up_to_row: int
    ) -> int:
        """Insert these deals with their contacts, first notes and "imported" events, and
        mark every row below ``up_to_row`` done: all in the caller's transaction."""
        # Guarded on the cursor this run read: two imports of one file at once (two people,
        # or a re-sent file while the first still runs) never write the same rows twice.
        moved = await self.session.execute(
            update(ImportRun)
            .where(ImportRun.id == run.id, ImportRun.next_row == run.next_row)
            .values(next_row=up_to_row, created_count=ImportRun.created_count + len(drafts))
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("import.concurrent")
        set_committed_value(run, "next_row", up_to_row)
        set_committed_value(run, "created_count", run.created_count + len(drafts))
        if drafts:
            await self._insert(actor, run, drafts)
        note_write(self.session)
        return len(drafts)

    async def finish(self, run: ImportRun) -> None:
        run.finished_at = self.crm.clock()
        await self.session.flush()

    async def _stage_for(self, pipeline_id: int, stage_id: int | None) -> Stage:
        stage = self._stages.get(stage_id) if stage_id else None
        if stage is not None and stage.pipeline_id in (None, pipeline_id):
            return stage
        first = self._first_stage.get(pipeline_id)
        if first is None:
            first = await self.crm.deals.first_stage(pipeline_id)
            self._first_stage[pipeline_id] = first
        return first

    async def _pipeline_id(self, pipeline_id: int | None) -> int:
        if pipeline_id is not None:
            return pipeline_id
        if self._default_pipeline is None:
            self._default_pipeline = (await self.crm.deals._pipeline(None)).id
        return self._default_pipeline

    async def _owner(self, actor: User, owner_id: int | None) -> User:
        if owner_id is None or owner_id == actor.id:
            return actor
        owner = self._owners.get(owner_id)
        if owner is None:
            owner = await self.crm.deals._owner_for(actor, owner_id)  # checks the rights
            self._owners[owner_id] = owner
        return owner

    async def _insert(self, actor: User, run: ImportRun, drafts: Sequence[RowDraft]) -> None:
        now = self.crm.clock()
        today = local_today(now, actor.timezone)
        deal_rows: list[dict[str, Any]] = []
        for d in drafts:
            owner = await self._owner(actor, d.owner_id)
            pipeline_id = await self._pipeline_id(d.pipeline_id)
            stage = await self._stage_for(pipeline_id, d.stage_id)
            client = d.client_name or d.company or (d.contacts[0].value if d.contacts else None)
            title = default_title(owner, client)
            deal_rows.append(
                {
                    "title": title,
                    "client_name": d.client_name,
                    "company": d.company,
                    "pipeline_id": pipeline_id,
                    "stage_id": stage.id,
                    "status": stage.kind,
                    "source_id": d.source_id,
                    "amount": d.amount,
                    "currency": d.currency if d.amount is not None or d.currency else None,
                    "owner_id": owner.id,
                    "created_by_id": actor.id,
                    "next_action_on": d.next_action_on if stage.kind is StageKind.open else None,
                    "next_action_time": None,
                    "next_action_at": None,
                    "created_at": now,
                    "updated_at": now,
                    "closed_at": now if stage.kind in CLOSED_KINDS else None,
                    "version": 1,
                    "search_text": build_search_text(
                        title, d.client_name, d.company, (c.value for c in d.contacts)
                    ),
                }
            )
        result = await self.session.execute(
            insert(Deal).returning(Deal.id, sort_by_parameter_order=True), deal_rows
        )
        ids = list(result.scalars())
        contacts: list[dict[str, Any]] = []
        notes: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for deal_id, d in zip(ids, drafts, strict=True):
            for c in d.contacts:
                contacts.append(
                    {
                        "deal_id": deal_id,
                        "kind": c.kind,
                        "value": c.value,
                        "normalized": c.normalized,
                        "person_name": d.person,
                    }
                )
            if d.note:
                notes.append(
                    {
                        "deal_id": deal_id,
                        "number": 1,
                        "text": d.note,
                        "happened_on": today,
                        "author_id": actor.id,
                        "created_at": now,
                    }
                )
            events.append(
                {
                    "deal_id": deal_id,
                    "actor_id": actor.id,
                    "at": now,
                    "kind": EventKind.imported,
                    "field": None,
                    "old": None,
                    "new": f"{run.id}:{d.number}",
                }
            )
        for model, rows in ((Contact, contacts), (Note, notes), (DealEvent, events)):
            if rows:
                await self.session.execute(insert(model), rows)
        note_write(self.session)
