"""Test data made through the real services (not raw rows), so invariants hold."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from sqlalchemy import select

from models import Deal, Stage, User
from models.contacts import parse_contact
from models.services.deals import DealDraft
from tests.conftest import App


async def make_deal(
    app: App,
    owner: User,
    client: str | None = "ООО Ромашка",
    *,
    contacts: tuple[str, ...] = (),
    next_action_on: dt.date | None = None,
    next_action_time: dt.time | None = None,
    amount: str | None = None,
    stage_code: str | None = None,
    **fields: Any,
) -> Deal:
    async with app.session_factory() as session, session.begin():
        crm = app.crm(session)
        actor = await session.get(User, owner.id)
        assert actor is not None
        draft = DealDraft(
            client_name=client,
            contacts=[parse_contact(c) for c in contacts],
            amount=decimal.Decimal(amount) if amount else None,
            **fields,
        )
        deal = await crm.deals.create(actor, draft)
        # Past dates are refused by the service; tests need overdue deals, so set directly.
        crm.deals.apply_next_action(deal, next_action_on, next_action_time, actor)
        if stage_code is not None:
            stage = await session.scalar(select(Stage).where(Stage.code == stage_code))
            assert stage is not None
            deal.stage_id, deal.status = stage.id, stage.kind
        await session.flush()
        return deal
