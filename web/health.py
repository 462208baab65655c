"""GET /healthz: 200 when the database answers and the schema is at the newest migration,
503 otherwise; the age of the scheduler's last sign of life is reported (a monitor decides
what is too old: a deployment may run its scheduler elsewhere)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import health
from models.clock import Clock

logger = logging.getLogger(__name__)


def setup(
    app: web.Application,
    session_factory: async_sessionmaker[AsyncSession],
    clock: Clock,
    writes_refused: Callable[[], bool] = lambda: False,
) -> None:
    async def healthz(_request: web.Request) -> web.Response:
        try:
            async with session_factory() as session:
                state = await health.check(session)
        except Exception as exc:
            logger.warning("health check: the database does not answer: %s", exc)
            return web.json_response({"ok": False, "database": "unreachable"}, status=503)
        age = None
        if state.scheduler_seen_at is not None:
            age = round((clock() - state.scheduler_seen_at).total_seconds(), 1)
        refused = writes_refused()
        ok = state.migrations_at_head and not refused
        body = {
            "ok": ok,
            "database": "refusing writes: the file was removed or replaced" if refused else "ok",
            "migration": state.revision,
            "migration_head": state.head,
            "scheduler_seen_seconds_ago": age,
        }
        return web.json_response(body, status=200 if ok else 503)

    app.router.add_get("/healthz", healthz)
