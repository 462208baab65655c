"""Web-form intake: the requests a website's form posts (a new deal, or a note on the open
deal of a known contact) and the Claim of a new request (the forms: ``intake_forms``).

A new request's deal needs an owner before anyone claims it (``deals.owner_id`` is NOT NULL
and every list, card and right is built on it): it is held by the form's team lead (else the
form's creator, else an admin), who is responsible for unsorted requests anyway and sees it
in their lists. Who claimed it is ``IntakeRequest.claimed_by_id``: NULL until the first
press, set by one conditional UPDATE, then the deal moves to the claimer.

The statements of the hot path (the prepared look-ups and the plain-INSERT writer of a new
request) live in ``intake_writes.py``; this module keeps the rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, insert, select, update

from ..catalog import Pipeline, Source, StageKind
from ..contacts import ContactKind
from ..db import note_write
from ..deals import Contact, Deal, DealEvent, EventKind, Note
from ..errors import AccessDenied, NotFound
from ..intake import IntakeForm, IntakeKind, IntakePost, IntakeRequest
from ..intake_input import IntakeFields
from ..roles import Role
from ..sql import affected_rows
from ..users import Team, User
from .intake_forms import token_hash
from .intake_writes import form_statement, insert_new_request, open_deal_statement

if TYPE_CHECKING:
    from ..crm import Crm

CLAIMERS = (Role.manager, Role.lead, Role.admin)
ESCALATION_HORIZON = dt.timedelta(days=7)  # older unclaimed requests are not chased again


@dataclass(frozen=True)
class LoadedForm:
    """A live form with what a request needs of it, read in one statement."""

    form: IntakeForm
    lead: User | None  # the team's active lead
    pipeline: Pipeline | None
    source: Source | None


@dataclass(frozen=True)
class RequestView:
    """What a Claim message shows, from the request's own rows."""

    request_id: int
    deal_id: int
    form_name: str
    team_id: int | None
    client: str | None
    contacts: list[str]
    message: str | None
    page_url: str | None
    claimed_by: str | None


@dataclass(frozen=True)
class Submitted:
    request_id: int
    deal_id: int
    kind: IntakeKind
    owner_id: int  # the known deal's owner, or the new deal's holder until claimed
    view: RequestView  # what the Claim message shows, without reading it back


@dataclass(frozen=True)
class ClaimResult:
    taken: bool  # True: this press took it
    claimer: User | None  # who has it (this actor when taken)
    deal: Deal


