"""The company's own catalogs, verbatim from the sales handbook ("Работа в CRM"): the 41
numbered pipelines and Конвейер I-III, and the 26 deal sources, each in the handbook's order.

A name is the company's proper name and stays the name in every language; an English label
is given only where the name is a generic word (``None``: the name is shown). A pipeline's
number group (1, 3-10) is the number its name starts with, kept in a column of its own so
lists can filter by it. Codes make seeding idempotent; the three pipelines and the sixteen
sources that earlier versions seeded under another name keep their old codes (migration 0005
renames those rows, so their deals stay put)."""

from __future__ import annotations

import re

UNSORTED_PIPELINE = "unsorted"

# (code, name, English label or None)
_PIPELINES: list[tuple[str, str, str | None]] = [
    ("shop_b250", "1 Магазин Битрикс-250", None),
    ("shop_agile_cetera", "1 Магазин Гибкая разработка Cetera CMS", None),
    ("shop_agile_other", "1 Магазин Гибкая разработка Другая CMS", None),
    ("shop_cascade_cetera", "1 Магазин Каскадная разработка Cetera CMS", None),
    ("shop_cascade_other", "1 Магазин Каскадная разработка Другая CMS", None),
    ("shop_complex_cetera", "1 Магазин Комплексное обслуживание Cetera CMS", None),
    ("shop_complex_other", "1 Магазин Комплексное обслуживание Другая CMS", None),
    ("shop_hourly_other", "1 Магазин Почасовая Другая CMS", None),
    ("shop_staged", "1 Магазин Этапная разработка", None),
    ("site_fastsite", "1 Сайт Fastsite", None),
    ("site_fastsite_en", "1 Сайт Fastsite EN", None),
    ("site_agile_cetera", "1 Сайт Гибкая разработка Cetera CMS", None),
    ("site_agile_other", "1 Сайт Гибкая разработка Другая CMS", None),
    ("site_cascade_cetera", "1 Сайт Каскадная разработка Cetera CMS", None),
    ("site_cascade_other", "1 Сайт Каскадная разработка Другая CMS", None),
    ("site_complex_cetera", "1 Сайт Комплексное обслуживание Cetera CMS", None),
    ("site_complex_other", "1 Сайт Комплексное обслуживание Другая CMS", None),
    ("site_hourly_other", "1 Сайт Почасовая Другая CMS", None),
    ("site_staged", "1 Сайт Этапная разработка", None),
    (UNSORTED_PIPELINE, "10 Неразобранные", "10 Unsorted"),
    ("shop_growth", "3 Магазин Развитие Комплексное", None),
    ("site_growth", "3 Сайт Развитие Комплексное", None),
    ("kolganov_ecommerce", "4 KolganovEcommerce", None),
    ("kolganov_website", "4 KolganovWebsite", None),
    ("szymczak_ecommerce", "4 SzymczakEcommerce", None),
    ("szymczak_website", "4 SzymczakWebsite", None),
    ("crm", "5 CRM", None),
    ("mobile_apps", "5 Мобильные", "5 Mobile"),
    ("advertising", "5 Реклама", "5 Advertising"),
    ("media", "5 СМИ", "5 Media"),
    ("design", "6 Дизайн", "6 Design"),
    ("portal", "6 Портал", "6 Portal"),
    ("software_supply", "6 Поставка ПО", "6 Software supply"),
    ("consulting", "7 Консалтинг", "7 Consulting"),
    ("partnership", "7 Партнерство", "7 Partnership"),
    ("partnership_hosting", "7 Партнёрство Хостеры", "7 Partnership: hosting companies"),
    ("hr", "8 HR", None),
    ("hr_developer", "8 HR developer", None),
    ("misc", "8 Прочее", "8 Other"),
    ("downloads", "9 Скачал материалы с сайта", "9 Downloaded materials from the website"),
    ("downloads_book", "9 Скачал материалы с сайта — КНИГА", "9 Downloaded materials — BOOK"),
    ("conveyor_1", "Конвейер I", None),
    ("conveyor_2", "Конвейер II", None),
    ("conveyor_3", "Конвейер III", None),
]

SOURCES: list[tuple[str, str, str | None]] = [
    ("avito", "Avito", None),
    ("cetera", "Cetera.ru", None),
    ("flru", "Fl.ru", None),
    ("vk", "Vk-tracker", None),
    ("bitrix", "Битрикс", "Bitrix"),
    ("vologda", "Вологда", "Vologda"),
    ("seminar", "Семинары", "Seminars"),
    ("tender", "Тендерная площадка", "Tender platform"),
    ("inforza", "Inforza", None),
    ("bitrix_unfinished", "Битрикс недоделки", "Bitrix: unfinished projects"),
    ("demo", "Демо-доступ", "Demo access"),
    ("office_call", "Звонок в офис", "Call to the office"),
    ("mailing", "Рассылка", "Mailing"),
    ("rating", "Рейтинг Рунета", "Runet rating"),
    ("social", "Соцсеть", "Social network"),
    ("cold_call", "Холодный звонок", "Cold call"),
    ("yarportal", "Ярпортал", "Yarportal"),
    ("ref_friend", "От знакомых", "From acquaintances"),
    ("ref_client", "От клиента", "From a client"),
    ("ref_partner", "От партнёра", "From a partner"),
    ("ref_employee", "От сотрудника", "From an employee"),
    ("promo_testing", "АКЦИЯ: Запрос на тестирование", "PROMO: testing request"),
    ("promo_restart", "АКЦИЯ: Перезапуск", "PROMO: relaunch"),
    ("amiro", "Амиро", "Amiro"),
    ("other", "Другой канал", "Other channel"),
    ("satellites", "Сателиты", "Satellites"),
]

_GROUP = re.compile(r"^(\d{1,3})\s")


def group_of(name: str) -> int | None:
    """The number group a pipeline's name starts with ("1 Магазин ..." -> 1), else None."""
    match = _GROUP.match(name.strip())
    return int(match.group(1)) if match else None


# (code, name, English label or None, number group or None)
PIPELINES: list[tuple[str, str, str | None, int | None]] = [
    (code, name, name_en, group_of(name)) for code, name, name_en in _PIPELINES
]
