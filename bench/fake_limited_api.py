"""A fake Telegram Bot API over HTTP that enforces Telegram's flood limits, for the delivery
benchmark (bench/scheduler_bench.py).

* ``sendMessage`` is accepted unless it would make more than ``overall`` (30) messages in any
  sliding second overall, or come less than ``per_chat`` (1 s) after the last accepted
  message to the same chat. Then it answers HTTP 429 the way Telegram does::

      {"ok": false, "error_code": 429, "description": "Too Many Requests: retry after N",
       "parameters": {"retry_after": N}}

* every request takes ``latency`` (20 ms) before its answer, as a network would; the limits
  are judged when the request arrives;
* ``getMe`` answers the bot; ``GET /stats`` returns the counters as JSON, ``GET /arrivals``
  the chat and arrival time (``time.monotonic()``) of every accepted message, ``POST /reset`` zeroes
  them (all outside the Bot API path, so the bot never hits them);
* a text over 4096 characters or a keyboard over 100 buttons / callback data over 64 bytes is
  a 400, counted as ``bad_requests`` (the benchmark expects none).

Run it in its own process so the sender's process is measured alone::

    python -m bench.fake_limited_api [--port 0] [--latency-ms 20] [--overall 30]

prints ``LISTENING http://127.0.0.1:<port>`` on stdout once it accepts connections and
serves until SIGTERM / SIGINT or until its stdin is closed (its parent died).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import web

BOT = {"id": 4242, "is_bot": True, "first_name": "DealBot", "username": "dealbot_bench_bot"}
MAX_TEXT = 4096
MAX_BUTTONS = 100
MAX_CALLBACK_BYTES = 64


@dataclass
class Stats:
    requests: int = 0
    accepted: int = 0
    rejected_overall: int = 0  # 429: more than `overall` messages in a sliding second
    rejected_chat: int = 0  # 429: a second message to one chat within `per_chat`
    bad_requests: int = 0
    first_bad: str = ""
    chats: int = 0  # distinct chats that got a message
    peak_per_second: int = 0  # most accepted messages seen in one sliding second
    peak_at: float | None = None  # when that busiest second ended (server monotonic)
    at_limit: int = 0  # accepted messages that filled a sliding second to the limit
    min_chat_gap: float | None = None  # shortest gap between two messages to one chat
    first_at: float | None = None  # server monotonic time of the first / last accepted
    last_at: float | None = None

    @property
    def too_many(self) -> int:
        return self.rejected_overall + self.rejected_chat


class LimitedBotApi:
    def __init__(self, *, overall: int = 30, per_chat: float = 1.0, latency: float = 0.020) -> None:
        self.overall = overall
        self.per_chat = per_chat
        self.latency = latency
        self.stats = Stats()
        self._window: deque[float] = deque()  # arrival times of accepted messages, last 1 s
        self._last_in_chat: dict[int, float] = {}
        self._message_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        # (chat id, arrival) of every accepted message (GET /arrivals)
        self.arrivals: list[tuple[int, float]] = []

    # -- life cycle -----------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_get("/stats", self._stats)
        app.router.add_get("/arrivals", self._arrivals)
        app.router.add_post("/reset", self._reset)
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://{host}:{bound}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def reset(self) -> None:
        self.stats = Stats()
        self._window.clear()
        self._last_in_chat.clear()
        self.arrivals.clear()

    def snapshot(self) -> dict[str, Any]:
        return {**asdict(self.stats), "too_many": self.stats.too_many}

    # -- the limits -----------------------------------------------------------------------------
    def judge(self, chat_id: int, now: float) -> int | None:
        """None when a message to ``chat_id`` arriving at ``now`` is within the limits
        (and then it counts), else the ``retry_after`` seconds to answer."""
        window = self._window
        while window and window[0] <= now - 1.0:
            window.popleft()
        last = self._last_in_chat.get(chat_id)
        if last is not None and now - last < self.per_chat:
            self.stats.rejected_chat += 1
            return max(1, math.ceil(last + self.per_chat - now))
        if len(window) >= self.overall:
            self.stats.rejected_overall += 1
            return max(1, math.ceil(window[0] + 1.0 - now))
        window.append(now)
        stats = self.stats
        if last is None:
            stats.chats += 1
        else:
            gap = now - last
            stats.min_chat_gap = gap if stats.min_chat_gap is None else min(stats.min_chat_gap, gap)
        self._last_in_chat[chat_id] = now
        stats.accepted += 1
        self.arrivals.append((chat_id, now))
        if len(window) > stats.peak_per_second:
            stats.peak_per_second, stats.peak_at = len(window), now
        stats.at_limit += len(window) >= self.overall
        stats.first_at = now if stats.first_at is None else stats.first_at
        stats.last_at = now
        return None

    # -- HTTP -----------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        self.stats.requests += 1
        method = request.match_info["method"].lower()
        params = await _params(request)
        if method == "getme":
            body: dict[str, Any] = {"ok": True, "result": BOT}
        elif method == "sendmessage":
            body = self._send_message(params, arrived)
        else:
            body = _error(400, f"Bad Request: the fake does not answer {method}")
            self._bad(body["description"])
        # The answer leaves `latency` after the request arrived (parsing included).
        await asyncio.sleep(max(0.0, arrived + self.latency - time.monotonic()))
        status = 200 if body["ok"] else body["error_code"]
        return web.json_response(body, status=status, dumps=json.dumps)

    def _send_message(self, params: dict[str, Any], arrived: float) -> dict[str, Any]:
        try:
            chat_id = int(params["chat_id"])
            text = str(params["text"])
        except (KeyError, ValueError):
            self._bad("no chat_id or text")
            return _error(400, "Bad Request: chat_id and text are required")
        problem = _check_message(text, params.get("reply_markup"))
        if problem:
            self._bad(problem)
            return _error(400, f"Bad Request: {problem}")
        retry_after = self.judge(chat_id, arrived)
        if retry_after is not None:
            return {
                **_error(429, f"Too Many Requests: retry after {retry_after}"),
                "parameters": {"retry_after": retry_after},
            }
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT,
            "text": text[:50],  # the bot never reads it back
        }
        return {"ok": True, "result": message}

    def _bad(self, problem: str) -> None:
        self.stats.bad_requests += 1
        self.stats.first_bad = self.stats.first_bad or problem

    async def _stats(self, _request: web.Request) -> web.Response:
        return web.json_response(self.snapshot())

    async def _arrivals(self, _request: web.Request) -> web.Response:
        return web.json_response(self.arrivals)

    async def _reset(self, _request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"ok": True})


async def _params(request: web.Request) -> dict[str, Any]:
    """aiogram posts form data (urlencoded, multipart with files); JSON is accepted too."""
    if request.content_type == "application/json":
        data: dict[str, Any] = await request.json()
        return data
    return dict(await request.post())


def _error(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}


def _check_message(text: str, markup: Any) -> str | None:
    if not text.strip():
        return "message text is empty"
    if len(text) > MAX_TEXT:
        return f"message is too long ({len(text)} characters)"
    if not markup:
        return None
    keyboard = json.loads(markup) if isinstance(markup, str) else markup
    buttons = [b for row in keyboard.get("inline_keyboard", []) for b in row]
    if len(buttons) > MAX_BUTTONS:
        return f"too many buttons ({len(buttons)})"
    for button in buttons:
        if len(button.get("callback_data", "").encode()) > MAX_CALLBACK_BYTES:
            return "BUTTON_DATA_INVALID"
    return None


# -- a process of its own -------------------------------------------------------------------------
async def serve(args: argparse.Namespace) -> None:
    api = LimitedBotApi(overall=args.overall, per_chat=args.per_chat, latency=args.latency_ms / 1e3)
    url = await api.start(port=args.port)
    print(f"LISTENING {url}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)

    # The parent holds our stdin: end of file means it is gone (a daemon thread: it must
    # not keep the process alive after a signal).
    def watch_stdin() -> None:
        sys.stdin.read()
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch_stdin, daemon=True).start()
    try:
        await stop.wait()
    finally:
        await api.stop()
    print(json.dumps(api.snapshot()), flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fake_limited_api")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--overall", type=int, default=30, help="messages per sliding second")
    parser.add_argument("--per-chat", type=float, default=1.0, help="seconds between two messages")
    asyncio.run(serve(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
