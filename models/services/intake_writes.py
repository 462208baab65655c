"""The intake's hot path in SQL: the look-ups built once with bind parameters, and the
plain-INSERT writer of a new request (its deal, contacts, "created" event, note 01 and the
request's row).

Apart from ``intake.py`` because these are about statements, not about the rules of a
request: every request a website posts runs them, so they are built once (building an
aliased join cost as much as running it) and written as plain INSERTs (the ORM's unit of
work was half of the request's CPU)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING

from sqlalchemy import and_, bindparam, insert, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.dml import ReturningInsert

from ..catalog import CLOSED_KINDS, Pipeline, Source
from ..db import note_write
from ..deals import Contact, Deal, DealEvent, EventKind, Note
from ..errors import NotFound
from ..intake import IntakeForm, IntakeKind, IntakeRequest
from ..intake_input import IntakeFields
from ..search_text import build_search_text
from ..sql import AnySelect
from ..timeutil import local_today
from ..users import Team, User
from .deals import MAX_TITLE, next_action_values
from .intake_forms import default_pipeline

if TYPE_CHECKING:
    from ..crm import Crm


async def insert_new_request(
    crm: Crm,
    form: IntakeForm,
    pipeline: Pipeline | None,
    source: Source | None,
    fields: IntakeFields,
    holder: User,
    note_text: str | None,
    now: dt.datetime,
) -> tuple[int, int]:
    """A new request's deal (held by ``holder``), its contacts, its "created" event, note 01
    (``note_text``, if any) and the request's row, as plain INSERTs (the way the import
    writes its rows). Returns (deal id, request id)."""
    session = crm.session
    deal_id = await _new_deal(crm, form, pipeline, source, fields, holder, now)
    if note_text:
        await session.execute(
            insert(Note),
            {
                "deal_id": deal_id,
                "number": 1,
                "text": note_text,
                "happened_on": now.date(),
                "author_id": None,
                "created_at": now,
            },
        )
    request_id = await session.scalar(
        request_insert(),
        {
            "form_id": form.id,
            "deal_id": deal_id,
            "kind": IntakeKind.new,
            "page_url": fields.page_url,
            "utm": fields.utm_query(),
            "created_at": now,
        },
    )
    assert request_id is not None
    return deal_id, request_id


async def _new_deal(
    crm: Crm,
    form: IntakeForm,
    pipeline: Pipeline | None,
    source: Source | None,
    fields: IntakeFields,
    holder: User,
    now: dt.datetime,
) -> int:
    """The request's deal, its contacts and its "created" event. Returns the deal's id."""
    session = crm.session
    if pipeline is None or pipeline.is_archived:
        pipeline = await default_pipeline(session)
    if pipeline is None:
        raise NotFound("deal.pipeline_gone")
    stage = await crm.deals.first_stage(pipeline.id)
    client = fields.name or fields.contacts[0].value
    title = f"{form.name} — {client}"[:MAX_TITLE]
    client_name = fields.name[:255] if fields.name else None
    # Due today: a request is answered the day it comes (calendar rule: never dateless).
    due = next_action_values(local_today(now, holder.timezone), None, holder)
    deal_id = await session.scalar(
        deal_insert(),
        {
            "title": title,
            "client_name": client_name,
            "pipeline_id": pipeline.id,
            "stage_id": stage.id,
            "status": stage.kind,
            "source_id": source.id if source and not source.is_archived else None,
            "owner_id": holder.id,
            "created_by_id": None,  # made by the website, not by a person
            "created_at": now,
            "updated_at": now,
            "closed_at": now if stage.kind in CLOSED_KINDS else None,
            "version": 1,
            "search_text": build_search_text(
                title, client_name, None, [c.value for c in fields.contacts]
            ),
            **due,
        },
    )
    assert deal_id is not None
    await session.execute(
        insert(Contact),
        [
            {"deal_id": deal_id, "kind": c.kind, "value": c.value, "normalized": c.normalized}
            for c in fields.contacts
        ],
    )
    await session.execute(
        insert(DealEvent),
        {
            "deal_id": deal_id,
            "actor_id": None,
            "at": now,
            "kind": EventKind.created,
            "field": None,
            "old": None,
            "new": title,
        },
    )
    note_write(session)
    return deal_id


@functools.cache
def deal_insert() -> ReturningInsert[int]:
    return insert(Deal).returning(Deal.id)


@functools.cache
def request_insert() -> ReturningInsert[int]:
    return insert(IntakeRequest).returning(IntakeRequest.id)


@functools.cache
def form_statement() -> AnySelect:
    """A live form by ``token_hash`` with its team's active lead, its pipeline and source.
    Built once: building it (an aliased join) cost as much as running it, on every request
    a website posts."""
    lead = aliased(User)
    return (
        select(IntakeForm, lead, Pipeline, Source)
        .outerjoin(Team, Team.id == IntakeForm.team_id)
        .outerjoin(lead, and_(lead.id == Team.lead_id, lead.is_active.is_(True)))
        .outerjoin(Pipeline, Pipeline.id == IntakeForm.pipeline_id)
        .outerjoin(Source, Source.id == IntakeForm.source_id)
        .where(IntakeForm.token_hash == bindparam("token_hash"), IntakeForm.revoked_at.is_(None))
    )


@functools.cache
def open_deal_statement(pairs: int) -> AnySelect:
    """The duplicate look-up for ``pairs`` contacts (kind_<i>, normalized_<i>), built once per
    count (a form has one to a few contacts); each pair walks the (kind, normalized) index."""
    return (
        select(Deal.id)
        .join(Contact, Contact.deal_id == Deal.id)
        .where(
            or_(
                *(
                    and_(
                        Contact.kind == bindparam(f"kind_{i}", type_=Contact.kind.type),
                        Contact.normalized == bindparam(f"normalized_{i}"),
                    )
                    for i in range(pairs)
                )
            ),
            Deal.deleted_at.is_(None),
            Deal.status.not_in(list(CLOSED_KINDS)),
        )
        .order_by(Deal.id.desc())
        .limit(1)
    )
