"""The range of a row id, and the one parser of ids typed by people.

Ids are BIGINT in the schema (SQLite INTEGER is 64-bit too): a bigger number cannot name a
row and must not reach the driver, where it overflows with a traceback instead of "not found"."""

from __future__ import annotations

from typing import Final

MAX_ID: Final = 2**63 - 1
# 32-bit columns (versions, counters) on PostgreSQL: INTEGER.
MAX_INT32: Final = 2**31 - 1
_MAX_DIGITS: Final = len(str(MAX_ID))


def parse_id(text: str | None, *, allow_hash: bool = True) -> int | None:
    """``"12"``, ``" #12 "`` -> 12; anything else -> None: no digits, other scripts' digits
    ("١٢", "²"), signs, 0, and numbers beyond ``MAX_ID``."""
    value = (text or "").strip()
    if allow_hash:
        value = value.removeprefix("#")
    if not value or len(value) > _MAX_DIGITS or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None
