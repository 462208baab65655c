"""Website forms of web-form intake: an admin creates (with a team, a source and a
pipeline, by name), lists and revokes them. A form's secret token is shown once; only its
SHA-256 is stored, and a request's form is found by that hash (a lookup by the hash of a
192-bit secret leaks nothing a timing attack could use)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..catalog import Pipeline, Source
from ..errors import AccessDenied, InvalidInput, NotFound
from ..intake import IntakeForm
from ..roles import Role
from ..seed import UNSORTED_PIPELINE
from ..users import Team, User

if TYPE_CHECKING:
    from ..crm import Crm

MAX_FORM_NAME = 100
TOKEN_BYTES = 24  # 32 URL-safe characters
UNSORTED_NAME = "Неразобранные"
WEBSITE_SOURCE = "website"
COMPANY_SITE_SOURCE = "cetera"  # models/handbook.py

_Named = TypeVar("_Named", Team, Source, Pipeline)


def token_hash(token: str) -> str:
    """Only the hash is stored; a lookup by the hash of a 192-bit secret leaks nothing a
    timing attack could use (the attacker does not control the hash's prefix)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


async def default_pipeline(session: AsyncSession) -> Pipeline | None:
    """The pipeline "Неразобранные": the one marked unsorted, else the one of that name (the
    handbook's catalog may number it, "10 Неразобранные"); None: the first pipeline."""
    rows = list(
        await session.scalars(
            select(Pipeline).where(Pipeline.is_archived.is_(False)).order_by(Pipeline.position)
        )
    )
    for test in (
        lambda p: p.is_unsorted,
        lambda p: p.code == UNSORTED_PIPELINE,
        lambda p: UNSORTED_NAME.casefold() in p.name.casefold(),
    ):
        found = [p for p in rows if test(p)]
        if found:
            return found[0]
    return None


@dataclass(frozen=True)
class FormView:
    form: IntakeForm
    team: str | None
    source: str | None
    pipeline: str | None


class IntakeForms:
    def __init__(self, crm: Crm) -> None:
        self.session = crm.session
        self.clock = crm.clock

    # -- forms -----------------------------------------------------------------------------
    @staticmethod
    def _admin_only(actor: User) -> None:
        if actor.role is not Role.admin:
            raise AccessDenied("intake.admin_only")

    async def create_form(
        self,
        actor: User,
        name: str,
        *,
        team: str | None = None,
        source: str | None = None,
        pipeline: str | None = None,
    ) -> tuple[IntakeForm, str]:
        """A new form and its token (shown once: only its hash is kept). ``team``,
        ``source``, ``pipeline``: names (any case); the defaults: no team (the admins get
        the requests), the company website source, the unsorted pipeline."""
        self._admin_only(actor)
        name = " ".join(name.split())
        if not name:
            raise InvalidInput("intake.form_needs_name")
        if len(name) > MAX_FORM_NAME:
            raise InvalidInput("input.too_long", field="name", length=len(name), limit=100)
        team_row = await self._named(Team, team, "intake.no_such_team") if team else None
        source_row = (
            await self._named(Source, source, "intake.no_such_source")
            if source
            else await self.default_source()
        )
        pipeline_row = (
            await self._named(Pipeline, pipeline, "intake.no_such_pipeline")
            if pipeline
            else await default_pipeline(self.session)
        )
        token = new_token()
        form = IntakeForm(
            name=name,
            token_hash=token_hash(token),
            team_id=team_row.id if team_row else None,
            source_id=source_row.id if source_row else None,
            pipeline_id=pipeline_row.id if pipeline_row else None,
            created_by_id=actor.id,
            created_at=self.clock(),
        )
        self.session.add(form)
        await self.session.flush()
        return form, token

    async def _named(self, model: type[_Named], name: str, error: str) -> _Named:
        # In Python: SQLite's lower() folds ASCII only, and these lists are short.
        wanted = _folded(name)
        for row in await self.session.scalars(select(model)):
            archived = getattr(row, "is_archived", False)
            names = [row.name, getattr(row, "name_en", None) or ""]
            if not archived and wanted in (_folded(n) for n in names if n):
                return row
        raise NotFound(error, name=name)

    async def default_source(self) -> Source | None:
        """The company's own website: a source coded "website", else the handbook's
        "Cetera.ru" (the company's site: its CRM course lives on learning.cetera.ru)."""
        rows = await self.session.scalars(
            select(Source).where(
                Source.code.in_((WEBSITE_SOURCE, COMPANY_SITE_SOURCE)),
                Source.is_archived.is_(False),
            )
        )
        found = {source.code: source for source in rows}
        return found.get(WEBSITE_SOURCE) or found.get(COMPANY_SITE_SOURCE)

    async def forms(self, actor: User) -> list[FormView]:
        self._admin_only(actor)
        rows = await self.session.execute(
            select(IntakeForm, Team.name, Source.name, Pipeline.name)
            .outerjoin(Team, Team.id == IntakeForm.team_id)
            .outerjoin(Source, Source.id == IntakeForm.source_id)
            .outerjoin(Pipeline, Pipeline.id == IntakeForm.pipeline_id)
            .where(IntakeForm.revoked_at.is_(None))
            .order_by(IntakeForm.id)
        )
        return [FormView(form, team, source, pipe) for form, team, source, pipe in rows]

    async def revoke(self, actor: User, form_id: int) -> IntakeForm:
        self._admin_only(actor)
        form = await self.session.get(IntakeForm, form_id)
        if form is None or form.revoked_at is not None:
            raise NotFound("intake.form_gone")
        form.revoked_at = self.clock()
        await self.session.flush()
        return form
