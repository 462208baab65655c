"""Benchmark of the spreadsheet import and the list export (issue 12), through the production
dispatcher and the in-process fake Telegram of the tests.

    python -m bench.import_bench                 # 10,000 rows / deals, 3 runs each
    python -m bench.import_bench --rows 2000 --runs 1

Each run uses a fresh SQLite base built by the real migrations. An operator sends a generated
.xlsx of ``--rows`` rows (client, company, e-mail, phone, owner, pipeline, source, amount, next
step date, note): "dry run" is the time from the document to the summary message (download,
parse, checks, duplicate lookups); "commit" the time of the confirm press (a fresh dry run,
then the batched writes). Then the owner's My deals (those ``--rows`` deals) is exported:
.xlsx and .csv, from the button press to the document. Prints the median of the runs against
the targets (dry run < 10 s, commit < 60 s, export < 10 s). A script, not a test."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiogram.types import Document
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.app import prepare_database
from bot.callbacks.imports import ExportCb
from bot.dispatcher import build_dispatcher
from bot.settings import Settings
from models import Deal, Pipeline, Source, User
from models.db import create_engine, create_session_factory
from models.roles import Role
from models.services.accounts import Profile
from models.services.deal_lists import ListKind
from models.services.export import ExportFormat
from tests.client import ChatClient
from tests.mocked_bot import TOKEN, FakeTelegram, make_bot

TARGETS = {"dry run": 10.0, "commit": 60.0, "export .xlsx": 10.0, "export .csv": 10.0}


def build_file(rows: int, owner: str, pipelines: list[str], sources: list[str]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Клиенты")
    sheet.append(["Клиент", "Компания", "E-mail", "Телефон", "Ответственный", "Воронка",
                  "Источник", "Сумма", "Следующий шаг", "Заметка"])  # fmt: skip
    start = dt.date(2026, 12, 1)
    for i in range(rows):
        sheet.append([
            f"Клиент {i}", f"ООО Компания {i % 997}", f"client{i}@example{i % 50}.ru",
            f"+7 916 {i // 10000 % 1000:03d}-{i // 100 % 100:02d}-{i % 100:02d}",
            owner, pipelines[i % len(pipelines)], sources[i % len(sources)],
            1000 + i, start + dt.timedelta(days=i % 60), f"Заметка по клиенту {i}",
        ])  # fmt: skip
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def one_run(rows: int, directory: Path, run: int) -> dict[str, float]:
    url = f"sqlite+aiosqlite:///{directory / f'import-{run}.db'}"
    engine = create_engine(url)
    await prepare_database(engine)
    session_factory = create_session_factory(engine)
    settings = Settings(
        _env_file=None, bot_token=TOKEN, database_url=url, admin_ids=frozenset(),
        import_max_rows=max(rows, 20_000),
    )  # fmt: skip
    telegram = FakeTelegram()
    bot = make_bot(telegram)
    dp = build_dispatcher(settings, session_factory)
    async with session_factory() as session, session.begin():
        from models.crm import Crm

        crm = Crm(session)
        new_user = crm.accounts._new_user
        operator = new_user(Profile(5001, "Ольга Операторова"), Role.operator, None, "ru")
        manager = new_user(Profile(5002, "Пётр Менеджеров"), Role.manager, None, "ru")
        session.add_all([operator, manager])
        pipelines = list(await session.scalars(select(Pipeline.name)))
        sources = list(await session.scalars(select(Source.name)))
    data = build_file(rows, "Пётр Менеджеров", pipelines, sources)
    telegram.upload("bench-file", data)
    client = ChatClient(dp, bot, telegram, 5001, first_name="Ольга")
    figures: dict[str, float] = {}

    started = time.perf_counter()
    changed = await client.send_document(
        Document(file_id="bench-file", file_unique_id="bench-file", file_name="clients.xlsx",
                 file_size=len(data))
    )  # fmt: skip
    figures["dry run"] = time.perf_counter() - started
    summary = changed[-1]
    started = time.perf_counter()
    await client.press_data(summary.button_data(0, 0), summary)
    figures["commit"] = time.perf_counter() - started
    created = await _count(session_factory)
    if created != rows:
        print(f"  run {run}: {created} deals created of {rows} rows", file=sys.stderr)

    async with session_factory() as session:
        manager_id = await session.scalar(select(User.id).where(User.telegram_id == 5002))
    owner = ChatClient(dp, bot, telegram, 5002, first_name="Пётр")
    await owner.send("/export")
    anchor = owner.last_message()
    for fmt in (ExportFormat.xlsx, ExportFormat.csv):
        started = time.perf_counter()
        await owner.press_data(ExportCb(kind=ListKind.mine, fmt=fmt).pack(), anchor)
        figures[f"export .{fmt.name}"] = time.perf_counter() - started
    assert manager_id is not None
    await bot.session.close()
    await engine.dispose()
    return figures


async def _count(session_factory) -> int:  # type: ignore[no-untyped-def]
    async with session_factory() as session:
        return int(await session.scalar(select(func.count(Deal.id))) or 0)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        for run in range(1, args.runs + 1):
            figures = await one_run(args.rows, Path(tmp), run)
            print(f"run {run}: " + ", ".join(f"{k} {v:.2f} s" for k, v in figures.items()))
            for key, value in figures.items():
                results.setdefault(key, []).append(value)
    print(f"\n{args.rows} rows / deals, median of {args.runs} run(s):")
    print(f"{'step':<14}{'median s':>10}{'target s':>10}  verdict")
    for key, values in results.items():
        median = statistics.median(values)
        verdict = "ok" if median < TARGETS[key] else "OVER"
        print(f"{key:<14}{median:>10.2f}{TARGETS[key]:>10.1f}  {verdict}")


if __name__ == "__main__":
    asyncio.run(main())
