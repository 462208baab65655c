"""Exactly one scheduler per database, however many ``python -m bot`` processes start.

Each process's scheduler holds a ``SchedulerLeaseKeeper``: it takes the lease row (or renews
its own) every ``renew_every`` (a third of the lease time), and the jobs do their work only
while it holds a valid lease. A process that does not hold it stands by and takes over once
the holder stops renewing: at once after a clean shutdown (the lease is released) or when
the holder is a dead process on this host (a restart after a crash), at most ``ttl`` (+ one
renewal) after a kill -9 elsewhere. Times are this process's clock: the processes of one
installation are expected to share synchronised clocks (NTP), the lease time is far above any
drift. Two holders for a moment (a holder frozen longer than its lease) would not send
anything twice: the sent-log's unique keys decide who sends."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import secrets
import socket
import time

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.clock import Clock, utc_now
from models.services import scheduler_lease

logger = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
DEFAULT_LEASE = dt.timedelta(seconds=60)


def process_holder() -> str:
    """host:pid:random, so a restarted process with a reused pid is still someone else."""
    return f"{socket.gethostname()[:150]}:{os.getpid()}:{secrets.token_hex(4)}"


def holder_is_dead(holder: str) -> bool:
    """A holder on this host whose process is gone (a kill -9, a crash): its lease need not be
    waited out, so a restart right after a crash schedules at once. A holder on another host,
    or a pid that is alive (perhaps reused), is never taken for dead."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:150] or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, but is not ours to signal
        return False
    return False


class SchedulerLeaseKeeper:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        ttl: dt.timedelta = DEFAULT_LEASE,
        renew_every: dt.timedelta | None = None,
        holder: str | None = None,
        name: str = LEASE_NAME,
        clock: Clock = utc_now,
    ) -> None:
        self.session_factory = session_factory
        self.ttl = ttl
        self.renew_every = renew_every or ttl / 3
        self.holder = holder or process_holder()
        self.name = name
        self.clock = clock
        self._valid_until: float | None = None  # monotonic: a jump of the wall clock is harmless
        self._last_try: float | None = None
        self._standby_logged = False
        self._lock = asyncio.Lock()
        # For a health check (issue 9): when the lease was taken, and the last scan that ran.
        self.acquired_at: dt.datetime | None = None
        self.expires_at: dt.datetime | None = None
        self.last_scan_at: dt.datetime | None = None

    @property
    def held(self) -> bool:
        """True while the last successful renewal is still valid (checked without I/O)."""
        return self._valid_until is not None and time.monotonic() < self._valid_until

    async def holds(self) -> bool:
        """For a job about to work: renew first if the last try is a renewal period old."""
        last = self._last_try
        if last is None or time.monotonic() - last >= self.renew_every.total_seconds():
            await self.renew()
        return self.held

    async def renew(self) -> bool:
        """One try to take or keep the lease; logs when this process takes or loses it."""
        async with self._lock:
            started = time.monotonic()
            now = self.clock()
            was_held = self.held
            try:
                async with self.session_factory() as session, session.begin():
                    got = await scheduler_lease.take_or_renew(
                        session, self.name, self.holder, now, self.ttl
                    )
                    row = None if got else await scheduler_lease.current(session, self.name)
                    if row is not None and holder_is_dead(row.holder):
                        got = await scheduler_lease.take_over(
                            session, self.name, row.holder, self.holder, now, self.ttl
                        )
                        if got:
                            logger.warning(
                                "Scheduler lease of %s taken over: that process is gone",
                                row.holder,
                            )
            except Exception:
                logger.exception("Scheduler lease: could not renew; standing by if it lapses")
                self._last_try = started
                return self.held
            self._last_try = started
            if got:
                # Valid from when we asked, not from when the database answered.
                self._valid_until = started + self.ttl.total_seconds()
                self.expires_at = now + self.ttl
                if not was_held:
                    self.acquired_at = now
                    self._standby_logged = False
                    logger.info(
                        "Scheduler lease taken by %s (renewed every %ss, valid %ss)",
                        self.holder,
                        int(self.renew_every.total_seconds()),
                        int(self.ttl.total_seconds()),
                    )
                return True
            self._valid_until = None
            if was_held or not self._standby_logged:
                self._standby_logged = True
                holder, until = (row.holder, row.expires_at.isoformat()) if row else ("?", "?")
                logger.info("Scheduler on standby: the lease is held by %s until %s", holder, until)
            return False

    async def release(self) -> None:
        """At a clean shutdown: a standby process takes over at its next try."""
        async with self._lock:
            if self._valid_until is None:
                return
            self._valid_until = None
            try:
                async with self.session_factory() as session, session.begin():
                    await scheduler_lease.release(session, self.name, self.holder, self.clock())
            except Exception:
                logger.exception("Scheduler lease: could not release (it lapses by itself)")
                return
            logger.info("Scheduler lease released by %s", self.holder)

    async def current(self) -> scheduler_lease.LeaseRow | None:
        async with self.session_factory() as session:
            return await scheduler_lease.current(session, self.name)
