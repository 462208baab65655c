"""An admin edits the catalogs: add, rename, archive, restore and reorder pipelines, stages
and sources. Every change is one CatalogEvent row (who, when, old -> new).

Rules:
- only an admin (the role is re-read with every update, so a demoted admin's old buttons fail);
- names are trimmed (inner runs of spaces folded), not empty, at most ``MAX_NAME`` characters,
  unique within their catalog ignoring case (compared in Python: SQLite's lower() folds ASCII
  only, and a catalog is a few dozen rows);
- an archived item leaves the pickers but keeps its deals; a stage that holds deals in work
  (open or paused) cannot be archived (the count is told), nor the last active stage of the
  won, lost or paused kind (the stage flows need them), nor the last open one (where new deals
  start); the unsorted pipeline (website requests land there) and the last active pipeline
  stay; archived items are restored as they were;
- a pipeline's number group follows its name ("3 Магазин ..." is group 3).
Nothing here is cached beyond the update's session, so every process sees a change with the
next update."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from ..catalog import CatalogAction, CatalogEvent, CatalogKind, Pipeline, Source, Stage, StageKind
from ..deals import Deal
from ..errors import AccessDenied, InvalidInput, NotFound
from ..handbook import group_of
from ..roles import Role
from ..users import User

if TYPE_CHECKING:
    from ..crm import Crm

MAX_NAME = 100
IN_WORK = (StageKind.open, StageKind.paused)
Item = Pipeline | Stage | Source
MODELS: dict[CatalogKind, type[Pipeline] | type[Stage] | type[Source]] = {
    CatalogKind.pipeline: Pipeline,
    CatalogKind.stage: Stage,
    CatalogKind.source: Source,
}


@dataclass
class ItemInfo:
    """An item with the number of deals on it (deleted ones aside) and, for a stage, of
    those in work."""

    item: Item
    deals: int
    in_work: int


def clean_name(raw: str | None) -> str:
    # Control characters (a NUL, which PostgreSQL refuses in text) go; runs of spaces fold.
    printable = "".join(ch if ch.isprintable() else " " for ch in raw or "")
    name = " ".join(printable.split())
    if not name:
        raise InvalidInput("catalogs.name_empty")
    if len(name) > MAX_NAME:
        raise InvalidInput("catalogs.name_too_long", length=len(name), limit=MAX_NAME)
    return name


class CatalogAdmin:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session

    # -- reading -------------------------------------------------------------------------
    async def items(self, actor: User, kind: CatalogKind) -> list[Item]:
        """Every item of the catalog, archived ones too, in their order."""
        self._check(actor)
        model = MODELS[kind]
        rows = await self.session.scalars(select(model).order_by(model.position, model.id))
        return [row for row in rows if isinstance(row, model)]

    async def info(self, actor: User, kind: CatalogKind, item_id: int) -> ItemInfo:
        item = await self._get(actor, kind, item_id)
        column = {
            CatalogKind.pipeline: Deal.pipeline_id,
            CatalogKind.stage: Deal.stage_id,
            CatalogKind.source: Deal.source_id,
        }[kind]
        rows = await self.session.execute(
            select(Deal.status, func.count(Deal.id))
            .where(column == item.id, Deal.deleted_at.is_(None))
            .group_by(Deal.status)
        )
        counts = {status: int(n) for status, n in rows}
        in_work = sum(n for status, n in counts.items() if status in IN_WORK)
        return ItemInfo(item, sum(counts.values()), in_work)

    # -- changes -------------------------------------------------------------------------
    async def add(self, actor: User, kind: CatalogKind, raw: str | None) -> Item:
        self._check(actor)
        name = clean_name(raw)
        await self._unique(kind, name)
        model = MODELS[kind]
        position = int(await self.session.scalar(select(func.max(model.position))) or 0) + 1
        item: Item
        if kind is CatalogKind.pipeline:
            item = Pipeline(name=name, group_no=group_of(name), position=position)
        elif kind is CatalogKind.source:
            item = Source(name=name, position=position)
        else:
            item = Stage(name=name, kind=StageKind.open, position=position)
        self.session.add(item)
        await self.session.flush()
        if isinstance(item, Stage):
            await self._place_new_stage(item)
        self._log(actor, kind, item.id, CatalogAction.added, None, name)
        await self.session.flush()
        return item

    async def rename(self, actor: User, kind: CatalogKind, item_id: int, raw: str | None) -> bool:
        item = await self._get(actor, kind, item_id)
        name = clean_name(raw)
        if name == item.name:
            return False
        await self._unique(kind, name, exclude=item.id)
        old = item.name
        item.name = name
        # The English label was a translation of the old name: it would now mislead.
        item.name_en = None
        if isinstance(item, Pipeline):
            item.group_no = group_of(name)
        self._log(actor, kind, item.id, CatalogAction.renamed, old, name)
        await self.session.flush()
        return True

    async def archive(self, actor: User, kind: CatalogKind, item_id: int) -> bool:
        info = await self.info(actor, kind, item_id)
        item = info.item
        if item.is_archived:
            return False
        if isinstance(item, Stage):
            if info.in_work:
                raise InvalidInput("catalogs.stage_has_deals", n=info.in_work)
            others = await self.session.scalar(
                select(func.count(Stage.id)).where(
                    Stage.kind == item.kind, Stage.is_archived.is_(False), Stage.id != item.id
                )
            )
            if not others:
                raise InvalidInput(f"catalogs.last_{item.kind.value}_stage")
        elif isinstance(item, Pipeline):
            if item.is_unsorted:
                raise InvalidInput("catalogs.unsorted_stays")
            others = await self.session.scalar(
                select(func.count(Pipeline.id)).where(
                    Pipeline.is_archived.is_(False), Pipeline.id != item.id
                )
            )
            if not others:
                raise InvalidInput("catalogs.last_pipeline")
        item.is_archived = True
        self._log(actor, kind, item.id, CatalogAction.archived, item.name, None)
        await self.session.flush()
        return True

    async def restore(self, actor: User, kind: CatalogKind, item_id: int) -> bool:
        item = await self._get(actor, kind, item_id)
        if not item.is_archived:
            return False
        # A name taken meanwhile by another active item would make two look alike.
        await self._unique(kind, item.name, exclude=item.id)
        item.is_archived = False
        self._log(actor, kind, item.id, CatalogAction.restored, None, item.name)
        await self.session.flush()
        return True

    async def move(self, actor: User, kind: CatalogKind, item_id: int, step: int) -> bool:
        """One place up (``step`` -1) or down (+1) in the catalog's order; False at an end."""
        item = await self._get(actor, kind, item_id)
        items = await self.items(actor, kind)
        index = next(i for i, x in enumerate(items) if x.id == item.id)
        target = index + (1 if step > 0 else -1)
        if not 0 <= target < len(items):
            return False
        items[index], items[target] = items[target], items[index]
        for position, x in enumerate(items, start=1):  # also mends duplicate positions
            if x.position != position:
                x.position = position
        self._log(actor, kind, item.id, CatalogAction.moved, str(index + 1), str(target + 1))
        await self.session.flush()
        return True

    # -- internals -----------------------------------------------------------------------
    @staticmethod
    def _check(actor: User) -> None:
        if actor.role is not Role.admin:
            raise AccessDenied("catalogs.admin_only")

    async def _get(self, actor: User, kind: CatalogKind, item_id: int) -> Item:
        self._check(actor)
        item = await self.session.get(MODELS[kind], item_id)
        if not isinstance(item, Pipeline | Stage | Source):
            raise NotFound("catalogs.item_gone")
        return item

    async def _unique(self, kind: CatalogKind, name: str, *, exclude: int | None = None) -> None:
        model = MODELS[kind]
        folded = name.casefold()
        rows = await self.session.execute(select(model.id, model.name))
        for item_id, other in rows:
            if item_id != exclude and other.casefold() == folded:
                raise InvalidInput("catalogs.name_taken", name=other)

    async def _place_new_stage(self, stage: Stage) -> None:
        """A new stage is a step of the sales process: after the last open stage, before
        won / paused / lost."""
        stages = list(await self.session.scalars(select(Stage).order_by(Stage.position, Stage.id)))
        stages.remove(stage)
        last_open = max((i for i, s in enumerate(stages) if s.kind is StageKind.open), default=-1)
        stages.insert(last_open + 1, stage)
        for position, s in enumerate(stages, start=1):
            if s.position != position:
                s.position = position

    def _log(
        self,
        actor: User,
        kind: CatalogKind,
        item_id: int,
        action: CatalogAction,
        old: str | None,
        new: str | None,
    ) -> None:
        self.session.add(
            CatalogEvent(
                catalog=kind,
                item_id=item_id,
                action=action,
                actor_id=actor.id,
                at=self.crm.clock(),
                old=old,
                new=new,
            )
        )
