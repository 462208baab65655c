"""Deal titles: the owner's prefix ("ivan@firm.ru — ООО Ромашка"), so everyone tells deals
apart in a shared list (the handbook: the title is pre-filled with the manager's e-mail,
editable in the profile).

Whether a title was typed by hand is not stored: a title counts as generated when it starts
with one of its owner's prefixes (e-mail or name) and the separator, or is just the client.
That needs no column on the busy deals table, survives an owner changing their e-mail later
(both of their names are recognised) and keeps a hand edit of the client part of a title."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from .users import User

SEP = " — "
MAX_TITLE = 255


class TitlePrefix(enum.StrEnum):
    email = "email"
    name = "name"
    none = "none"


def owner_prefix(owner: User) -> str | None:
    """What ``owner``'s new titles start with; the e-mail falls back to the name."""
    choice = owner.title_prefix
    if choice == TitlePrefix.none:
        return None
    if choice == TitlePrefix.name:
        return owner.full_name
    return owner.email or owner.full_name


def default_title(owner: User, client: str | None) -> str:
    """The owner's prefix + client; with no prefix the client alone."""
    prefix = owner_prefix(owner)
    title = f"{prefix}{SEP}{client}" if prefix and client else client or prefix or owner.full_name
    return title[:MAX_TITLE]


def _names(person_names: Iterable[str | None]) -> list[str]:
    # Longest first: "Анна" must not eat the start of "Анна Петрова — ...".
    return sorted({n for n in person_names if n}, key=len, reverse=True)


def strip_owner(title: str, names: Iterable[str | None]) -> str:
    """The title without its owner's prefix, for the owner's own lists (the client first).
    A title that is the prefix alone stays as it is (there is nothing else to show)."""
    for name in _names(names):
        if title.startswith(name + SEP) and len(title) > len(name) + len(SEP):
            return title[len(name) + len(SEP) :]
    return title


def names_of(user: User) -> tuple[str | None, str | None]:
    return user.email, user.full_name


def retitle(title: str, old: User, new: User, clients: Iterable[str | None]) -> str | None:
    """The title after a reassign from ``old`` to ``new``: the prefix follows the new owner
    when the title was generated (see the module's note); None when it stays as it is."""
    rest: str | None = None
    for name in _names(names_of(old)):
        if title.startswith(name + SEP):
            rest = title[len(name) + len(SEP) :]
            break
        if title == name:
            rest = ""
            break
    if rest is None and title in {c for c in clients if c}:
        rest = title  # generated without a prefix
    if rest is None:
        return None  # typed by hand: left alone
    prefix = owner_prefix(new)
    new_title = f"{prefix}{SEP}{rest}" if prefix and rest else rest or prefix or new.full_name
    new_title = new_title[:MAX_TITLE]
    return new_title if new_title != title else None
