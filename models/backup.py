"""An online backup of the SQLite database while the bot writes (``python -m bot backup PATH``).

Copying ``dealbot.db`` with ``cp`` misses every commit still in ``dealbot.db-wal`` and can
catch a page half written. SQLite's backup API reads the database through its pager inside one
read transaction: the copy is the database as of one commit, WAL included, and writers in WAL
mode are never blocked by it. The copy is written under a temporary name, switched to the
rollback journal (one self-contained file, no -wal to forget), checked with
``PRAGMA integrity_check`` and only then given its name, which is never overwritten unless
asked. PostgreSQL is pg_dump's job: :func:`pg_dump_command` says how.

Synchronous sqlite3 on purpose: a one-shot command, not a handler; no event loop to spare."""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import URL, make_url

# The tables a person checks first after a restore.
MAIN_TABLES = ("users", "teams", "deals", "contacts", "notes", "deal_events", "plans")
# Wait this long for a writer that holds the lock while the read transaction starts.
BUSY_TIMEOUT_S = 30


class BackupError(Exception):
    """The backup could not be made; the message says why, in one line."""


@dataclass
class BackupReport:
    path: Path
    size: int
    revision: str | None
    rows: dict[str, int] = field(default_factory=dict)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database. In-memory: an error."""
    parsed = make_url(url)
    if not parsed.get_backend_name().startswith("sqlite"):
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(parsed.database)


def pg_dump_command(url: str, target: str) -> str:
    """The pg_dump line for a PostgreSQL URL (the driver suffix dropped, no password shown:
    pg_dump reads it from ~/.pgpass or PGPASSWORD)."""
    given = make_url(url)
    parsed = URL.create(
        "postgresql", given.username, None, given.host, given.port, given.database, given.query
    )
    return shlex.join(["pg_dump", "--format=custom", "--file", target, parsed.render_as_string()])


def backup_sqlite(source: Path, target: Path, *, force: bool = False) -> BackupReport:
    """Copy the live database ``source`` to ``target`` consistently; see the module doc."""
    if not source.is_file():
        raise BackupError(f"no database file at {source}")
    if target.exists() and not force:
        raise BackupError(f"{target} exists; use --force to overwrite it")
    if target.resolve() == source.resolve():
        raise BackupError("the backup cannot replace the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        _copy(source, temporary)
        report = _check(temporary)
        _fsync(temporary)
        _publish(temporary, target, force=force)
    finally:
        temporary.unlink(missing_ok=True)
        for suffix in ("-journal", "-wal", "-shm"):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)
    report.path = target
    return report


def _copy(source: Path, temporary: Path) -> None:
    # Only read here; opened as the bot opens it (a read-only open of a WAL database fails
    # when no -shm file exists, i.e. while the bot is stopped).
    src = sqlite3.connect(source, timeout=BUSY_TIMEOUT_S)
    try:
        dst = sqlite3.connect(temporary)
        try:
            # pages=-1: the whole database in one step, so in one read transaction (in steps,
            # a commit by the bot between two steps would restart the copy).
            src.backup(dst, pages=-1)
            # The copy carries the source's WAL flag; a backup is one file: rollback journal.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"reading {source} failed: {exc}") from exc
    finally:
        src.close()


def _check(path: Path) -> BackupReport:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        verdict = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if verdict != ["ok"]:
            raise BackupError(f"the copy failed PRAGMA integrity_check: {verdict[:3]}")
        present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        rows = {
            table: int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
            for table in MAIN_TABLES
            if table in present
        }
        revision = None
        if "alembic_version" in present:
            found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = found[0] if found else None
    finally:
        conn.close()
    return BackupReport(path=path, size=path.stat().st_size, revision=revision, rows=rows)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(temporary: Path, target: Path, *, force: bool) -> None:
    if force:
        os.replace(temporary, target)
    else:
        # link() fails if the name appeared meanwhile: never clobber a file by a race.
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise BackupError(f"{target} exists; use --force to overwrite it") from None
    with contextlib.suppress(OSError):  # make the new name itself durable
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
