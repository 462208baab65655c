"""Plan progress as bar panels (drawn by bot/render/bars.py): per manager for a lead (the
daily summary, a lead's /stats) and a manager's own chart in /stats.

A plan is a number of won deals and optionally an amount in PLAN_CURRENCY. Money is drawn
per currency and never added across currencies: the plan's currency gets its own panel
against the plan, every other currency a panel of its own without a target. Each plan bar
carries a marker where the person should be by today (the plan times the share of the
month's days elapsed, today included).

These functions only build panels (cheap, pure); ``bot.render.chart_worker`` turns them into
PNG off the event loop. Texts drawn into the picture are plain text, not HTML: names go in
as they are, never through ``tr`` (which escapes for HTML)."""

from __future__ import annotations

import calendar
import datetime as dt
import decimal
from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import Tr
from bot.render.bars import GREEN, Bar, Panel
from bot.render.format import CURRENCY_SIGNS, fmt_amount
from models.money import Amounts
from models.services.reports import PLAN_CURRENCY, Counters, StatsRow

MAX_BARS = 25  # people a panel shows (the month's best when the team is bigger)
MAX_OTHER_CURRENCIES = 3  # panels of currencies other than the plan's
AMOUNT_TAG_ROOM = 130  # pixels after a bar for "1,2 млн / 1,5 млн"


@dataclass(frozen=True)
class Pace:
    """How far into the month a day is: ``day`` of ``days`` (today counts as elapsed)."""

    day: int
    days: int

    @classmethod
    def of(cls, day: dt.date) -> Pace:
        return cls(day.day, calendar.monthrange(day.year, day.month)[1])

    @property
    def share(self) -> float:
        return self.day / self.days


def sign(currency: str) -> str:
    return CURRENCY_SIGNS.get(currency, currency)


def compact(amount: decimal.Decimal | float, tr: Tr) -> str:
    """A short figure for a bar's tag: "950", "200 тыс.", "1,5 млн" / "200K", "1.5M"."""
    value = float(amount)
    for size, key in ((1e9, "chart.billion"), (1e6, "chart.million"), (1e3, "chart.thousand")):
        if abs(value) >= size:
            number = f"{value / size:.1f}".removesuffix(".0")
            if tr.locale == "ru":
                number = number.replace(".", ",")
            gap = " " if tr.locale == "ru" else ""
            return f"{number}{gap}{tr(key)}"
    return f"{value:.0f}"


def has_plans(rows: Sequence[StatsRow]) -> bool:
    return any(row.counters.plan_won is not None for row in rows)


def _shown(rows: Sequence[StatsRow]) -> list[StatsRow]:
    """At most MAX_BARS people: a big team shows the month's best, still in name order."""
    if len(rows) <= MAX_BARS:
        return list(rows)
    best = sorted(rows, key=lambda r: (-r.counters.won_month, -(r.counters.plan_won or 0)))
    keep = {id(r) for r in best[:MAX_BARS]}
    return [r for r in rows if id(r) in keep]


def team_panels(rows: Sequence[StatsRow], pace: Pace, tr: Tr) -> list[Panel] | None:
    """Won deals against the plan per person, the won amount in the plan's currency against
    the amount plan, and each other currency's won amount; None when nobody has a plan (a
    chart of empty targets says nothing: the caller writes a line instead)."""
    if not rows or not has_plans(rows):
        return None
    people = _shown(rows)
    legend = (tr("chart.won"), tr("chart.target"))
    deals = Panel(
        tr("chart.won_deals", day=pace.day, days=pace.days),
        [_deals_bar(row.name or "", row.counters, pace, tr) for row in people],
        color=GREEN,
        legend=legend,
        thin=True,
        marker_legend=tr("chart.pace"),
    )
    panels = [deals]
    if any(
        r.counters.plan_amount is not None or r.counters.won_month_amount.of(PLAN_CURRENCY)
        for r in people
    ):
        panels.append(
            Panel(
                tr("chart.won_amount", sign=sign(PLAN_CURRENCY)),
                [_amount_bar(row.name or "", row.counters, pace, tr) for row in people],
                color=GREEN,
                legend=legend,
                thin=True,
                marker_legend=tr("chart.pace"),
                tag_room=AMOUNT_TAG_ROOM,
            )
        )
    for currency in other_currencies([r.counters.won_month_amount for r in people]):
        panels.append(
            Panel(
                tr("chart.other_amount", sign=sign(currency), plan_sign=sign(PLAN_CURRENCY)),
                [
                    Bar(
                        row.name or "",
                        float(row.counters.won_month_amount.of(currency)),
                        tag=compact(row.counters.won_month_amount.of(currency), tr),
                    )
                    for row in people
                ],
                tag_room=AMOUNT_TAG_ROOM,
            )
        )
    return panels


