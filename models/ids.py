"""The range of a row id, and the one parser of ids typed by people.

Row ids are INTEGER in the schema: 32-bit on PostgreSQL (SQLite's are 64-bit, but the same
number must mean the same on both). A bigger number cannot name a row and must not reach the
driver, where it overflows with a traceback instead of "not found". Telegram ids are BIGINT."""

from __future__ import annotations

from typing import Final

# 32-bit columns on PostgreSQL (INTEGER): row ids, versions, counters.
MAX_INT32: Final = 2**31 - 1
MAX_ID: Final = MAX_INT32
MAX_BIGINT: Final = 2**63 - 1  # Telegram ids


def parse_id(
    text: str | None, *, allow_hash: bool = True, maximum: int = MAX_ID
) -> int | None:
    """``"12"``, ``" #12 "`` -> 12; anything else -> None: no digits, other scripts' digits
    ("١٢", "²"), signs, 0, and numbers beyond ``maximum`` (a row id's range by default)."""
    value = (text or "").strip()
    if allow_hash:
        value = value.removeprefix("#")
    if not value or len(value) > len(str(maximum)) or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 1 <= number <= maximum else None
