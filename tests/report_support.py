"""The hand-built data set of the /report tests: two teams, ₽ and $, deals across September,
October, November and December 2026 (Moscow), stage moves, notes, plans, a deleted deal.
Today is Wednesday 02.12.2026, 12:00 in Moscow.

Team «Продажи» (lead Ольга Лидова; managers Иван Петров, Пётр Сидоров):

  N1 Иван, Avito, 03.11 10:00: →requirements 05.11 10:00, →proposal 10.11 10:00,
     →won 20.11 10:00 (100 000 ₽)
  N2 Иван, Avito, 04.11 10:00: →requirements 06.11 10:00, →won 16.11 10:00 (1 000 $)
  N3 Пётр, Cetera, 05.11 12:00: →requirements 07.11 12:00, →lost 09.11 «Дорого»
  N4 Пётр, Avito, 10.11 09:00: →lost 11.11 09:00 «Дорого»
  N5 Пётр, no source, 12.11 09:00: at contacts, no next step, the lead's note 13.11: stale
  N6 Иван, Cetera, 30.11 23:30: →proposal 01.12 10:00; next step 01.12: overdue now
  N8 Пётр, Cetera, 20.11 10:00: →paused 21.11 10:00 «Клиент в отпуске»
  N7 Иван, Avito, 01.12 00:30 (30.11 21:30 UTC: December in Moscow): open, next 10.12
  O1 Пётр, Avito, 15.10 10:00: →won 02.11 10:00 (50 000 ₽)
  S1 Иван, Cetera, 10.09 10:00: →lost 15.09 10:00 «Нет бюджета»
  X  Иван, no source, 15.11 10:00, a note and a move, then deleted: never counted

  Notes: Иван on N1 04.11 and 06.11, on N2 01.12; Пётр on N3 06.11; Ольга on N5 13.11.
  Plans for November: Иван 5 won / 1 500 000 ₽, Пётр 2 won.

Team «Север» (lead Борис Другой; manager Сергей Чужой): Z created 10.11 (Avito, 999 $),
won 12.11; a note 11.11.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update

from models import Deal, Source, User
from models.roles import Role
from tests.client import ChatClient
from tests.conftest import App
from tests.stats_support import add_plan, deal_at, delete_deal, make_team, move_at, msk, note_at

NOW = msk(2026, 12, 2, 12, 0)


@dataclass
class ReportData:
    lead_client: ChatClient
    lead: User
    team_id: int
    ivan_client: ChatClient
    ivan: User
    petr_client: ChatClient
    petr: User
    north_lead_client: ChatClient
    north_lead: User
    north_team_id: int
    sergey: User
    deals: dict[str, int]


async def _source(app: App, code: str) -> int:
    source_id = await app.scalar(select(Source.id).where(Source.code == code))
    assert source_id is not None
    return int(source_id)


async def build_reports(app: App) -> ReportData:
    lead_client, lead, team_id = await make_team(app)
    ivan_client, ivan = await app.add_user(Role.manager, name="Иван Петров", team_id=team_id)
    petr_client, petr = await app.add_user(Role.manager, name="Пётр Сидоров", team_id=team_id)
    north_client, north_lead, north_id = await make_team(app, "Север", lead_name="Борис Другой")
    _, sergey = await app.add_user(Role.manager, name="Сергей Чужой", team_id=north_id)
    avito, cetera = await _source(app, "avito"), await _source(app, "cetera")
    ids: dict[str, int] = {}

    async def deal(name: str, when: dt.datetime, owner: User, **kwargs: object) -> int:
        made = await deal_at(app, when, owner, name, **kwargs)
        ids[name] = made.id
        return made.id

    s1 = await deal("S1", msk(2026, 9, 10, 10), ivan, source_id=cetera)
    await move_at(app, msk(2026, 9, 15, 10), ivan, s1, "lost", reason="Нет бюджета")
    o1 = await deal("O1", msk(2026, 10, 15, 10), petr, source_id=avito, amount="50000")
    await move_at(app, msk(2026, 11, 2, 10), petr, o1, "won")
    n1 = await deal("N1", msk(2026, 11, 3, 10), ivan, source_id=avito, amount="100000")
    n2 = await deal(
        "N2", msk(2026, 11, 4, 10), ivan, source_id=avito, amount="1000", currency="USD"
    )
    await note_at(app, msk(2026, 11, 4, 15), ivan, n1)
    await move_at(app, msk(2026, 11, 5, 10), ivan, n1, "requirements")
    n3 = await deal("N3", msk(2026, 11, 5, 12), petr, source_id=cetera)
    await move_at(app, msk(2026, 11, 6, 10), ivan, n2, "requirements")
    await note_at(app, msk(2026, 11, 6, 11), ivan, n1)
    await note_at(app, msk(2026, 11, 6, 12), petr, n3)
    await move_at(app, msk(2026, 11, 7, 12), petr, n3, "requirements")
    await move_at(app, msk(2026, 11, 9, 12), petr, n3, "lost", reason="Дорого")
    n4 = await deal("N4", msk(2026, 11, 10, 9), petr, source_id=avito)
    await move_at(app, msk(2026, 11, 10, 10), ivan, n1, "proposal")
    z = await deal(
        "Z", msk(2026, 11, 10, 10), sergey, source_id=avito, amount="999", currency="USD"
    )
    await note_at(app, msk(2026, 11, 11, 8), sergey, z)
    await move_at(app, msk(2026, 11, 11, 9), petr, n4, "lost", reason="Дорого")
    await move_at(app, msk(2026, 11, 12, 8), sergey, z, "won")
    n5 = await deal("N5", msk(2026, 11, 12, 9), petr)
    await note_at(app, msk(2026, 11, 13, 9), lead, n5)
    gone = await deal("X", msk(2026, 11, 15, 10), ivan)
    await note_at(app, msk(2026, 11, 15, 11), ivan, gone)
    await move_at(app, msk(2026, 11, 15, 12), ivan, gone, "requirements")
    await delete_deal(app, gone)
    await move_at(app, msk(2026, 11, 16, 10), ivan, n2, "won")
    await move_at(app, msk(2026, 11, 20, 10), ivan, n1, "won")
    n8 = await deal("N8", msk(2026, 11, 20, 10), petr, source_id=cetera)
    await move_at(app, msk(2026, 11, 21, 10), petr, n8, "paused", reason="Клиент в отпуске")
    n6 = await deal("N6", msk(2026, 11, 30, 23, 30), ivan, source_id=cetera)
    await deal("N7", msk(2026, 12, 1, 0, 30), ivan, source_id=avito)
    await note_at(app, msk(2026, 12, 1, 9), ivan, n2)
    await move_at(app, msk(2026, 12, 1, 10), ivan, n6, "proposal")
    await add_plan(app, ivan, dt.date(2026, 11, 1), 5, "1500000")
    await add_plan(app, petr, dt.date(2026, 11, 1), 2)
    # The next steps as of today (set directly: the services refuse past dates).
    async with app.session_factory() as session, session.begin():
        for name, day in (
            ("N5", None),
            ("N6", dt.date(2026, 12, 1)),
            ("N7", dt.date(2026, 12, 10)),
        ):
            await session.execute(
                update(Deal).where(Deal.id == ids[name]).values(next_action_on=day)
            )
    app.clock.set(NOW)
    return ReportData(
        lead_client, lead, team_id, ivan_client, ivan, petr_client, petr, north_client,
        north_lead, north_id, sergey, ids,
    )  # fmt: skip
