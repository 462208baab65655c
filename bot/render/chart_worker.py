"""Charts are drawn off the event loop, one at a time.

A chart is ~20-40 ms of CPU, part of it Python (the layout, text measuring) that holds the
GIL. asyncio.to_thread would hand 100 summaries' charts to the default pool's 6 threads at
once: six drawing threads against the one loop thread for the GIL, on 2 cores. One worker
thread keeps the loop's wait for the GIL short and bounded (bench/summary_load.py measures
it; a process pool is there to compare: ``use(ProcessPoolExecutor(1))``)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
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
