"""Migration 0005 on a database seeded the old way (7 pipelines, 20 sources, most of them
invented) with deals on invented items: the handbook's catalogs appear, renamed rows keep
their deals, invented items that hold deals are archived with their deals untouched, unused
invented items are deleted, and nothing else is lost. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models import CatalogEvent, Deal, Pipeline, Source, Stage, StageKind, migrate
from models.catalog import CatalogAction
from models.db import create_engine, create_session_factory
from models.handbook import PIPELINES, SOURCES
from models.roles import Role
from models.seed import STAGES, seed_defaults
from tests.migration_support import old_insert

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)

# What versions before 0005 seeded (models/seed.py then), frozen here.
OLD_PIPELINES = [
    ("unsorted", "Неразобранные", "Unsorted"),
    ("site_staged", "Сайт Этапная разработка", "Website, staged development"),
    ("site", "Сайт", "Website"),
    ("crm", "CRM", "CRM"),
    ("mobile", "Мобильное приложение", "Mobile app"),
    ("support", "Поддержка и развитие", "Support and growth"),
    ("marketing", "Интернет-маркетинг", "Online marketing"),
]
OLD_SOURCES = [
    ("avito", "Авито", "Avito"),
    ("website", "Сайт компании", "Company website"),
    ("flru", "Fl.ru", "Fl.ru"),
    ("vk", "ВКонтакте", "VK"),
    ("bitrix", "Битрикс", "Bitrix"),
    ("regional", "Региональный офис", "Regional office"),
    ("seminar", "Семинары", "Seminars"),
    ("tender", "Тендерная площадка", "Tender platform"),
    ("mailing", "Рассылка", "Mailing"),
    ("rating", "Рейтинг / каталог", "Rating listing"),
    ("social", "Социальная сеть", "Social network"),
    ("cold_call", "Холодный звонок", "Cold call"),
    ("office_call", "Звонок в офис", "Call to the office"),
    ("ref_friend", "Рекомендация знакомого", "Referral from a friend"),
    ("ref_client", "Рекомендация клиента", "Referral from a client"),
    ("ref_partner", "Рекомендация партнёра", "Referral from a partner"),
    ("ref_employee", "Рекомендация сотрудника", "Referral from an employee"),
    ("partner", "Партнёр", "Partner"),
    ("promo", "Заявки с промо", "Promo requests"),
    ("other", "Другой канал", "Other channel"),
]


async def test_upgrade_of_a_database_seeded_the_old_way(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        await migrate.upgrade(engine, "0004")
        async with engine.begin() as conn:
            await old_insert(
                conn,
                "stages",
                *[
                    {"code": c, "name": n, "name_en": en, "kind": k.value, "position": i,
                     "is_archived": False}
                    for i, (c, n, en, k) in enumerate(STAGES, start=1)
                ],
            )  # fmt: skip
            await old_insert(
                conn,
                "pipelines",
                *[
                    {"code": c, "name": n, "name_en": en, "position": i,
                     "is_unsorted": c == "unsorted", "is_archived": False}
                    for i, (c, n, en) in enumerate(OLD_PIPELINES, start=1)
                ],
            )  # fmt: skip
            await old_insert(
                conn,
                "sources",
                *[
                    {"code": c, "name": n, "name_en": en, "position": i, "is_archived": False}
                    for i, (c, n, en) in enumerate(OLD_SOURCES, start=1)
                ],
            )
            # An item added by hand (no code) must stay as it is.
            await old_insert(
                conn, "sources", {"name": "Выставка", "position": 21, "is_archived": False}
            )
            [owner_id] = await old_insert(
                conn, "users",
                {"telegram_id": 5, "full_name": "Анна", "role": Role.manager.value,
                 "timezone": "UTC", "language": "ru", "created_at": NOW, "is_active": True,
                 "is_reachable": True, "digest_time": dt.time(9, 0),
                 "followup_time": dt.time(14, 0), "summary_time": dt.time(19, 0),
                 "work_days": "01234"},
            )  # fmt: skip
            ids = {
                code: i
                for code, i in (await conn.execute(select(Pipeline.code, Pipeline.id))).all()
            }
            src = {
                code: i for code, i in (await conn.execute(select(Source.code, Source.id))).all()
            }
            stage_id = (
                await conn.execute(select(Stage.id).where(Stage.code == "proposal"))
            ).scalar_one()

            async def deal(title: str, pipeline: str, source: str | None, **kw: object) -> int:
                row = {
                    "title": title, "pipeline_id": ids[pipeline], "stage_id": stage_id,
                    "status": StageKind.open.value,
                    "source_id": src[source] if source else None, "owner_id": owner_id,
                    "created_at": NOW, "updated_at": NOW, "version": 1, "search_text": "",
                    **kw,
                }  # fmt: skip
                [deal_id] = await old_insert(conn, "deals", row)
                return deal_id

            on_mobile = await deal("Приложение", "mobile", "promo")
            on_crm = await deal("CRM для завода", "crm", "avito")
            deleted_on_support = await deal("Удалённая", "support", "website", deleted_at=NOW)
            on_unsorted = await deal("Заявка", "unsorted", None)
            # Only the history of a deal still names "marketing" (it moved away).
            await old_insert(
                conn, "deal_events",
                {"deal_id": on_unsorted, "at": NOW, "kind": "field", "field": "pipeline",
                 "old": str(ids["marketing"]), "new": str(ids["unsorted"])},
            )  # fmt: skip
        await migrate.upgrade(engine)
        factory = create_session_factory(engine)
        async with factory() as session, session.begin():
            await seed_defaults(session)  # what start-up does next: must add nothing now

        async with factory() as session:
            rows = list(await session.scalars(select(Pipeline).order_by(Pipeline.position)))
            active = [p for p in rows if not p.is_archived]
            assert [p.name for p in active] == [name for _, name, _, _ in PIPELINES]
            assert len(active) == 44
            assert {p.group_no for p in active if p.group_no} == {1, 3, 4, 5, 6, 7, 8, 9, 10}
            assert [p.name for p in active if p.group_no is None] == [
                "Конвейер I", "Конвейер II", "Конвейер III"
            ]  # fmt: skip
            # Used invented pipelines: archived, after the handbook's; unused: gone.
            archived = [p.name for p in rows if p.is_archived]
            assert archived == [
                "Мобильное приложение",
                "Поддержка и развитие",
                "Интернет-маркетинг",
            ]
            assert "Сайт" not in {p.name for p in rows}
            by_id = {p.id: p for p in rows}
            deals = {d.id: d for d in await session.scalars(select(Deal))}
            assert len(deals) == 4
            assert by_id[deals[on_mobile].pipeline_id].name == "Мобильное приложение"
            assert by_id[deals[on_crm].pipeline_id].name == "5 CRM"
            assert by_id[deals[on_crm].pipeline_id].id == ids["crm"]  # the same row, renamed
            assert by_id[deals[deleted_on_support].pipeline_id].is_archived
            assert by_id[deals[on_unsorted].pipeline_id].name == "10 Неразобранные"
            assert by_id[deals[on_unsorted].pipeline_id].is_unsorted
            assert deals[on_unsorted].pipeline_id == ids["unsorted"]

            sources = list(await session.scalars(select(Source).order_by(Source.position)))
            active_s = [s.name for s in sources if not s.is_archived]
            assert active_s[:26] == [name for _, name, _ in SOURCES]
            assert active_s[26:] == ["Выставка"]
            assert {s.name for s in sources if s.is_archived} == {"Заявки с промо", "Сайт компании"}
            assert {"Партнёр", "Региональный офис", "Авито"}.isdisjoint({s.name for s in sources})
            src_by_id = {s.id: s for s in sources}
            assert src_by_id[deals[on_crm].source_id or 0].name == "Avito"
            assert deals[on_crm].source_id == src["avito"]
            assert src_by_id[deals[on_mobile].source_id or 0].name == "Заявки с промо"

            events = list(await session.scalars(select(CatalogEvent)))
            archived_events = {
                (e.catalog.value, e.old) for e in events if e.action is CatalogAction.archived
            }
            assert ("pipeline", "Мобильное приложение") in archived_events
            assert ("source", "Заявки с промо") in archived_events
            deleted_events = {
                (e.catalog.value, e.old) for e in events if e.action is CatalogAction.deleted
            }
            assert ("pipeline", "Сайт") in deleted_events and (
                "source",
                "Партнёр",
            ) in deleted_events
            assert all(e.actor_id is None for e in events)
            # Stages as they were.
            names = list(await session.scalars(select(Stage.name).order_by(Stage.position)))
            assert names == [name for _, name, _, _ in STAGES]
        # And back down and up again, rows kept.
        await migrate.downgrade(engine, "0004")
        await migrate.upgrade(engine)
        async with factory() as session:
            assert len(list(await session.scalars(select(Deal)))) == 4
            assert (
                await session.scalar(select(Pipeline.group_no).where(Pipeline.code == "crm"))
            ) == 5
    finally:
        await engine.dispose()