class Intake:
    def __init__(self, crm: Crm) -> None:
        self.crm = crm
        self.session = crm.session
        self.clock = crm.clock

    async def form_by_token(self, token: str) -> LoadedForm | None:
        """The live form of ``token`` with its team's lead, pipeline and source; None for an
        unknown or revoked one (told apart by nobody: a revoked token must not learn that it
        once worked)."""
        row = (
            await self.session.execute(form_statement(), {"token_hash": token_hash(token)})
        ).first()
        return LoadedForm(row[0], row[1], row[2], row[3]) if row else None

    # -- requests --------------------------------------------------------------------------
    async def submit(self, loaded: LoadedForm, fields: IntakeFields) -> Submitted:
        """A request: a note on the open deal of a known contact, else a new deal."""
        now = self.clock()
        form = loaded.form
        note_text = _note_text(fields)
        known = await self._open_deal_of(fields)
        if known is not None:
            deal = await self.session.get(Deal, known)
            assert deal is not None
            if note_text:
                await self.crm.deals.write(deal, {})  # serialises notes of this deal
                await self._add_note(deal.id, note_text, now, number=None)
                await self._event(deal.id, EventKind.note, now, new="intake")
            request = IntakeRequest(
                form_id=form.id,
                deal_id=deal.id,
                kind=IntakeKind.known,
                page_url=fields.page_url,
                utm=fields.utm_query(),
                claimed_by_id=deal.owner_id,  # it has an owner: nothing to claim
                claimed_at=now,
                created_at=now,
            )
            self.session.add(request)
            await self.session.flush()
            view = _view(request.id, deal.id, form, fields, note_text)
            return Submitted(request.id, deal.id, IntakeKind.known, deal.owner_id, view)
        holder = await self._holder(loaded)
        deal_id, request_id = await insert_new_request(
            self.crm, form, loaded.pipeline, loaded.source, fields, holder, note_text, now
        )
        view = _view(request_id, deal_id, form, fields, note_text)
        return Submitted(request_id, deal_id, IntakeKind.new, holder.id, view)

    async def _open_deal_of(self, fields: IntakeFields) -> int | None:
        """The newest open (not won/lost, not deleted) deal of any owner with one of the
        request's e-mails or phones: the duplicate rule of ``Deals.find_duplicates``, in one
        statement (this runs for every request a website posts)."""
        pairs = [c for c in fields.contacts if c.kind is not ContactKind.url]
        if not pairs:
            return None
        params: dict[str, object] = {}
        for i, c in enumerate(pairs):
            params[f"kind_{i}"] = c.kind
            params[f"normalized_{i}"] = c.normalized
        return await self.session.scalar(open_deal_statement(len(pairs)), params)

    async def _holder(self, loaded: LoadedForm) -> User:
        """Who holds a new request's deal until it is claimed (see the module's note)."""
        if loaded.lead is not None:
            return loaded.lead
        if loaded.form.created_by_id is not None:
            user = await self.session.get(User, loaded.form.created_by_id)
            if user is not None and user.is_active:
                return user
        admins = await self.crm.accounts.active_admins()
        if not admins:
            raise NotFound("intake.no_owner")
        return admins[0]

    async def _add_note(
        self, deal_id: int, text: str, now: dt.datetime, *, number: int | None
    ) -> None:
        if number is None:
            number = int(
                await self.session.scalar(
                    select(func.coalesce(func.max(Note.number), 0) + 1).where(
                        Note.deal_id == deal_id
                    )
                )
                or 1
            )
        self.session.add(
            Note(
                deal_id=deal_id,
                number=number,
                text=text,
                happened_on=now.date(),
                author_id=None,
                created_at=now,
            )
        )  # flushed with the request's row: one flush less on every request

    async def _event(self, deal_id: int, kind: EventKind, now: dt.datetime, **fields: str) -> None:
        await self.session.execute(
            insert(DealEvent).values(deal_id=deal_id, actor_id=None, at=now, kind=kind, **fields)
        )
        note_write(self.session)

    async def remember_post(self, request_id: int, chat_id: int, message_id: int) -> None:
        self.session.add(IntakePost(request_id=request_id, chat_id=chat_id, message_id=message_id))
        await self.session.flush()

    async def posts(self, request_id: int) -> list[IntakePost]:
        return list(
            await self.session.scalars(
                select(IntakePost).where(IntakePost.request_id == request_id)
            )
        )

    async def request(self, request_id: int) -> tuple[IntakeRequest, IntakeForm, Deal]:
        row = (
            await self.session.execute(
                select(IntakeRequest, IntakeForm, Deal)
                .join(IntakeForm, IntakeForm.id == IntakeRequest.form_id)
                .join(Deal, Deal.id == IntakeRequest.deal_id)
                .where(IntakeRequest.id == request_id)
            )
        ).first()
        if row is None:
            raise NotFound("intake.gone")
        return row[0], row[1], row[2]

    async def view(self, request_id: int) -> RequestView:
        request, form, deal = await self.request(request_id)
        contacts = list(
            await self.session.scalars(
                select(Contact.value).where(Contact.deal_id == deal.id).order_by(Contact.id)
            )
        )
        message = None
        if request.kind is IntakeKind.new:
            message = await self.session.scalar(
                select(Note.text).where(Note.deal_id == deal.id, Note.number == 1)
            )
        claimer = None
        if request.claimed_by_id is not None and request.kind is IntakeKind.new:
            claimer = await self.session.scalar(
                select(User.full_name).where(User.id == request.claimed_by_id)
            )
        return RequestView(
            request.id,
            deal.id,
            form.name,
            form.team_id,
            deal.client_name,
            contacts,
            message,
            request.page_url,
            claimer,
        )

    # -- the claim -------------------------------------------------------------------------
    async def claim(self, actor: User, request_id: int) -> ClaimResult:
        """The first press takes the request: one conditional UPDATE, so of two concurrent
        presses exactly one matches a row; the deal then moves to the claimer with one owner
        event. The others learn who has it."""
        _request, form, deal = await self.request(request_id)
        if deal.deleted_at is not None:
            raise NotFound("deal.gone")
        if actor.role not in CLAIMERS or (
            actor.role is not Role.admin
            and form.team_id is not None
            and actor.team_id != form.team_id
        ):
            raise AccessDenied("intake.not_your_team")
        now = self.clock()
        result = await self.session.execute(
            update(IntakeRequest)
            .where(IntakeRequest.id == request_id, IntakeRequest.claimed_by_id.is_(None))
            .values(claimed_by_id=actor.id, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        note_write(self.session)
        if affected_rows(result) != 1:
            claimer_id = await self.session.scalar(
                select(IntakeRequest.claimed_by_id).where(IntakeRequest.id == request_id)
            )
            claimer = await self.session.get(User, claimer_id) if claimer_id else None
            return ClaimResult(False, claimer, deal)
        holder = await self.session.get(User, deal.owner_id)
        deal.owner_id = actor.id
        self.crm.deals.touch(deal)
        self.crm.deals.record(
            deal,
            actor,
            EventKind.owner,
            field="claim",
            old=holder.full_name if holder else None,
            new=actor.full_name,
        )
        await self.session.flush()
        return ClaimResult(True, actor, deal)

    async def unclaimed_due(
        self, now: dt.datetime, after: dt.timedelta
    ) -> list[tuple[IntakeRequest, IntakeForm, Deal]]:
        """New requests nobody claimed for ``after`` (and not older than a week), whose
        deal is still open."""
        rows = await self.session.execute(
            select(IntakeRequest, IntakeForm, Deal)
            .join(IntakeForm, IntakeForm.id == IntakeRequest.form_id)
            .join(Deal, Deal.id == IntakeRequest.deal_id)
            .where(
                and_(
                    IntakeRequest.claimed_by_id.is_(None),
                    IntakeRequest.created_at <= now - after,
                    IntakeRequest.created_at > now - ESCALATION_HORIZON,
                    Deal.deleted_at.is_(None),
                    Deal.status == StageKind.open,
                )
            )
            .order_by(IntakeRequest.id)
            .limit(500)
        )
        return [(request, form, deal) for request, form, deal in rows]

    async def team_leads(self, team_id: int | None) -> list[User]:
        """Whom a team's requests go to without a group: its lead and its other leads; a
        form without a team (or a team without leads): the admins."""
        people: list[User] = []
        if team_id is not None:
            team = await self.session.get(Team, team_id)
            people = list(
                await self.session.scalars(
                    select(User)
                    .where(
                        User.is_active.is_(True),
                        User.role == Role.lead,
                        (User.team_id == team_id)
                        | (User.id == (team.lead_id if team and team.lead_id else -1)),
                    )
                    .order_by(User.id)
                )
            )
        if not people:
            people = await self.crm.accounts.active_admins()
        return people

    async def leads_of_teams(self, team_ids: Sequence[int | None]) -> dict[int | None, list[User]]:
        """``team_leads`` of several teams in three statements (a batch of requests of many
        teams): team id -> its leads, or the admins."""
        ids = sorted({t for t in team_ids if t is not None})
        found: dict[int | None, list[User]] = {}
        if ids:
            rows = await self.session.execute(select(Team.id, Team.lead_id).where(Team.id.in_(ids)))
            heads: dict[int, int | None] = {team_id: lead_id for team_id, lead_id in rows}
            head_ids = [h for h in heads.values() if h is not None]
            leads = list(
                await self.session.scalars(
                    select(User)
                    .where(
                        User.is_active.is_(True),
                        User.role == Role.lead,
                        User.team_id.in_(ids) | User.id.in_(head_ids or [-1]),
                    )
                    .order_by(User.id)
                )
            )
            for team_id in ids:
                people = [u for u in leads if u.team_id == team_id or u.id == heads.get(team_id)]
                if people:
                    found[team_id] = people
        missing = [t for t in set(team_ids) if t not in found]
        if missing:
            admins = await self.crm.accounts.active_admins()
            for other in missing:
                found[other] = admins
        return found


def _view(
    request_id: int, deal_id: int, form: IntakeForm, fields: IntakeFields, note_text: str | None
) -> RequestView:
    return RequestView(
        request_id,
        deal_id,
        form.name,
        form.team_id,
        fields.name,
        [c.value for c in fields.contacts],
        note_text,
        fields.page_url,
        None,
    )


def _note_text(fields: IntakeFields) -> str | None:
    """Note 01: the visitor's message, then the page and the UTM tags (plain lines, the same
    in every language)."""
    lines = [fields.message] if fields.message else []
    extra = []
    if fields.page_url:
        extra.append(f"URL: {fields.page_url}")
    if fields.utm:
        extra.append(f"UTM: {fields.utm_query()}")
    if extra:
        lines.append("\n".join(extra))
    return "\n\n".join(lines) or None
