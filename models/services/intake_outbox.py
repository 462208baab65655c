"""The intake's outbox (``IntakeOutbox``): each accepted request leaves a row, in its own
transaction, for the messages it owes (a new request's Claim message, a known contact's
owner told); the delivery (bot.intake_outbox) reads a batch, sends, and deletes the rows in
the transaction that confirms the messages in the sent-log. What the message shows travels
in the row (JSON), so sending reads nothing back but whom to tell. Services never commit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..deals import Deal
from ..intake import IntakeKind, IntakeOutbox, IntakePost
from ..users import User
from .intake import RequestView

BATCH = 100  # rows one drain takes


@dataclass(frozen=True)
class Queued:
    outbox_id: int
    kind: IntakeKind
    view: RequestView
    message: str | None  # a known contact's message, for its owner


def _payload(kind: IntakeKind, view: RequestView, message: str | None) -> str:
    return json.dumps(
        {"kind": kind.value, "view": dataclasses.asdict(view), "message": message},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _queued(outbox_id: int, payload: str) -> Queued:
    data = json.loads(payload)
    return Queued(outbox_id, IntakeKind(data["kind"]), RequestView(**data["view"]), data["message"])


class IntakeOutboxes:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def queue(
        self, kind: IntakeKind, view: RequestView, message: str | None, now: dt.datetime
    ) -> None:
        await self.session.execute(
            insert(IntakeOutbox).values(
                request_id=view.request_id, payload=_payload(kind, view, message), created_at=now
            )
        )

    async def pending(self, limit: int = BATCH) -> list[Queued]:
        rows = await self.session.execute(
            select(IntakeOutbox.id, IntakeOutbox.payload).order_by(IntakeOutbox.id).limit(limit)
        )
        return [_queued(outbox_id, payload) for outbox_id, payload in rows]

    async def done(self, ids: Sequence[int]) -> None:
        if ids:
            await self.session.execute(delete(IntakeOutbox).where(IntakeOutbox.id.in_(list(ids))))

    async def owners(self, deal_ids: Sequence[int]) -> dict[int, tuple[str, User]]:
        """deal id -> (its title, its owner), for the known contacts of a batch."""
        if not deal_ids:
            return {}
        rows = await self.session.execute(
            select(Deal.id, Deal.title, User)
            .join(User, User.id == Deal.owner_id)
            .where(Deal.id.in_(list(deal_ids)))
        )
        return {deal_id: (title, owner) for deal_id, title, owner in rows}

    async def remember_posts(self, posts: Sequence[tuple[int, int, int]]) -> None:
        """(request id, chat id, message id) of Claim messages sent: a claim edits them."""
        if posts:
            await self.session.execute(
                insert(IntakePost),
                [{"request_id": r, "chat_id": c, "message_id": m} for r, c, m in posts],
            )
