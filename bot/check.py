"""``python -m bot check``: is this installation able to run? Settings (already loaded by the
caller), the database answers, its schema is at the newest migration, Telegram accepts the
token. One line per check; exit 0 when all pass (Docker's HEALTHCHECK and people alike)."""

from __future__ import annotations

import asyncio
import sys

from aiogram.exceptions import TelegramAPIError, TelegramNetworkError

from bot.app import check_database_reachable, create_bot
from bot.settings import Settings, SettingsError
from models import health
from models.db import create_engine, create_read_session_factory

TELEGRAM_TIMEOUT = 10


async def run_check(settings: Settings, *, telegram: bool = True) -> int:
    failures = 0

    def report(ok: bool, what: str) -> None:
        nonlocal failures
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {what}", file=sys.stdout, flush=True)

    report(True, "settings")
    engine = create_engine(settings.database_url)
    try:
        where = engine.url.render_as_string(hide_password=True)
        try:
            await check_database_reachable(engine)
            async with create_read_session_factory(engine)() as session:
                state = await health.check(session)
        except SettingsError as exc:
            report(False, str(exc))
        except Exception as exc:  # no schema at all: never migrated
            report(True, f"database {where}")
            report(False, f"migrations: cannot read the schema version ({exc.__class__.__name__})")
        else:
            report(True, f"database {where}")
            report(
                state.migrations_at_head,
                f"migrations at {state.revision} (newest {state.head})"
                + ("" if state.migrations_at_head else ": run python -m bot migrate"),
            )
    finally:
        await engine.dispose()
    if telegram:
        bot = create_bot(settings)
        try:
            me = await asyncio.wait_for(bot.get_me(), TELEGRAM_TIMEOUT)
            report(True, f"Telegram: @{me.username}")
        except (TelegramAPIError, TelegramNetworkError, OSError, TimeoutError) as exc:
            report(False, f"Telegram: {exc.__class__.__name__}: {exc}")
        finally:
            await bot.session.close()
    return 1 if failures else 0
