"""``python -m bot`` (or ``dealbot``): run the bot; ``python -m bot migrate``: migrate only;
``python -m bot backup PATH``: an online backup of the SQLite database; ``python -m bot check``:
settings, database, migrations and Telegram, one line each (Docker's HEALTHCHECK)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.settings import SettingsError, load_settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dealbot", description="dealbot, a CRM in Telegram")
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=["run", "migrate", "scheduler", "backup", "check"],
        help="run: the bot (default); migrate: apply migrations and exit; "
        "scheduler: run only the scheduler (one per installation); "
        "backup PATH: copy the SQLite database consistently, also while the bot runs; "
        "check: settings, database, migrations and Telegram (exit 0 when all pass)",
    )
    parser.add_argument("path", nargs="?", help="backup: the file to write")
    parser.add_argument("--force", action="store_true", help="backup: overwrite PATH if it exists")
    parser.add_argument(
        "--no-telegram", action="store_true", help="check: skip the getMe call to Telegram"
    )
    parser.add_argument(
        "--no-scheduler",
        action="store_true",
        help="run the bot without the scheduler (when another process runs it)",
    )
    args = parser.parse_args(argv)
    if (args.command == "backup") != (args.path is not None):
        parser.error("PATH is given with backup only, and backup needs it")
    return args


def backup(database_url: str, path: str, *, force: bool) -> int:
    from models.backup import BackupError, backup_sqlite, pg_dump_command, sqlite_path

    try:
        source = sqlite_path(database_url)
        if source is None:
            print(
                "dealbot: a PostgreSQL database is backed up with pg_dump: "
                + pg_dump_command(database_url, path),
                file=sys.stderr,
            )
            return 2
        report = backup_sqlite(source, Path(path), force=force)
    except BackupError as exc:
        print(f"dealbot: backup failed: {exc}", file=sys.stderr)
        return 1
    rows = ", ".join(f"{table} {count}" for table, count in report.rows.items())
    print(f"backup written: {report.path} ({report.size} bytes, migration {report.revision})")
    print(f"integrity_check ok; rows: {rows}")
    return 0


def run(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"dealbot: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    if args.command == "backup":  # needs neither aiogram nor logging: a quick start
        raise SystemExit(backup(settings.database_url, args.path, force=args.force))
    if args.command == "check":
        from bot.check import run_check

        raise SystemExit(asyncio.run(run_check(settings, telegram=not args.no_telegram)))
    from bot.app import run_bot, run_migrations
    from bot.logging_setup import configure_logging

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
