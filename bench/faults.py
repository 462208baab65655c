"""Fault script (issue 8, "Prove it"): real ``python -m bot`` processes against the fake Bot
API (bench/fake_limited_api.py: Telegram's getUpdates with offsets and redelivery, its flood
limits, a flood switch), killed and restarted at random moments; it prints a table of what
was sent, saved or received, lost and done twice. It asserts nothing and never runs under
pytest. See bench/README.md.

    python -m bench.faults [--trials 5] [--quick] [--seed 8] [--only a,b,c,d]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.fault_procs import (
    ADMIN_TELEGRAM_ID,
    ROOT,
    BotProcess,
    FakeApi,
    bot_env,
    has_table,
    kill_all,
    load_average,
    migrate,
    pid_alive,
    query,
    seed,
)

OUT = ROOT / "bench" / "out" / "faults.json"
DIGEST_MARK = "☀️"  # rem.digest_title starts with it, in both languages (bot/texts/reminders.py)
POSSIBLY_LOST = "possibly not delivered"  # the log words issue 8 asks for


@dataclass
class Row:
    scenario: str
    trials: int
    sent: int
    received: int  # notes saved / people who got a reply / people who got a digest
    lost: int
    twice: int
    notes: str
    detail: dict[str, Any] = field(default_factory=dict)


def midday_zone() -> str:
    """An Etc/GMT zone where it is about noon now: digest days never cross a midnight."""
    offset = (12 - dt.datetime.now(dt.UTC).hour + 12) % 24 - 12  # -12..+11 hours from UTC
    # Etc/GMT signs are inverted: Etc/GMT-3 is UTC+3.
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def note_item(manager: dict[str, Any], text: str) -> dict[str, Any]:
    return {"from": manager["telegram_id"], "text": f"/note {manager['deals'][0]} {text}"}


def note_counts(tmp: Path, prefix: str) -> Counter[str]:
    rows = query(
        tmp, "SELECT text, count(*) FROM notes WHERE text LIKE ? GROUP BY text", prefix + "%"
    )
    return Counter({text: n for text, n in rows})


def inject_paced(api: FakeApi, items: list[dict[str, Any]], per_second: float, batch: int) -> None:
    """Inject ``items`` at ``per_second``, ``batch`` at a time (bounded: len(items) steps)."""
    began = time.monotonic()
    for start in range(0, len(items), batch):
        wait = began + start / per_second - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        api.inject(items[start : start + batch])


def wait_notes(api: FakeApi, tmp: Path, prefix: str, sent: int, bound: float) -> Counter[str]:
    """Until every note is saved, or the queue is confirmed and the count stood still 3 s."""
    deadline = time.monotonic() + bound
    last, still_since = -1, time.monotonic()
    counts: Counter[str] = Counter()
    while time.monotonic() < deadline:
        counts = note_counts(tmp, prefix)
        if len(counts) >= sent:
            time.sleep(1.0)  # a redelivery that makes a second copy comes right after
            return note_counts(tmp, prefix)
        total = sum(counts.values())
        if total != last:
            last, still_since = total, time.monotonic()
        elif api.updates()["unconfirmed"] == 0 and time.monotonic() - still_since > 3.0:
            return counts
        time.sleep(0.3)
    return counts


# -- a. backlog + kill -9 -----------------------------------------------------------------------
def backlog(args: argparse.Namespace, rng: random.Random) -> Row:
    tmp = Path(tempfile.mkdtemp(prefix="faults-a-"))
    api = FakeApi.start(tmp, limits=False)
    env = bot_env(tmp, api.url)
    migrate(env, tmp)
    managers = seed(env, tmp, spec(30, due_in_days=5))["managers"]
    bot = BotProcess(env, tmp)
    bot.start_and_wait(api)
    notes_per_trial, kills = 300, (2 if args.quick else 3)
    sent = saved = twice = 0
    per_trial: list[str] = []
    for trial in range(args.trials):
        prefix = f"fa{trial}n"
        items = [
            note_item(managers[i % len(managers)], f"{prefix}{i:03d}z{rng.randrange(10**9)}")
            for i in range(notes_per_trial)
        ]
        injector = threading.Thread(target=inject_paced, args=(api, items, 100.0, 5))
        injector.start()
        for _ in range(kills):
            time.sleep(rng.uniform(0.2, 1.5))  # a random moment while the backlog is handled
            bot.kill9()
            bot.start_and_wait(api)
        injector.join(timeout=60)
        counts = wait_notes(api, tmp, prefix, notes_per_trial, bound=120)
        sent += notes_per_trial
        saved += len(counts)
        doubled = sum(1 for n in counts.values() if n > 1)
        twice += doubled
        per_trial.append(f"{notes_per_trial - len(counts)}/{doubled}")
    status = api.updates()
    bot.terminate()
    api.stop()
    return Row(
        "a. backlog 300 notes at ~100/s, kill -9",
        args.trials,
        sent,
        saved,
        sent - saved,
        twice,
        f"{kills} kill -9 per trial; lost/twice per trial {' '.join(per_trial)}; "
        f"{status['redelivered']} updates redelivered; bot start {mean(bot.start_seconds):.1f} s",
        {"tmp": str(tmp), "queue": status, "per_trial": per_trial},
    )


# -- b. burst of 200 users ---------------------------------------------------------------------
def burst(args: argparse.Namespace, rng: random.Random) -> Row:
    tmp = Path(tempfile.mkdtemp(prefix="faults-b-"))
    api = FakeApi.start(tmp, limits=True)
    env = bot_env(tmp, api.url)
    migrate(env, tmp)
    people = 200
    managers = seed(env, tmp, spec(people, due_in_days=5))["managers"]
    bot = BotProcess(env, tmp)
    bot.start_and_wait(api)
    trials = max(1, args.trials // 2)
    sent = received = saved = twice = 0
    per_trial: list[str] = []
    before = api.stats()
    for trial in range(trials):
        time.sleep(1.5)  # the per-chat second of the previous trial is over
        prefix = f"fb{trial}n"
        order = list(managers)
        rng.shuffle(order)
        items = [
            note_item(m, f"{prefix}{i:03d}z{rng.randrange(10**9)}") for i, m in enumerate(order)
        ]
        since = len(api.sent())
        inject_paced(api, items, float(people), 20)  # all 200 within one second
        chats = {m["telegram_id"] for m in managers}
        answered = wait_replies(api, since, chats, bound=60.0)
        counts = note_counts(tmp, prefix)
        sent += people
        received += len(answered)
        saved += len(counts)
        twice += sum(1 for n in counts.values() if n > 1)
        per_trial.append(str(people - len(answered)))
    after = api.stats()
    errors = len(bot.log_lines("TelegramRetryAfter", "Too Many Requests"))
    bot.terminate()
    api.stop()
    rejected = after["too_many"] - before["too_many"]
    return Row(
        "b. burst: 200 users in 1 s, limits on",
        trials,
        sent,
        received,
        sent - received,
        twice,
        f"replies within 60 s; no reply per trial {' '.join(per_trial)}; notes saved "
        f"{saved}/{sent}; the fake answered {rejected} x 429; {errors} 429 lines in the log",
        {"tmp": str(tmp), "saved": saved, "rejected_429": rejected},
    )


def wait_replies(api: FakeApi, since: int, chats: set[int], bound: float) -> set[int]:
    """Chats that got any message after ``since``: until all did, 10 s of silence, or bound."""
    began = time.monotonic()
    answered: set[int] = set()
    seen, quiet_since = since, time.monotonic()
    while time.monotonic() - began < bound:
        new = api.sent(seen)
        if new:
            seen += len(new)
            quiet_since = time.monotonic()
            answered |= {s["chat_id"] for s in new if s["chat_id"] in chats}
        if answered >= chats or time.monotonic() - quiet_since > 10.0:
            break
        time.sleep(0.3)
    return answered


# -- c. digest wave + kill -9 / SIGTERM, with and without a flood wait -------------------------
WAVE_VARIANTS = (
    ("kill -9 during the wave", False, "kill"),
    ("SIGTERM during the wave", False, "term"),
    ("kill -9 during a flood wait", True, "kill"),
    ("SIGTERM during a flood wait", True, "term"),
)


def waves(args: argparse.Namespace, rng: random.Random) -> list[Row]:
    base = Path(tempfile.mkdtemp(prefix="faults-c-"))
    api = FakeApi.start(base, limits=True)
    env = bot_env(base, api.url)
    migrate(env, base)  # a migrated template; each trial gets a copy and its own managers
    trials = max(1, args.trials // 2)
    rows = []
    for name, flood, how in WAVE_VARIANTS:
        totals: Counter[str] = Counter()
        per_trial: list[str] = []
        stops: list[str] = []
        for trial in range(trials):
            result = wave_trial(api, base, f"{how}{int(flood)}-{trial}", flood, how, rng)
            totals.update({k: v for k, v in result.items() if isinstance(v, int)})
            per_trial.append(f"{result['lost']}/{result['twice']}")
            stops.append(result["stop"])
        rows.append(
            Row(
                f"c. digest wave 150: {name}",
                trials,
                totals["due"],
                totals["received"],
                totals["lost"],
                totals["twice"],
                f"lost/twice per trial {' '.join(per_trial)}; {', '.join(stops)}; sent-log of "
                f"the due: {totals['log_keys']} keys, {totals['log_sent']} sent, "
                f"{totals['log_handed']} handed but not confirmed, {totals['log_claimed']} "
                f"claimed only; '{POSSIBLY_LOST}' logged {totals['reported']}x",
                {"base": str(base), **totals},
            )
        )
    api.stop()
    return rows


# A flood wait longer than the bot's shutdown grace (scheduler.setup: 15 s), as Telegram's
# can be: a SIGTERM during it cannot simply wait it out.
FLOOD = {"seconds": 20, "retry_after": 20}


def wave_trial(
    api: FakeApi, base: Path, label: str, flood: bool, how: str, rng: random.Random
) -> dict[str, Any]:
    tmp = base / label
    tmp.mkdir()
    shutil.copy(base / "bot.db", tmp / "bot.db")
    env = bot_env(tmp, api.url)
    people = 150
    seeded = seed(env, tmp, spec(people, due_in_days=0, digest_time="00:00", deals_each=2))
    chats = {m["telegram_id"] for m in seeded["managers"]}
    user_ids = ",".join(str(m["user_id"]) for m in seeded["managers"])
    api.post("/reset", {})
    bot = BotProcess(env, tmp)
    # The scan at start sends every digest that is due (their time, 00:00, has passed today):
    # the wave begins as soon as the bot is up.
    bot.start()
    target = rng.randint(people * 15 // 100, people * 70 // 100)
    began = time.monotonic()
    while time.monotonic() - began < 120 and bot.alive:
        if len(digests(api, chats)) >= target:
            break
        time.sleep(0.05)
    at_signal = sum(digests(api, chats).values())
    term_seconds: float | None = 0.0
    # A 429 answered at the very end of a flood makes the bot wait retry_after more.
    waits_until = time.monotonic()
    if flood:
        api.post("/flood", FLOOD)
        waits_until += FLOOD["seconds"] + FLOOD["retry_after"]
        time.sleep(rng.uniform(1.0, 4.0))  # inside the flood wait
    if how == "kill":
        bot.kill9()
    else:
        term_seconds = bot.terminate()
    bot.start_and_wait(api)
    wait_wave_end(api, tmp, chats, waits_until, bound=150.0)
    got = digests(api, chats)
    bot.terminate()
    log = query(
        tmp,
        "SELECT count(*), count(sent_at), sum(sent_at IS NULL AND handed_at IS NOT NULL), "
        "sum(sent_at IS NULL AND handed_at IS NULL) "
        f"FROM sent_notifications WHERE key LIKE 'digest:%' AND user_id IN ({user_ids})",
    )[0]
    lost = sum(1 for c in chats if got.get(c, 0) == 0)
    twice = sum(1 for c in chats if got.get(c, 0) > 1)
    how_stop = "kill -9" if how == "kill" else f"SIGTERM (exit in {fmt_s(term_seconds)})"
    return {
        "due": people,
        "received": people - lost,
        "lost": lost,
        "twice": twice,
        "log_keys": log[0],
        "log_sent": log[1],
        "log_handed": log[2] or 0,
        "log_claimed": log[3] or 0,
        "reported": len(bot.log_lines(POSSIBLY_LOST)),
        "stop": f"{how_stop} after {at_signal} digests",
    }


def digests(api: FakeApi, chats: set[int]) -> Counter[int]:
    return Counter(
        s["chat_id"]
        for s in api.sent()
        if s["method"] == "sendMessage"
        and s["chat_id"] in chats
        and s["text"].startswith(DIGEST_MARK)
    )


def wait_wave_end(
    api: FakeApi, tmp: Path, chats: set[int], waits_until: float, bound: float
) -> None:
    """Until everyone has a digest, or 12 s without any message (counted from the end of a
    flood wait at the earliest) while the scheduler lease does not name a dead process (a
    restarted bot's scheduler has not taken it over yet; it may also wait for it to lapse)."""
    began = time.monotonic()
    seen, quiet_since = 0, max(began, waits_until)
    while time.monotonic() - began < bound:
        sent = api.sent()
        if len(sent) != seen:
            seen, quiet_since = len(sent), max(time.monotonic(), waits_until)
        if len(digests(api, chats)) >= len(chats):
            time.sleep(3.0)  # a second copy would come now
            return
        if time.monotonic() - quiet_since > 12.0 and not lease_of_the_dead(tmp):
            return
        time.sleep(0.5)


def lease_of_the_dead(tmp: Path) -> bool:
    """The scheduler lease (newer code, models/reliability.py) names a process that is gone,
    expired or not: no live scheduler has taken it over yet."""
    if not has_table(tmp, "scheduler_leases"):
        return False
    for (holder,) in query(tmp, "SELECT holder FROM scheduler_leases"):
        parts = str(holder).split(":")
        if len(parts) > 1 and parts[1].isdigit() and not pid_alive(int(parts[1])):
            return True
    return False


# -- d. two processes polling one token --------------------------------------------------------
def two_pollers(args: argparse.Namespace, rng: random.Random) -> Row:
    tmp = Path(tempfile.mkdtemp(prefix="faults-d-"))
    api = FakeApi.start(tmp, limits=False)
    env = bot_env(tmp, api.url)
    migrate(env, tmp)
    managers = seed(env, tmp, spec(10, due_in_days=5))["managers"]
    first, second = BotProcess(env, tmp, "bot1"), BotProcess(env, tmp, "bot2")
    first.start_and_wait(api)
    second.start_and_wait(api)
    time.sleep(2.0)
    prefix, count = "fdn", 60
    items = [
        note_item(managers[i % 10], f"{prefix}{i:03d}z{rng.randrange(10**9)}") for i in range(count)
    ]
    inject_paced(api, items, 10.0, 1)  # 6 s of both polling while notes come in
    counts = wait_notes(api, tmp, prefix, count, bound=30)
    time.sleep(5.0)  # let both keep polling a little: the 409s go on
    counts = note_counts(tmp, prefix)
    status = api.updates()
    needles = ("409", "conflict", "other getupdates", "second poller", "another process")
    lines = first.log_lines(*needles) + second.log_lines(*needles)
    alive = [b.name for b in (first, second) if b.alive]
    sample = _strip_stamp(lines[0])[:150] if lines else "-"
    first.terminate()
    second.terminate()
    api.stop()
    saved = len(counts)
    return Row(
        "d. two processes polling one token",
        1,
        count,
        saved,
        count - saved,
        sum(1 for n in counts.values() if n > 1),
        f"the fake answered {status['conflicts']} x 409 ({status['redelivered']} updates "
        f"redelivered); {len(lines)} log lines name it, e.g. {sample!r}; "
        f"running at the end: {', '.join(alive) or 'none'}",
        {"tmp": str(tmp), "queue": status, "log_lines": lines[:20]},
    )


def _strip_stamp(line: str) -> str:
    # "2026-12-01 22:06:36,788 WARNING aiogram.dispatcher: ..." -> "WARNING aiogram...: ..."
    parts = line.split(" ", 2)
    return parts[2] if len(parts) == 3 and parts[0][:2] == "20" else line


# -- the table --------------------------------------------------------------------------------
def spec(managers: int, **kw: Any) -> dict[str, Any]:
    return {"admin": ADMIN_TELEGRAM_ID, "managers": managers, "timezone": midday_zone(), **kw}


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def fmt_s(value: float | None) -> str:
    return "killed after 40 s" if value is None else f"{value:.1f} s"


def print_table(rows: list[Row]) -> None:
    head = f"{'scenario':46} {'trials':>6} {'sent':>6} {'saved/recv':>10} {'lost':>5} {'twice':>5}"
    print(head)
    print("-" * len(head))
    for row in rows:
        print(
            f"{row.scenario:46} {row.trials:>6} {row.sent:>6} {row.received:>10} "
            f"{row.lost:>5} {row.twice:>5}"
        )
    print()
    for row in rows:
        print(f"{row.scenario}: {row.notes}")


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, timeout=10
        )
        return out.stdout.decode().strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


