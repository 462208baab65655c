"""A local fake Bot API server over HTTP (aiohttp): answers getMe, hands out queued updates on
getUpdates and records every other call. Used to run the real ``python -m bot`` against a
custom TELEGRAM_API_URL, as big installations do with a local Bot API server."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from tests.mocked_bot import BOT_ID, BOT_USERNAME


class FakeBotApi:
    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.called = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._message_id = 500
        self.port = 0

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        assert isinstance(site._server, asyncio.Server)  # aiohttp keeps it private
        self.port = site._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{self.port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = dict(await request.post())
        if method == "getMe":
            result: Any = {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "DealBot",
                "username": BOT_USERNAME,
            }
        elif method == "getUpdates":
            offset = int(params.get("offset") or 0)
            pending = [u for u in self.updates if u["update_id"] >= offset]
            if not pending:
                await asyncio.sleep(0.2)
            result = pending
        elif method.startswith(("set", "delete")):
            self.calls.append((method, params))
            result = True
        else:
            self.calls.append((method, params))
            self.called.set()
            self._message_id += 1
            result = {
                "message_id": self._message_id,
                "date": 0,
                "chat": {"id": int(params.get("chat_id", 0)), "type": "private"},
                "text": params.get("text", ""),
            }
        return web.json_response({"ok": True, "result": result}, dumps=json.dumps)
