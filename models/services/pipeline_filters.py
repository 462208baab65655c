"""Lists filtered by several pipelines at once: by the handbook's number group ("1" — the
first group) or by a part of the name ("магазин" — every online-shop pipeline), archived
pipelines included (their deals are still somebody's work).

Names are matched in Python (casefold), not with SQL lower()/ILIKE: SQLite folds ASCII only,
so "Магазин" would not match "магазин" there; a catalog is a few dozen rows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..catalog import Pipeline
from ..deals import Deal
from ..errors import InvalidInput

MAX_PART = 50


@dataclass(frozen=True)
class Family:
    """Pipelines whose names share a first word after the group number ("Магазин")."""

    word: str
    pipeline_id: int  # the first of them: names the family in a button
    count: int


def folded_part(raw: str) -> str:
    part = " ".join(raw.split()).casefold()
    if len(part) > MAX_PART:
        raise InvalidInput("lists.name_too_long", limit=MAX_PART)
    return part


def matches(pipeline: Pipeline, part: str) -> bool:
    return part in pipeline.name.casefold() or part in (pipeline.name_en or "").casefold()


def first_word(name: str) -> str:
    words = name.split()
    if words and words[0].isdigit():
        words = words[1:]
    return words[0] if words else ""


async def _all(session: AsyncSession) -> list[Pipeline]:
    rows = await session.scalars(select(Pipeline).order_by(Pipeline.position, Pipeline.id))
    return list(rows)


async def pipeline_set(
    session: AsyncSession, group: int | None, part: str | None, family: str | None = None
) -> ColumnElement[bool]:
    """The condition on Deal.pipeline_id for a group, a name part or a family."""
    if part:
        ids = [p.id for p in await _all(session) if matches(p, part)]
        return Deal.pipeline_id.in_(ids)
    if family:
        word = family.casefold()
        ids = [p.id for p in await _all(session) if first_word(p.name).casefold() == word]
        return Deal.pipeline_id.in_(ids)
    return Deal.pipeline_id.in_(select(Pipeline.id).where(Pipeline.group_no == group))


async def named(session: AsyncSession, part: str) -> list[Pipeline]:
    return [p for p in await _all(session) if matches(p, part)]


async def groups(session: AsyncSession) -> list[int]:
    """The number groups of the active pipelines, in order."""
    rows = await session.scalars(
        select(Pipeline.group_no)
        .where(Pipeline.is_archived.is_(False), Pipeline.group_no.is_not(None))
        .distinct()
    )
    return sorted(g for g in rows if g is not None)


async def families(session: AsyncSession) -> list[Family]:
    """First words that two or more active pipelines share, in catalog order."""
    found: dict[str, Family] = {}
    for p in await _all(session):
        if p.is_archived:
            continue
        word = first_word(p.name)
        key = word.casefold()
        if not word:
            continue
        if key in found:
            f = found[key]
            found[key] = Family(f.word, f.pipeline_id, f.count + 1)
        else:
            found[key] = Family(word, p.id, 1)
    return [f for f in found.values() if f.count >= 2]
