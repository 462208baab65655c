"""Charts are drawn off the event loop, one at a time.

A full team's chart is ~65 ms of CPU. Pillow releases the GIL for most of it (drawing, text,
the PNG encoder: two threads draw twice as many charts a second as one), so a drawing thread
does not stall the loop on the GIL; what it takes is a core. asyncio.to_thread would hand 100
summaries' charts to the default pool's 6 threads at once, all competing with the loop for 2
cores; one worker thread draws them one at a time. bench/summary_load.py measured a process
pool of one the same under load (loaded p99 ~117 ms both), drawing on the loop much worse
(~650 ms), and a lower CPU priority (nice) for the thread no better; ``use()`` swaps the
executor for such comparisons."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor

from bot.render.bars import Panel, draw_stack

_executor: Executor | None = None


def executor() -> Executor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chart")
    return _executor


def use(pool: Executor | None) -> Executor | None:
    """Draw with ``pool`` from now on (None: the default single thread); returns the one
    that was in use, for the caller to shut down or put back."""
    global _executor
    previous, _executor = _executor, pool
    return previous


async def render_png(panels: Sequence[Panel]) -> bytes:
    """The panels one under another as PNG bytes, drawn in the chart worker."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor(), draw_stack, list(panels))


async def draw_off_loop(draw: Callable[[], bytes]) -> bytes:
    """Any chart drawing (the /report charts too) in the same worker, one at a time."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor(), draw)