def other_currencies(sums: Sequence[Amounts]) -> list[str]:
    codes = {c for s in sums for c, amount in s.items() if c != PLAN_CURRENCY and amount}
    return sorted(codes)[:MAX_OTHER_CURRENCIES]


def _deals_bar(name: str, c: Counters, pace: Pace, tr: Tr) -> Bar:
    if c.plan_won is None:
        return Bar(name, c.won_month, tag=tr("chart.no_plan_tag", won=str(c.won_month)))
    return Bar(
        name, c.won_month, c.plan_won, f"{c.won_month}/{c.plan_won}", c.plan_won * pace.share
    )


def _amount_bar(name: str, c: Counters, pace: Pace, tr: Tr) -> Bar:
    won = c.won_month_amount.of(PLAN_CURRENCY)
    if c.plan_amount is None:
        return Bar(name, float(won), tag=tr("chart.no_plan_tag", won=compact(won, tr)))
    plan = float(c.plan_amount)
    tag = f"{compact(won, tr)} / {compact(c.plan_amount, tr)}"
    return Bar(name, float(won), plan, tag, plan * pace.share)


def percent(won: decimal.Decimal | int, plan: decimal.Decimal | int) -> int:
    return round(100 * won / plan) if plan else 0


def own_panels(c: Counters, pace: Pace, tr: Tr) -> list[Panel] | None:
    """A manager's own month in per cent of the plan: deals and (with an amount plan) the
    amount in the plan's currency, each with today's pace; None without a plan."""
    if c.plan_won is None:
        return None
    marker = 100 * pace.share
    bars = [Bar(tr("chart.own_deals"), percent(c.won_month, c.plan_won), 100, None, marker)]
    if c.plan_amount is not None:
        won = c.won_month_amount.of(PLAN_CURRENCY)
        label = tr("chart.own_amount", sign=sign(PLAN_CURRENCY))
        bars.append(Bar(label, percent(won, c.plan_amount), 100, None, marker))
    bars = [Bar(b.label, b.value, b.target, f"{b.value:g}%", b.marker) for b in bars]
    title = tr("chart.own_title", day=pace.day, days=pace.days)
    legend = (tr("chart.won"), tr("chart.target"))
    return [
        Panel(title, bars, color=GREEN, legend=legend, thin=True, marker_legend=tr("chart.pace"))
    ]


def figures_caption(c: Counters, title: str, tr: Tr) -> str:
    """The exact figures under a chart (Telegram HTML): deals and amount against the plan,
    the other currencies' won amounts beside (never added to the plan's currency)."""
    lines = [title]
    if c.plan_won is not None:
        progress = tr("stats.of", won=c.won_month, plan=c.plan_won)
        lines.append(
            tr("chart.caption_deals", progress=progress, percent=percent(c.won_month, c.plan_won))
        )
    if c.plan_amount is not None:
        won = c.won_month_amount.of(PLAN_CURRENCY)
        progress = tr(
            "stats.of",
            won=fmt_amount(won, PLAN_CURRENCY),
            plan=fmt_amount(c.plan_amount, PLAN_CURRENCY),
        )
        lines.append(
            tr("chart.caption_amount", progress=progress, percent=percent(won, c.plan_amount))
        )
    others = [
        (cur, a) for cur, a in c.won_month_amount.ordered(PLAN_CURRENCY) if cur != PLAN_CURRENCY
    ]
    if others:
        amounts = " · ".join(fmt_amount(a, cur) for cur, a in others)
        lines.append(tr("chart.caption_other", amounts=amounts, plan_sign=sign(PLAN_CURRENCY)))
    return "\n".join(lines)
