"""The folded text a deal is found by. SQLite's lower() and LIKE fold ASCII only, so we fold in
Python (casefold, ё -> е) when a deal is written and search that one column."""

from __future__ import annotations

from collections.abc import Iterable

MAX_SEARCH_TEXT = 2000


def fold(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


def build_search_text(
    title: str | None,
    client: str | None,
    company: str | None,
    contacts: Iterable[str] = (),
    people: Iterable[str] = (),
) -> str:
    """``people``: the names and positions of the deal's contact persons."""
    parts = [p for p in (title, client, company, *contacts, *people) if p]
    return fold(" | ".join(parts))[:MAX_SEARCH_TEXT]
