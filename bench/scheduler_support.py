"""Small pieces shared by bench/scheduler_bench.py and bench/scheduler_delivery.py: the
injected clock, a Bot API that answers at once, log counting, memory and loop-lag probes."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import logging
import math
import resource
import statistics
import sys
import time
from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.methods import SendMessage, TelegramMethod

TOKEN = "4242:BENCH-token-abcdefghijklmnopqrstuvwxyz"


class BenchClock:
    """The CRM's clock, set by the benchmark (APScheduler is not involved)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


class NullSession(BaseSession):
    """A Bot API that answers at once and keeps only what the benchmark prints: the
    messages' sizes (a digest must fit Telegram's limits)."""

    def __init__(self) -> None:
        super().__init__()
        self.reset()

    def reset(self) -> None:
        self.messages = 0
        self.text_chars = 0
        self.longest = 0
        self.most_buttons = 0

    async def close(self) -> None:
        pass

    async def stream_content(self, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        yield b""

    async def make_request(
        self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None
    ) -> Any:
        if isinstance(method, SendMessage):
            self.messages += 1
            self.text_chars += len(method.text)
            self.longest = max(self.longest, len(method.text))
            rows = getattr(method.reply_markup, "inline_keyboard", None) or []
            self.most_buttons = max(self.most_buttons, sum(len(r) for r in rows))
        return True


def null_bot() -> tuple[Bot, NullSession]:
    """Configured as bot.app.create_bot does, over the instant session."""
    session = NullSession()
    bot = Bot(
        TOKEN,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
    return bot, session


class LogCounter(logging.Handler):
    """Collects what the scheduler and the sender log (a failing stage is only a log line)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def take(self, level: int = logging.WARNING) -> list[logging.LogRecord]:
        found = [r for r in self.records if r.levelno >= level]
        self.records = []
        return found


def configure_logging() -> LogCounter:
    """WARNING and up on stderr (the first 20), INFO of the sender and scheduler counted."""
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    shown = [0]

    def first_twenty(_record: logging.LogRecord) -> bool:
        shown[0] += 1
        return shown[0] <= 20

    console.addFilter(first_twenty)
    counter = LogCounter()
    root = logging.getLogger()
    root.setLevel(logging.WARNING)
    root.addHandler(console)
    root.addHandler(counter)
    for name in ("bot.sender", "scheduler"):
        logging.getLogger(name).setLevel(logging.INFO)
    return counter


def rss_mb() -> float:
    """The resident set now (ru_maxrss is the peak of the process's whole life)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def verdict(met: bool, target: str) -> str:
    return f"MET ({target})" if met else f"MISSED ({target})"


class LoopLag:
    """How late a 10 ms timer fires on the event loop: how long the bot's updates would
    wait behind the scheduler's work in the same process."""

    def __init__(self, interval: float = 0.010) -> None:
        self.interval = interval
        self.samples: list[float] = []
        self.worst_at = 0.0  # time.monotonic() when the longest stall ended
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        worst = 0.0
        while True:
            started = time.monotonic()
            await asyncio.sleep(self.interval)
            ended = time.monotonic()
            late = ended - started - self.interval
            self.samples.append(late)
            if late > worst:
                worst, self.worst_at = late, ended

    async def stop(self) -> str:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if not self.samples:
            return "no samples"
        ordered = sorted(self.samples)
        p99 = ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]
        return (
            f"median {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms,"
            f" max {ordered[-1] * 1000:.0f} ms"
        )


class GcWatch:
    """Python's garbage-collector pauses while the block runs: a full (generation 2)
    collection walks every object of the process and stops the event loop meanwhile."""

    def __init__(self) -> None:
        self.pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self._started = 0.0

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses[info["generation"]].append(time.perf_counter() - self._started)

    def __enter__(self) -> GcWatch:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def line(self) -> str:
        full = self.pauses[2]
        young = self.pauses[0] + self.pauses[1]
        longest = max(full, default=0.0) * 1000
        return (
            f"GC: {len(full)} full collection(s), longest {longest:.0f} ms;"
            f" {len(young)} young ones, longest {max(young, default=0.0) * 1000:.1f} ms"
        )


class Stalls:
    """Blocks the event loop for ``ms`` every ``every`` seconds, as a long GC pause or a
    slow handler in the same process would: what does the sender do right after one?"""

    def __init__(self, ms: float, every: float) -> None:
        self.seconds = ms / 1000
        self.every = every
        self.count = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.seconds > 0:
            self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            time.sleep(self.seconds)  # noqa: ASYNC251 - blocking on purpose: the loop stands still
            self.count += 1

    async def stop(self) -> str:
        if self._task is None:
            return ""
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        return f"; {self.count} injected stall(s) of {self.seconds * 1000:.0f} ms"
