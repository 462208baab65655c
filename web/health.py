"""GET /healthz: 200 when the database answers and the schema is at the newest migration,
503 otherwise; how long the scheduler's lease still runs is reported (a monitor decides what
is too old: the scheduler may run in another process or container)."""

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
        left = None
        if state.scheduler_lease_until is not None:
            left = round((state.scheduler_lease_until - clock()).total_seconds(), 1)
        refused = writes_refused()
        ok = state.migrations_at_head and not refused
        body = {
            "ok": ok,
            "database": "refusing writes: the file was removed or replaced" if refused else "ok",
            "migration": state.revision,
            "migration_head": state.head,
            # Seconds the scheduler's lease still runs; negative: no scheduler renewed it.
            "scheduler_lease_seconds_left": left,
        }
        return web.json_response(body, status=200 if ok else 503)

    app.router.add_get("/healthz", healthz)