Scenario = Callable[[argparse.Namespace, random.Random], "Row | list[Row]"]
SCENARIOS: dict[str, Scenario] = {"a": backlog, "b": burst, "c": waves, "d": two_pollers}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.faults")
    parser.add_argument(
        "--trials", type=int, default=5, help="trials of the backlog (a); b and c run half"
    )
    parser.add_argument("--quick", action="store_true", help="2 backlog trials, 1 of the others")
    parser.add_argument("--seed", type=int, default=8, help="of the random kill moments and texts")
    parser.add_argument("--only", default="a,b,c,d", help="a subset, e.g. a,d")
    args = parser.parse_args(argv)
    if args.quick:
        args.trials = min(args.trials, 2)
    rng = random.Random(args.seed)
    began = time.monotonic()
    print(f"faults: commit {git_commit()}, load average {load_average()}", flush=True)
    rows: list[Row] = []
    try:
        for key in [k.strip() for k in args.only.split(",") if k.strip()]:
            print(f"... scenario {key} ({time.monotonic() - began:.0f} s)", flush=True)
            try:
                result = SCENARIOS[key](args, rng)
            except SystemExit as exc:  # a process that would not start: say so, go on
                print(f"scenario {key} could not run: {exc}", flush=True)
                kill_all()
                continue
            rows.extend(result if isinstance(result, list) else [result])
    except KeyboardInterrupt:
        print("interrupted: the table holds the scenarios that finished")
    finally:
        kill_all()
    print()
    print_table(rows)
    took = time.monotonic() - began
    print(f"\n{took:.0f} s, load average {load_average()}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "commit": git_commit(),
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "args": vars(args),
                "seconds": round(took),
                "rows": [asdict(r) for r in rows],
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
