"""Default reference data from the company's sales handbook, seeded idempotently at start."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .catalog import Pipeline, Source, Stage, StageKind
from .handbook import PIPELINES, SOURCES, UNSORTED_PIPELINE
from .staleness import DEFAULT_STALE_DAYS

__all__ = ["PIPELINES", "SOURCES", "STAGES", "UNSORTED_PIPELINE", "seed_defaults"]

# (code, name, English name, kind) in the order of the sales process.
STAGES: list[tuple[str, str, str, StageKind]] = [
    ("contacts", "Найти все контакты и соцсети", "Find all contacts and socials", StageKind.open),
    ("requirements", "Собрать требования", "Gather requirements", StageKind.open),
    ("portfolio", "Направить портфолио", "Send portfolio", StageKind.open),
    ("proposal", "Направить КП", "Send commercial proposal", StageKind.open),
    ("presentation", "Презентацию проводим", "Presentation", StageKind.open),
    ("objections", "Возражения обрабатываем", "Handling objections", StageKind.open),
    ("closing", "Сделку закрываем, договор обсуждаем", "Closing, contract talks", StageKind.open),
    ("won", "Выиграли", "Won", StageKind.won),
    ("paused", "Приостановлен", "Paused", StageKind.paused),
    ("lost", "Проиграли", "Lost", StageKind.lost),
]

PAUSE_REASONS = ("client_busy", "budget_later", "waiting_decision")
LOST_REASONS = ("price", "competitor", "no_need", "no_answer", "timing")


async def seed_defaults(session: AsyncSession) -> None:
    """Insert whatever default rows are missing; never touches rows an admin has edited."""
    have = set(await session.scalars(select(Stage.code).where(Stage.code.is_not(None))))
    for position, (code, name, name_en, kind) in enumerate(STAGES, start=1):
        if code not in have:
            stage = Stage(code=code, name=name, name_en=name_en, kind=kind, position=position)
            stage.stale_days = DEFAULT_STALE_DAYS.get(code)
            session.add(stage)
    have = set(await session.scalars(select(Pipeline.code).where(Pipeline.code.is_not(None))))
    # A name an admin already gave another item is not seeded twice (names are unique).
    names = {n.casefold() for n in await session.scalars(select(Pipeline.name))}
    for position, (code, name, en, group) in enumerate(PIPELINES, start=1):
        if code not in have and name.casefold() not in names:
            session.add(
                Pipeline(
                    code=code,
                    name=name,
                    name_en=en,
                    group_no=group,
                    position=position,
                    is_unsorted=code == UNSORTED_PIPELINE,
                )
            )
    have = set(await session.scalars(select(Source.code).where(Source.code.is_not(None))))
    names = {n.casefold() for n in await session.scalars(select(Source.name))}
    for position, (code, name, en) in enumerate(SOURCES, start=1):
        if code not in have and name.casefold() not in names:
            session.add(Source(code=code, name=name, name_en=en, position=position))
    await session.flush()
