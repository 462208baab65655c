"""Long polling that confirms an update to Telegram only once it is finished.

aiogram's own loop confirms a batch (the ``offset`` of the next ``getUpdates``) as soon as it
has *started* the batch's handlers, so a crash loses every update still being handled. This
loop holds the offset at the lowest update that is not finished, where finished means: its
handler returned, or its writes and its processed-update record are committed (from then on
a redelivery changes nothing: bot/middlewares/db.py skips it). Telegram is the durable queue:
after a crash it hands out again everything from the offset on, and the processed-update
record makes each of those take effect once.

Why not an inbox table (write the raw update, confirm, then handle)? It costs one more write
transaction per update on SQLite's single writer, and the queue Telegram already keeps for 24
hours does the same job. The price of this design: while one update is unfinished, Telegram
returns it (and the ones after it) again on every call; the loop skips those it knows and
waits for progress before asking again, so nothing runs twice within a process.

A 409 from ``getUpdates`` means another process polls the same token: one clear log line and
the admins are told once; the loop backs off and keeps trying, so when the other process
stops this one takes over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramConflictError, TelegramRetryAfter
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.types import Update

from bot.lifecycle import dispatcher_hooks, stop_on_signals
from bot.update_ack import set_committed_hook

logger = logging.getLogger(__name__)

POLLING_TIMEOUT = 10  # seconds Telegram holds an empty getUpdates open
MAX_IN_FLIGHT = 500  # updates being handled before the loop stops asking for more
PROGRESS_WAIT = 0.5  # seconds to wait for a finished update when Telegram had nothing new
ERROR_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)
CONFLICT_DELAYS: tuple[float, ...] = (5.0, 10.0, 30.0, 60.0)

ConflictNotice = Callable[[], Awaitable[None]]


class UpdatePoller:
    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        *,
        polling_timeout: int = POLLING_TIMEOUT,
        allowed_updates: list[str] | None = None,
        on_conflict: ConflictNotice | None = None,
        shutdown_grace: float = 20.0,
        context: dict[str, Any] | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.bot = bot
        self.polling_timeout = polling_timeout
        self.allowed_updates = allowed_updates
        self.on_conflict = on_conflict
        self.shutdown_grace = shutdown_grace
        self.context = context or {}
        self.offset: int | None = None  # the next getUpdates confirms every id below it
        self._confirmed: int | None = None  # the offset Telegram was last told
        self._running: dict[int, asyncio.Task[None]] = {}
        self._unfinished: set[int] = set()  # running and not yet committed
        self._known: set[int] = set()  # started ids at or above the offset
        self._max_seen: int | None = None
        self._progress = asyncio.Event()
        self.conflicts = 0
        self.handled = 0

    # -- the loop -------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        errors = 0
        stop_wait = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                if len(self._running) >= MAX_IN_FLIGHT:
                    await self._wait_progress(stop_wait, timeout=PROGRESS_WAIT)
                    continue
                try:
                    updates = await self._fetch(stop_wait)
                except _Stopped:
                    break
                except TelegramConflictError:
                    await self._conflict(stop_wait)
                    continue
                except TelegramRetryAfter as exc:
                    await self._sleep(stop_wait, float(exc.retry_after))
                    continue
                except Exception as exc:  # network, 5xx: keep polling, as aiogram does
                    delay = ERROR_DELAYS[min(errors, len(ERROR_DELAYS) - 1)]
                    errors += 1
                    logger.warning("getUpdates failed (%s); retrying in %s s", exc, delay)
                    await self._sleep(stop_wait, delay)
                    continue
                if errors:
                    logger.info("getUpdates works again")
                    errors = 0
                fresh = self._start(updates)
                if updates and not fresh:
                    # Telegram only repeated updates still in flight: wait for one to finish.
                    await self._wait_progress(stop_wait, timeout=PROGRESS_WAIT)
        finally:
            stop_wait.cancel()
            await self._drain()

    async def _fetch(self, stop_wait: asyncio.Future[Any]) -> list[Update]:
        self._advance()
        method = GetUpdates(
            offset=self.offset,
            timeout=self.polling_timeout,
            allowed_updates=self.allowed_updates,
        )
        timeout = int((self.bot.session.timeout or 60) + self.polling_timeout)
        call = asyncio.ensure_future(self.bot(method, request_timeout=timeout))
        await asyncio.wait({call, stop_wait}, return_when=asyncio.FIRST_COMPLETED)
        if not call.done():
            call.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await call
            raise _Stopped
        updates = call.result()  # raises what the call raised
        self._confirmed = self.offset
        if self.conflicts:
            logger.info("getUpdates answers again: the other poller is gone")
            self.conflicts = 0
        return updates

    def _start(self, updates: Iterable[Update]) -> int:
        fresh = 0
        for update in updates:
            uid = update.update_id
            if uid in self._known or (self.offset is not None and uid < self.offset):
                continue
            fresh += 1
            self._known.add(uid)
            self._unfinished.add(uid)
            if self._max_seen is None or uid > self._max_seen:
                self._max_seen = uid
            task = asyncio.create_task(self._handle(update))
            self._running[uid] = task
        return fresh

    async def _handle(self, update: Update) -> None:
        uid = update.update_id
        set_committed_hook(lambda: self._finished(uid))
        try:
            result = await self.dispatcher.feed_update(self.bot, update, **self.context)
            if isinstance(result, TelegramMethod):  # a handler returned a method: call it
                await self.bot(result)
        except Exception:
            # The error router handles errors of handlers; this is one outside of them.
            logger.exception("update %s failed outside its handlers", uid)
        finally:
            self.handled += 1
            self._running.pop(uid, None)
            self._finished(uid)

    def _finished(self, uid: int) -> None:
        self._unfinished.discard(uid)
        self._progress.set()

    def _advance(self) -> None:
        """Move the offset to the lowest unfinished update (or past the newest seen)."""
        if self._unfinished:
            offset = min(self._unfinished)
        elif self._max_seen is not None:
            offset = self._max_seen + 1
        else:
            return
        if self.offset is None or offset > self.offset:
            self.offset = offset
            self._known = {uid for uid in self._known if uid >= offset}

    # -- waiting --------------------------------------------------------------------------------
    async def _wait_progress(self, stop_wait: asyncio.Future[Any], timeout: float) -> None:
        self._progress.clear()
        progress = asyncio.ensure_future(self._progress.wait())
        try:
            await asyncio.wait({progress, stop_wait}, timeout=timeout)
        finally:
            progress.cancel()

    async def _sleep(self, stop_wait: asyncio.Future[Any], seconds: float) -> None:
        await asyncio.wait({stop_wait}, timeout=seconds)

    async def _conflict(self, stop_wait: asyncio.Future[Any]) -> None:
        self.conflicts += 1
        delay = CONFLICT_DELAYS[min(self.conflicts - 1, len(CONFLICT_DELAYS) - 1)]
        if self.conflicts == 1:
            logger.error(
                "Another process is polling this bot token (Telegram answered 409 Conflict to "
                "getUpdates). Only one may poll: stop the other one. Retrying every %s-%s s.",
                CONFLICT_DELAYS[0],
                CONFLICT_DELAYS[-1],
            )
            if self.on_conflict is not None:
                try:
                    await self.on_conflict()
                except Exception:
                    logger.exception("could not tell the admins about the second poller")
        await self._sleep(stop_wait, delay)

    # -- shutdown -------------------------------------------------------------------------------
    async def _drain(self) -> None:
        if self._running:
            logger.info("Waiting for %s update(s) in flight", len(self._running))
            _done, pending = await asyncio.wait(
                set(self._running.values()), timeout=self.shutdown_grace
            )
            if pending:
                logger.warning(
                    "Shutdown: %s update(s) did not finish in time; Telegram will send them "
                    "again after the restart",
                    len(pending),
                )
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
        await self._confirm_finished()

    async def _confirm_finished(self) -> None:
        """Tell Telegram what is finished, so a restart does not see it again."""
        self._advance()
        if self.offset is None or self.offset == self._confirmed:
            return
        try:
            await self.bot(GetUpdates(offset=self.offset, limit=1, timeout=0))
            self._confirmed = self.offset
        except Exception as exc:  # a restart then sees them again: skipped as processed
            logger.warning("could not confirm the last updates to Telegram: %s", exc)


class _Stopped(Exception):
    pass


async def run_polling(
    dispatcher: Dispatcher,
    bot: Bot,
    *,
    on_conflict: ConflictNotice | None = None,
    polling_timeout: int = POLLING_TIMEOUT,
    shutdown_grace: float = 20.0,
) -> None:
    """Poll until SIGINT/SIGTERM, with the dispatcher's start-up and shutdown hooks around."""
    poller = UpdatePoller(
        dispatcher,
        bot,
        polling_timeout=polling_timeout,
        allowed_updates=dispatcher.resolve_used_update_types(),
        on_conflict=on_conflict,
        shutdown_grace=shutdown_grace,
    )
    async with stop_on_signals() as stop, dispatcher_hooks(dispatcher, bot):
        logger.info("Polling for updates")
        try:
            await poller.run(stop)
        finally:
            logger.info("Polling stopped (%s updates handled)", poller.handled)
