"""Default reference data from the company's sales handbook, seeded idempotently at start."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .catalog import Pipeline, Source, Stage, StageKind
from .staleness import DEFAULT_STALE_DAYS

UNSORTED_PIPELINE = "unsorted"

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

PIPELINES: list[tuple[str, str, str]] = [
    (UNSORTED_PIPELINE, "Неразобранные", "Unsorted"),
    ("site_staged", "Сайт Этапная разработка", "Website, staged development"),
    ("site", "Сайт", "Website"),
    ("crm", "CRM", "CRM"),
    ("mobile", "Мобильное приложение", "Mobile app"),
    ("support", "Поддержка и развитие", "Support and growth"),
    ("marketing", "Интернет-маркетинг", "Online marketing"),
]

SOURCES: list[tuple[str, str, str]] = [
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
    for position, (code, name, name_en) in enumerate(PIPELINES, start=1):
        if code not in have:
            session.add(
                Pipeline(
                    code=code,
                    name=name,
                    name_en=name_en,
                    position=position,
                    is_unsorted=code == UNSORTED_PIPELINE,
                )
            )
    have = set(await session.scalars(select(Source.code).where(Source.code.is_not(None))))
    for position, (code, name, name_en) in enumerate(SOURCES, start=1):
        if code not in have:
            session.add(Source(code=code, name=name, name_en=name_en, position=position))
    await session.flush()
