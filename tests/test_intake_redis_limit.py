"""With REDIS_URL the intake's rate limits are shared by the worker processes: two web
applications (two workers) over one Redis together let through one limit, not two. Without
Redis reachable, each counts locally. Runs with TEST_REDIS_URL (the CI's Redis run)."""

from __future__ import annotations

import pytest

from models import Deal
from models.roles import Role
from tests.conftest import TEST_REDIS_URL, App
from tests.intake_support import drain, make_form, web_client

needs_redis = pytest.mark.skipif(not TEST_REDIS_URL, reason="needs TEST_REDIS_URL")


@needs_redis
async def test_two_workers_share_one_limit_through_redis(app: App) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(TEST_REDIS_URL)
    await client.flushdb()
    await client.aclose()
    _client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    settings = {"redis_url": TEST_REDIS_URL, "intake_rate_per_address": 6}
    statuses = []
    async with web_client(app, **settings) as first, web_client(app, **settings) as second:
        for i in range(10):
            http = first if i % 2 else second
            response = await http.post(f"/intake/{token}", json={"email": f"c{i}@firm.ru"})
            statuses.append(response.status)
        await drain(first)
        await drain(second)
    assert statuses.count(201) == 6 and statuses.count(429) == 4
    assert await app.count(Deal) == 6


async def test_an_unreachable_redis_falls_back_to_the_local_count(app: App) -> None:
    _client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    settings = {"redis_url": "redis://127.0.0.1:1/0", "intake_rate_per_address": 3}
    async with web_client(app, **settings) as http:
        statuses = []
        for i in range(5):
            response = await http.post(f"/intake/{token}", json={"email": f"c{i}@firm.ru"})
            statuses.append(response.status)
        await drain(http)
    assert statuses == [201, 201, 201, 429, 429]
