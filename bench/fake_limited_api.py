"""A fake Telegram Bot API over HTTP that enforces Telegram's flood limits, for the delivery
benchmark (bench/scheduler_bench.py) and the fault script (bench/faults.py, which runs real
``python -m bot`` processes against it).

* a sending method (``sendMessage``, ``sendPhoto``, ``sendDocument``, ``editMessageText``,
  ``editMessageReplyMarkup``) is accepted unless it would make more than ``overall`` (30)
  messages in any sliding second overall, or come less than ``per_chat`` (1 s) after the last
  accepted message to the same chat. Then it answers HTTP 429 the way Telegram does::

      {"ok": false, "error_code": 429, "description": "Too Many Requests: retry after N",
       "parameters": {"retry_after": N}}

* every request takes ``latency`` (20 ms) before its answer, as a network would; the limits
  are judged when the request arrives;
* ``--no-limits`` (or ``POST /limits {"on": false}``) accepts every message; ``POST /flood
  {"seconds": N, "retry_after": R}`` answers 429 ``retry_after=R`` to every sending method for
  the next N seconds (Telegram's flood wait), whatever the limits;
* ``getUpdates`` works as Telegram's (offsets, redelivery of what was not confirmed, long
  poll, 409 Conflict for a second poller: bench/fake_updates.py); ``POST /inject`` queues
  updates (a JSON list of update objects or specs ``{"from": <user id>, "text": "..."}``; the
  server assigns the update_ids and answers them), ``GET /updates`` the queue's counters;
* ``GET /sent?since=N`` every accepted message from the N-th on (chat id, method, text or
  caption, whether it had a keyboard, ``time.time()``);
* ``getMe`` answers the bot; ``deleteWebhook``, ``setMyCommands``, ``answerCallbackQuery``,
  ``deleteMessage`` and a few more answer True as Telegram does;
* ``GET /stats`` returns the counters as JSON, ``GET /arrivals`` the chat and arrival time
  (``time.monotonic()``) of every accepted message, ``POST /reset`` zeroes them and clears
  the update queue and ``/sent`` (all outside the Bot API path, so the bot never hits them);
* a text over 4096 characters or a keyboard over 100 buttons / callback data over 64 bytes is
  a 400, counted as ``bad_requests`` (the benchmark expects none).

Run it in its own process so the sender's process is measured alone::

    python -m bench.fake_limited_api [--port 0] [--latency-ms 20] [--overall 30] [--no-limits]

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

from bench.fake_updates import CONFLICT, Conflict, UpdateFactory, UpdateQueue

BOT = {"id": 4242, "is_bot": True, "first_name": "DealBot", "username": "dealbot_bench_bot"}
MAX_TEXT = 4096
MAX_BUTTONS = 100
MAX_CALLBACK_BYTES = 64
# Methods that put a message into a chat: the flood limits and the flood switch apply.
SENDING = {
    "sendmessage": "sendMessage",
    "sendphoto": "sendPhoto",
    "senddocument": "sendDocument",
    "editmessagetext": "editMessageText",
    "editmessagereplymarkup": "editMessageReplyMarkup",
    "editmessagecaption": "editMessageCaption",
}
# Methods answered with plain True.
TRUE_METHODS = {
    "deletewebhook",
    "setwebhook",  # webhook mode (python -m bot with WEBHOOK_URL) sets it at start
    "setmycommands",
    "deletemycommands",
    "answercallbackquery",
    "deletemessage",
    "sendchataction",
    "setchatmenubutton",
    "close",
    "logout",
}


@dataclass
class Stats:
    requests: int = 0
    accepted: int = 0
    rejected_overall: int = 0  # 429: more than `overall` messages in a sliding second
    rejected_chat: int = 0  # 429: a second message to one chat within `per_chat`
    rejected_flood: int = 0  # 429: inside a POST /flood window
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
        return self.rejected_overall + self.rejected_chat + self.rejected_flood


class LimitedBotApi:
    def __init__(
        self,
        *,
        overall: int = 30,
        per_chat: float = 1.0,
        latency: float = 0.020,
        limits: bool = True,
    ) -> None:
        self.overall = overall
        self.per_chat = per_chat
        self.latency = latency
        self.limits = limits  # False: every message is accepted (the counters still run)
        self.flood_until = 0.0  # monotonic end of a POST /flood window
        self.flood_retry_after = 0
        self.stats = Stats()
        self._window: deque[float] = deque()  # arrival times of accepted messages, last 1 s
        self._last_in_chat: dict[int, float] = {}
        self._message_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        # (chat id, arrival) of every accepted message (GET /arrivals)
        self.arrivals: list[tuple[int, float]] = []
        self.updates = UpdateQueue()
        self._factory = UpdateFactory(self._message_ids)
        self.sent: list[dict[str, Any]] = []  # every accepted message (GET /sent)

    # -- life cycle -----------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_get("/stats", self._stats)
        app.router.add_get("/arrivals", self._arrivals)
        app.router.add_post("/reset", self._reset)
        app.router.add_post("/inject", self._inject)
        app.router.add_get("/updates", self._updates_status)
        app.router.add_get("/sent", self._sent)
        app.router.add_post("/flood", self._flood)
        app.router.add_post("/limits", self._limits)
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
        self.sent.clear()
        self.updates.clear()
        self.flood_until = 0.0

    def snapshot(self) -> dict[str, Any]:
        return {**asdict(self.stats), "too_many": self.stats.too_many}

    # -- the limits -----------------------------------------------------------------------------
    def judge(self, chat_id: int, now: float) -> int | None:
        """None when a message to ``chat_id`` arriving at ``now`` is within the limits
        (and then it counts), else the ``retry_after`` seconds to answer."""
        window = self._window
        while window and window[0] <= now - 1.0:
            window.popleft()
        if now < self.flood_until:
            self.stats.rejected_flood += 1
            return self.flood_retry_after
        last = self._last_in_chat.get(chat_id)
        if self.limits and last is not None and now - last < self.per_chat:
            self.stats.rejected_chat += 1
            return max(1, math.ceil(last + self.per_chat - now))
        if self.limits and len(window) >= self.overall:
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
        body: dict[str, Any]
        if method == "getupdates":
            body = await self._get_updates(request, params)
        elif method == "getme":
            body = {"ok": True, "result": BOT}
        elif method in SENDING:
            body = self._send(SENDING[method], params, arrived)
        elif method in TRUE_METHODS:
            body = {"ok": True, "result": True}
        elif method == "getwebhookinfo":
            body = {"ok": True, "result": {"url": "", "pending_update_count": 0}}
        else:
            body = _error(400, f"Bad Request: the fake does not answer {method}")
            self._bad(body["description"])
        # The answer leaves `latency` after the request arrived (parsing included).
        await asyncio.sleep(max(0.0, arrived + self.latency - time.monotonic()))
        status = 200 if body["ok"] else body["error_code"]
        return web.json_response(body, status=status, dumps=json.dumps)

    async def _get_updates(self, request: web.Request, params: dict[str, Any]) -> dict[str, Any]:
        allowed = params.get("allowed_updates")
        if isinstance(allowed, str):
            allowed = json.loads(allowed) if allowed.strip() else None
        try:
            updates = await self.updates.get(
                _int(params.get("offset")),
                _int(params.get("limit")) or 100,
                float(params.get("timeout") or 0),
                allowed or None,
            )
        except Conflict:
            gone = request.transport is None or request.transport.is_closing()
            if gone:
                self.updates.stats.conflicts_orphaned += 1
            else:
                self.updates.stats.conflicts += 1
            return _error(409, CONFLICT)
        return {"ok": True, "result": updates}

    def _send(self, method: str, params: dict[str, Any], arrived: float) -> dict[str, Any]:
        """A sending method: checked, judged against the limits, recorded, answered."""
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, ValueError):
            if "inline_message_id" in params:
                return {"ok": True, "result": True}
            self._bad("no chat_id")
            return _error(400, "Bad Request: chat_id is required")
        text = params.get("text")
        if method in ("sendMessage", "editMessageText"):
            if text is None:
                self._bad("no text")
                return _error(400, "Bad Request: chat_id and text are required")
            problem = _check_message(str(text), params.get("reply_markup"))
        else:
            problem = _check_markup(params.get("reply_markup"))
        if problem:
            self._bad(problem)
            return _error(400, f"Bad Request: {problem}")
        retry_after = self.judge(chat_id, arrived)
        if retry_after is not None:
            return {
                **_error(429, f"Too Many Requests: retry after {retry_after}"),
                "parameters": {"retry_after": retry_after},
            }
        editing = method.startswith("edit")
        message_id = _int(params.get("message_id")) if editing else None
        message_id = message_id or next(self._message_ids)
        shown = str(text if text is not None else params.get("caption") or "")
        self.sent.append(
            {
                "chat_id": chat_id,
                "method": method,
                "message_id": message_id,
                "text": shown,
                "markup": bool(params.get("reply_markup")),
                "time": time.time(),
            }
        )
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT,
        }
        if editing:
            message["edit_date"] = int(time.time())
        if method == "sendPhoto":
            message["photo"] = [
                {
                    "file_id": f"photo{message_id}",
                    "file_unique_id": f"p{message_id}",
                    "width": 800,
                    "height": 600,
                }
            ]
            message["caption"] = shown
        elif method == "sendDocument":
            message["document"] = {
                "file_id": f"doc{message_id}",
                "file_unique_id": f"d{message_id}",
            }
            message["caption"] = shown
        else:
            message["text"] = shown
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

    async def _inject(self, request: web.Request) -> web.Response:
        items = await request.json()
        if isinstance(items, dict):
            items = [items]
        ids = self.updates.add([self._factory.build(item) for item in items])
        return web.json_response({"ok": True, "update_ids": ids})

    async def _updates_status(self, _request: web.Request) -> web.Response:
        return web.json_response(self.updates.status())

    async def _sent(self, request: web.Request) -> web.Response:
        since = int(request.query.get("since", "0"))
        return web.json_response(self.sent[since:])

    async def _flood(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.flood_until = time.monotonic() + float(body.get("seconds", 0))
        self.flood_retry_after = max(1, int(body.get("retry_after", 1)))
        return web.json_response({"ok": True})

    async def _limits(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.limits = bool(body.get("on", True))
        self.overall = int(body.get("overall", self.overall))
        self.per_chat = float(body.get("per_chat", self.per_chat))
        return web.json_response({"ok": True, "limits": self.limits})


async def _params(request: web.Request) -> dict[str, Any]:
    """aiogram posts form data (urlencoded, multipart with files); JSON is accepted too."""
    if request.content_type == "application/json":
        data: dict[str, Any] = await request.json()
        return data
    return dict(await request.post())


def _error(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _check_message(text: str, markup: Any) -> str | None:
    if not text.strip():
        return "message text is empty"
    if len(text) > MAX_TEXT:
        return f"message is too long ({len(text)} characters)"
    return _check_markup(markup)


def _check_markup(markup: Any) -> str | None:
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
    api = LimitedBotApi(
        overall=args.overall,
        per_chat=args.per_chat,
        latency=args.latency_ms / 1e3,
        limits=not args.no_limits,
    )
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
    parser.add_argument(
        "--no-limits", action="store_true", help="accept every message (POST /limits switches)"
    )
    asyncio.run(serve(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
