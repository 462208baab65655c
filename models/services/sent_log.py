"""The sent-log of proactive messages (``SentNotification``): a key is claimed at its send
slot, marked handed just before the call to Telegram, confirmed when Telegram accepted it,
released when it was not delivered; after a crash, claims never handed over are released and
those handed but unconfirmed are reported once. Services never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..clock import Clock
from ..notifications import SentNotification
from ..sql import AnySelect, affected_rows, dialect_insert

# Keys or owners per IN (...) list: far below every driver's bound-parameter limit.
BATCH = 500


def existing_keys_stmt(keys: Sequence[str]) -> AnySelect:
    return select(SentNotification.key).where(SentNotification.key.in_(keys))


def _pending(keys: Sequence[str]) -> ColumnElement[bool]:
    """Claimed rows of ``keys`` still waiting for their outcome."""
    return and_(
        SentNotification.key.in_(keys),
        SentNotification.sent_at.is_(None),
        SentNotification.reported_at.is_(None),
    )


def chunks(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SentLog:
    def __init__(self, session: AsyncSession, clock: Clock):
        self.session = session
        self.clock = clock

    # -- the sent-log ---------------------------------------------------------------------------
    async def claim(
        self, keys: Sequence[str], user_id: int | None, *, handed: bool = False
    ) -> bool:
        """Record ``keys`` as being sent, all or none. False when any is taken already (another
        scan, another process, or an earlier run claimed it): then nothing must be sent.
        ``handed``: the message goes to Telegram right after this transaction (the sender
        claims at its send slot), so the row says so from the start."""
        now = self.clock()
        handed_at = now if handed else None
        rows = [
            {"key": k, "user_id": user_id, "created_at": now, "handed_at": handed_at} for k in keys
        ]
        try:
            async with self.session.begin_nested():
                # One executemany: the ORM would send a statement per key (an escalation can
                # claim thousands: 41 s -> 7 s for the first run at 1M deals).
                await self.session.execute(insert(SentNotification), rows)
        except IntegrityError:
            return False
        return True

    async def claim_each(
        self, rows: Sequence[tuple[str, int | None]], *, handed: bool = True
    ) -> set[str]:
        """Claim each (key, user id) on its own, in one statement: the keys of a batch of
        independent messages; returns those claimed now (the others were taken already:
        nothing must be sent for them)."""
        if not rows:
            return set()
        now = self.clock()
        handed_at = now if handed else None
        values = [
            {"key": k, "user_id": u, "created_at": now, "handed_at": handed_at} for k, u in rows
        ]
        dialect = self.session.get_bind().dialect.name
        upsert = dialect_insert(dialect, SentNotification)
        if upsert is None:  # other databases: one savepoint per key
            claimed = set()
            for key, user_id in rows:
                if await self.claim([key], user_id, handed=handed):
                    claimed.add(key)
            return claimed
        stmt = upsert.on_conflict_do_nothing(index_elements=["key"]).returning(SentNotification.key)
        claimed = set()
        for part in chunks(values):
            claimed.update(await self.session.scalars(stmt.values(list(part))))
        return claimed

    async def hand(self, keys: Sequence[str]) -> bool:
        """The claimed ``keys`` go to Telegram now. False when a claim is gone (released at a
        start-up meanwhile): then this sender must not send, the next scan will."""
        result = await self.session.execute(
            update(SentNotification)
            .where(_pending(keys))
            .values(handed_at=self.clock())
            .execution_options(synchronize_session=False)
        )
        return affected_rows(result) == len(set(keys))

    async def unhand(self, keys: Sequence[str]) -> None:
        """Telegram refused the message for now (429): it was certainly not delivered."""
        await self.session.execute(
            update(SentNotification)
            .where(_pending(keys))
            .values(handed_at=None)
            .execution_options(synchronize_session=False)
        )

    async def confirm(self, keys: Sequence[str]) -> None:
        """Telegram accepted the message."""
        await self.session.execute(
            update(SentNotification)
            .where(SentNotification.key.in_(keys))
            .values(sent_at=self.clock())
        )

    async def release(self, keys: Sequence[str]) -> None:
        """The message was not delivered: free the keys so a later scan tries again."""
        await self.session.execute(delete(SentNotification).where(_pending(keys)))

    async def recover_claims(self) -> tuple[int, list[str]]:
        """At start-up, before this process sends anything: claims never handed to Telegram
        (a crash while they waited) are released, so the scan sends them; claims handed but
        never confirmed (a kill -9 while the request was in flight) may or may not have been
        delivered: they are marked reported (never sent, never reported again) and returned.
        Returns (released count, keys of the possibly undelivered)."""
        unconfirmed = (
            SentNotification.sent_at.is_(None),
            SentNotification.reported_at.is_(None),
        )
        released = await self.session.execute(
            delete(SentNotification).where(SentNotification.handed_at.is_(None), *unconfirmed)
        )
        lost = list(
            await self.session.scalars(
                select(SentNotification.key)
                .where(SentNotification.handed_at.is_not(None), *unconfirmed)
                .order_by(SentNotification.id)
            )
        )
        if lost:
            await self.session.execute(
                update(SentNotification)
                .where(SentNotification.handed_at.is_not(None), *unconfirmed)
                .values(reported_at=self.clock())
                .execution_options(synchronize_session=False)
            )
        return affected_rows(released), lost

    async def mark_decided(self, rows: Sequence[tuple[str, int]]) -> None:
        """Record (key, user id) decisions with nothing to send; keys taken already are fine."""
        if not rows:
            return
        now = self.clock()
        values = [{"key": k, "user_id": u, "created_at": now, "sent_at": now} for k, u in rows]
        dialect = self.session.get_bind().dialect.name
        upsert = dialect_insert(dialect, SentNotification)
        if upsert is not None:
            stmt = upsert.on_conflict_do_nothing(index_elements=["key"])
            for part in chunks(values):
                await self.session.execute(stmt, list(part))
            return
        for value in values:  # other databases: one savepoint per row
            try:
                async with self.session.begin_nested():
                    await self.session.execute(insert(SentNotification).values(**value))
            except IntegrityError:
                pass

    async def prune_sent(self, before: dt.datetime, limit: int = 5000) -> int:
        """Forget up to ``limit`` sent-log rows created before ``before``; returns how many.
        Old keys guard nothing any more: daily keys name their day, reminders older than two
        hours are stale, and an escalation key lives as long as the prune horizon."""
        oldest = (
            select(SentNotification.id)
            .where(SentNotification.created_at < before)
            .order_by(SentNotification.id)
            .limit(limit)
        )
        result = await self.session.execute(
            delete(SentNotification).where(SentNotification.id.in_(oldest))
        )
        return affected_rows(result)

    async def existing_keys(self, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for part in chunks(list(keys)):
            found.update(await self.session.scalars(existing_keys_stmt(part)))
        return found
