"""Typed helpers over SQLAlchemy Core where its annotations are wider than what we use.

``Model.__table__`` is typed as any FromClause (ours are always Tables), and
``AsyncSession.execute`` as returning a plain Result (a DML statement's result is a
CursorResult, which carries ``rowcount``). The dialects' ``insert`` constructs are two classes
with the same ON CONFLICT methods."""

from __future__ import annotations

from typing import Any, TypeAlias, cast

from sqlalchemy import Select, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.orm import DeclarativeBase

# The dialects with ON CONFLICT that we run on (any other gets a look-up-then-write fallback).
UPSERT_DIALECTS = ("sqlite", "postgresql")

DialectInsert: TypeAlias = sqlite.Insert | postgresql.Insert
# A SELECT whose row shape is not fixed (columns added on a condition) or not used by the caller.
AnySelect: TypeAlias = Select[*tuple[Any, ...]]


def table_of(model: type[DeclarativeBase]) -> Table:
    """The Core table of a mapped class (checked once, where a module builds its statements)."""
    table = model.__table__
    if not isinstance(table, Table):  # pragma: no cover - every entity of ours maps a Table
        raise TypeError(f"{model.__name__} is not mapped to a Table")
    return table


def affected_rows(result: Result[*tuple[Any, ...]]) -> int:
    """How many rows an UPDATE/DELETE/INSERT matched (as the driver reports it)."""
    return cast(CursorResult[*tuple[Any, ...]], result).rowcount


def dialect_insert(dialect: str, table: Table | type[DeclarativeBase]) -> DialectInsert | None:
    """An INSERT with ON CONFLICT for ``dialect``; None for a database without one of ours."""
    if dialect == "sqlite":
        return sqlite.insert(table)
    if dialect == "postgresql":
        return postgresql.insert(table)
    return None
