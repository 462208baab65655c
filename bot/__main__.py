"""``python -m bot`` (or ``dealbot``): run the bot; ``python -m bot migrate``: migrate only."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.app import run_bot, run_migrations
from bot.logging_setup import configure_logging
from bot.settings import SettingsError, load_settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dealbot", description="dealbot, a CRM in Telegram")
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run", "migrate", "scheduler"],
        help="run: the bot (default); migrate: apply migrations and exit; "
        "scheduler: run only the scheduler (one per installation)",
    )
    parser.add_argument(
        "--no-scheduler",
        action="store_true",
        help="run the bot without the scheduler (when another process runs it)",
    )
    return parser.parse_args(argv)


def run(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"dealbot: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    configure_logging(settings.log_level, settings.log_format)
    try:
        if args.command == "migrate":
            code = asyncio.run(run_migrations(settings))
        elif args.command == "scheduler":
            from scheduler.runner import run_scheduler_only

            code = asyncio.run(run_scheduler_only(settings))
        else:
            code = asyncio.run(run_bot(settings, with_scheduler=not args.no_scheduler))
    except KeyboardInterrupt:
        code = 0
    except SettingsError as exc:  # found only when a setting is first used, e.g. REDIS_URL
        print(f"dealbot: {exc}", file=sys.stderr)
        code = 2
    raise SystemExit(code)


if __name__ == "__main__":
    run()
