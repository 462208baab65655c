"""Benchmark of web-form intake (issue 12.3): POST /intake/<token> at a steady rate over real
HTTP to a real port, latency percentiles of the answers.

    python -m bench.intake_bench                       # 50 requests/s for 15 s, SQLite
    python -m bench.intake_bench --rate 50 --seconds 30
    python -m bench.intake_bench --database-url postgresql+asyncpg://postgres@/x?host=/sock
    python -m bench.intake_bench --no-messages         # the request path alone

The server is the production web application (web.build_web_app) in a process of its own
(``--serve``), on a fresh database built by the real migrations, with a fast fake Telegram
(bench/telegram.py). The load is open-loop: request i leaves at start + i/rate whatever the
answers before it did, so a slow server shows as latency, not as a lower rate. One request in
ten repeats an earlier contact (a note on its open deal, its owner told); the rest are new
deals announced with a Claim button to the lead of one of 50 teams, as a real installation
spreads its forms. The outbound budget is lifted (Telegram would allow ~30 messages a second
overall): the figure is the intake's, not Telegram's pacing. The messages go out after the
answers, from the intake's outbox (bot/intake_outbox.py), in the same server process.

Besides the latencies it prints the server's CPU from "ready" to the end (per request, with its
messages; start-up apart) and the load generator's own CPU: on the shared 2-core machine the
CPU per request is the figure that does not depend on what else runs, the latencies do.

A script, not a test: it prints figures and asserts nothing."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

FORMS = 50
NO_MESSAGES = "INTAKE_BENCH_NO_MESSAGES"  # set by --no-messages for the server process


async def _prepare(database_url: str) -> list[str]:
    """Migrate, seed, and make 50 teams, each with a lead and a form; returns the tokens."""
    from bot.app import prepare_database
    from models import Team, User
    from models.crm import Crm
    from models.db import create_engine, create_session_factory
    from models.roles import Role
    from models.services.accounts import Profile
    from models.services.intake_forms import IntakeForms

    engine = create_engine(database_url)
    await prepare_database(engine)
    tokens = []
    async with create_session_factory(engine)() as session, session.begin():
        crm = Crm(session)
        admin = await crm.accounts.bootstrap_admin(Profile(1, "Bench Admin"))
        for i in range(FORMS):
            lead = crm.accounts._new_user(Profile(1000 + i, f"Lead {i}"), Role.lead, None, "ru")
            session.add(lead)
            await session.flush()
            team = Team(name=f"Team {i}", lead_id=lead.id, created_at=crm.clock())
            session.add(team)
            await session.flush()
            user = await session.get(User, lead.id)
            assert user is not None
            user.team_id = team.id
            _form, token = await IntakeForms(crm).create_form(admin, f"Form {i}", team=f"Team {i}")
            tokens.append(token)
    await engine.dispose()
    return tokens


async def _serve(database_url: str, port: int, api_url: str | None = None) -> None:
    from aiohttp import web

    from bench.telegram import make_bot
    from bot.outbound import OutboundBudget, install_outbound
    from bot.settings import Settings
    from models.db import create_engine
    from web import build_web_app

    settings = Settings(
        _env_file=None,
        bot_token="4242:BENCH-token-abcdefghijklmnopqrstuvwxyz",  # type: ignore[arg-type]
        database_url=database_url,
        intake_rate_per_address=100_000,
        intake_rate_per_token=100_000,
    )
    engine = create_engine(database_url)
    if api_url:  # a Bot API in another process (bench/intake_faults.py: kill -9 and restart)
        from bot.app import create_bot

        bot = create_bot(settings.model_copy(update={"telegram_api_url": api_url}))
    else:
        bot = make_bot()
    install_outbound(bot, OutboundBudget(1000.0, 0.0, 1000.0))
    # --no-messages: the request path alone (no bot: no outbox row, nothing sent).
    app = build_web_app(settings, engine, None, None if os.environ.get(NO_MESSAGES) else bot)
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    from bot.app import settle_heap

    settle_heap()  # as bot.app.serve_updates does
    ready = resource.getrusage(resource.RUSAGE_SELF)
    print("ready", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await runner.cleanup()  # lets the messages in flight go out
    usage = resource.getrusage(resource.RUSAGE_SELF)
    calls = getattr(bot.session, "calls", [])
    # CPU seconds of the server process (its SQLite thread included) from "ready" to the end:
    # the cost of the run whatever else the machine is doing, unlike the latencies. The
    # start-up (imports, the app built) is printed apart.
    start_cpu = ready.ru_utime + ready.ru_stime
    cpu = usage.ru_utime + usage.ru_stime - start_cpu
    print(f"cpu {cpu:.2f} telegram_calls {len(calls)} startup {start_cpu:.2f}", flush=True)
    await engine.dispose()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def _load(port: int, tokens: list[str], rate: float, seconds: float) -> None:
    total = int(rate * seconds)
    rng = random.Random(12)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    url = f"http://127.0.0.1:{port}/intake/"
    connector = aiohttp.TCPConnector(limit=200)
    async with aiohttp.ClientSession(connector=connector) as http:
        # Warm-up: a few requests the figures leave out (first-statement caches, connections).
        for i in range(10):
            async with http.post(url + tokens[i], json={"email": f"warm{i}@firm.ru"}) as r:
                await r.read()

        async def one(i: int, at: float) -> None:
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            repeat = i >= 20 and rng.random() < 0.1
            who = rng.randrange(i) if repeat else i
            body = {
                "name": f"Клиент {who}",
                "email": f"client{who}@firm.ru",
                "phone": f"+7999{who:07d}",
                "message": "Хочу сайт и CRM, перезвоните после обеда, пожалуйста." * 2,
                "page_url": f"https://example.ru/landing?id={i}",
                "utm_source": "yandex",
                "utm_medium": "cpc",
            }
            started = time.perf_counter()
            async with http.post(url + tokens[i % len(tokens)], json=body) as response:
                await response.read()
                statuses[response.status] = statuses.get(response.status, 0) + 1
            latencies.append(time.perf_counter() - started)

        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter() + 0.2
        tasks = [asyncio.create_task(one(i, start + i / rate)) for i in range(total)]
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF)
    # The load generator shares the cores: its own CPU, to tell whether it held the rate back.
    load_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    ms = [x * 1000 for x in latencies]
    print(f"requests        {total} in {elapsed:.1f} s ({total / elapsed:.1f}/s, target {rate}/s)")
    print(f"statuses        {dict(sorted(statuses.items()))}")
    print(f"latency p50     {_percentile(ms, 0.50):.1f} ms")
    print(f"latency p90     {_percentile(ms, 0.90):.1f} ms")
    print(f"latency p99     {_percentile(ms, 0.99):.1f} ms")
    print(f"latency max     {max(ms):.1f} ms   mean {statistics.fmean(ms):.1f} ms")
    print(
        f"load cpu        {load_cpu:.1f} s ({load_cpu / total * 1000:.1f} ms a request,"
        f" {100 * load_cpu / elapsed:.0f}% of a core)"
    )


async def _count(database_url: str) -> str:
    from sqlalchemy import func, select

    from models import Deal, IntakePost, IntakeRequest, Note
    from models.db import create_engine

    engine = create_engine(database_url)
    async with engine.connect() as conn:
        counts = [
            int(await conn.scalar(select(func.count()).select_from(m)) or 0)
            for m in (IntakeRequest, Deal, Note, IntakePost)
        ]
    await engine.dispose()
    return "requests {} / deals {} / notes {} / Claim messages {}".format(*counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--port", type=int, default=18431)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--api-url", default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-messages", action="store_true", help="the request path alone: no Claim messages"
    )
    args = parser.parse_args()
    if args.serve:
        profile = os.environ.get("INTAKE_BENCH_PROFILE")
        if profile:  # cProfile of the whole server process, written at its end
            import cProfile

            cProfile.runctx(
                "asyncio.run(_serve(args.database_url, args.port))", globals(), locals(), profile
            )
        else:
            asyncio.run(_serve(args.database_url, args.port, args.api_url))
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'intake.db'}"
        tokens = asyncio.run(_prepare(url))
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.intake_bench",
                "--serve",
                "--port",
                str(args.port),
                "--database-url",
                url,
            ],
            stdout=subprocess.PIPE,
            text=True,
            env={
                **os.environ,
                "LOG_LEVEL": "WARNING",
                **({NO_MESSAGES: "1"} if args.no_messages else {}),
            },
        )
        try:
            assert server.stdout is not None
            if server.stdout.readline().strip() != "ready":
                raise SystemExit("the server did not start")
            print(f"intake bench: {args.rate}/s for {args.seconds} s, database {url.split(':')[0]}")
            asyncio.run(_load(args.port, tokens, args.rate, args.seconds))
        finally:
            server.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                out, _ = server.communicate(timeout=30)
                words = out.split()
                if len(words) >= 6 and words[0] == "cpu":
                    cpu, total = float(words[1]), int(args.rate * args.seconds) + 10
                    print(
                        f"server cpu      {cpu:.1f} s for {total} requests and their messages:"
                        f" {cpu / total * 1000:.1f} ms each, {total / cpu:.0f} requests/s per"
                        f" core at most (start-up {words[5]} s apart)"
                    )
                    print(f"telegram calls  {words[3]}")
        print(f"database        {asyncio.run(_count(url))}")


if __name__ == "__main__":
    main()
