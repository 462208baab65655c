"""The reply burst of the outbound budget (bot/outbound.py): a token bucket and a sliding
window over the moments slots were really taken.

A reply may go up to ``burst`` (3) slots ahead of the even pace ``1/rate`` while the last
second (``WINDOW``) has room for one more of its ``rate`` slots: a reply that comes right
after a summary took a slot goes at once instead of waiting the spacing (bench/summary_load.py:
~40 ms at p99). The proactive messages after it wait for the pace it used (the bucket refills
at ``rate``), so the sum stays ``rate`` a second; 26 replies at once still get spaced after
the burst. Telegram (like bench/fake_limited_api.py) judges "at most 30 in any sliding
second"; we promise 25.

Apart from the budget because it is pure arithmetic on moments (no waiting, no chats, no
429s): the budget asks :meth:`ReplyBurst.free` when a slot would keep the pace, and tells
:meth:`ReplyBurst.took` when one was taken."""

from __future__ import annotations

from collections import deque

REPLY_BURST = 3  # slots a reply may go ahead of the even pace (26 + 3 < Telegram's 30 a second)
WINDOW = 1.0  # Telegram's sliding second: at most ``rate`` slots in it


def spacing_of(rate: float) -> float:
    """The even pace's gap between two slots at ``rate`` a second (0: not paced)."""
    return 0.0 if rate <= 0 or rate == float("inf") else 1.0 / rate


class ReplyBurst:
    """The even pace of the slots really taken (the bucket's theoretical arrival time) and the
    slots of the last ``WINDOW``."""

    def __init__(self, rate: float, burst: int = REPLY_BURST) -> None:
        self.spacing = spacing_of(rate)
        # How far ahead of the even pace a reply may go, and the slots of the last second.
        self.ahead = max(0, burst) * self.spacing
        self.per_window = max(1, int(rate + 1e-9)) if self.spacing else 0
        self.recent: deque[float] = deque()  # moments of the slots taken in the last WINDOW
        self.paced = float("-inf")  # the even pace of the slots really taken (bucket's TAT)

    def window_free(self, now: float) -> float:
        """When the sliding second has room for one more slot."""
        recent = self.recent
        while recent and recent[0] <= now - WINDOW + 1e-9:
            recent.popleft()
        if not self.per_window or len(recent) < self.per_window:
            return now
        return recent[-self.per_window] + WINDOW

    def free(self, now: float, ahead: float) -> float:
        """When a slot keeps the even pace of the slots really taken, ``ahead`` allowed."""
        return max(now, self.paced - ahead, self.window_free(now))

    def took(self, sent: float) -> None:
        """A slot was really taken at ``sent``."""
        self.paced = max(self.paced, sent) + self.spacing
        if self.per_window:
            self.recent.append(sent)
