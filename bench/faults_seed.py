"""Seeds the database of one fault scenario (bench/faults.py) through the CRM's own services,
in a process of its own (the bot is not running yet)::

    python -m bench.faults_seed DATABASE_URL SPEC_JSON

SPEC_JSON: ``{"admin": <telegram id>, "managers": N, "first_telegram_id": 20001,
"deals_each": 1, "due_in_days": 5, "timezone": "Etc/GMT-3", "digest_time": "00:00"}``.
An admin is bootstrapped; each manager joins by an invite the admin made (as a person does),
gets the time zone, all seven work days, the digest time, and ``deals_each`` deals with the
next step ``due_in_days`` days after their local today (0: due today, in the digest).
Prints ``{"managers": [{"telegram_id": ..., "user_id": ..., "deals": [...]}], "today": ...}``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
from typing import Any
from zoneinfo import ZoneInfo

from models.crm import Crm, CrmConfig
from models.db import create_engine, create_session_factory
from models.roles import Role
from models.services.accounts import Profile
from models.services.deals import DealDraft
from models.services.preferences import Preferences


async def seed(url: str, spec: dict[str, Any]) -> dict[str, Any]:
    engine = create_engine(url)
    zone = spec.get("timezone", "UTC")
    today = dt.datetime.now(ZoneInfo(zone)).date()
    due = today + dt.timedelta(days=int(spec.get("due_in_days", 5)))
    digest_time = dt.time.fromisoformat(spec.get("digest_time", "09:00"))
    first = int(spec.get("first_telegram_id", 20001))
    out: list[dict[str, Any]] = []
    try:
        async with create_session_factory(engine)() as session, session.begin():
            crm = Crm(session, CrmConfig(timezone=zone))
            prefs = Preferences(crm)
            admin = await crm.accounts.bootstrap_admin(Profile(int(spec["admin"]), "Admin"))
            for n in range(int(spec["managers"])):
                invite = await crm.accounts.create_invite(
                    admin, Role.manager, ttl=dt.timedelta(hours=1)
                )
                profile = Profile(first + n, f"Manager {n + 1}")
                user = await crm.accounts.redeem_invite(invite.code, profile, "ru")
                await prefs.set_timezone(user, zone)
                await prefs.set_work_days(user, set(range(1, 8)))
                await prefs.set_digest_time(user, digest_time)
                deals = []
                for k in range(int(spec.get("deals_each", 1))):
                    deal = await crm.deals.create(
                        user, DealDraft(client_name=f"Client {n + 1}-{k + 1}")
                    )
                    crm.deals.apply_next_action(deal, due, None, user)
                    deals.append(deal)
                await session.flush()
                out.append(
                    {
                        "telegram_id": user.telegram_id,
                        "user_id": user.id,
                        "deals": [d.id for d in deals],
                    }
                )
    finally:
        await engine.dispose()
    return {"managers": out, "today": today.isoformat()}


def main() -> None:
    url, spec_path = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    print(json.dumps(asyncio.run(seed(url, spec))))


if __name__ == "__main__":
    main()
