"""Whose deal, named in the one-message form: a line ``Ответственный: Иванов`` (``Owner:``)
or an ``@username`` anywhere in the text. Taken out before the client and contacts are read
(an e-mail's "@" is not a username: it follows a letter)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .users import User

_LINE = re.compile(
    r"^[ \t]*(?:ответственн(?:ый|ая)|owner)[ \t]*[:=][ \t]*(?P<who>[^\n]*?)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Telegram usernames: 5-32 characters, letters, digits and "_", starting with a letter.
_USERNAME = re.compile(r"(?<![\w.@])@(?P<who>[A-Za-z][A-Za-z0-9_]{4,31})\b")
MAX_SPEC = 100


def split_owner(text: str) -> tuple[str, str | None]:
    """The text without the owner's mention, and the mention ("@ivan" or a name), if any."""
    match = _LINE.search(text)
    if match is not None:
        rest = (text[: match.start()] + text[match.end() :]).strip()
        return rest, match.group("who")[:MAX_SPEC] or None
    match = _USERNAME.search(text)
    if match is not None:
        rest = " ".join((text[: match.start()] + text[match.end() :]).split(" ")).strip()
        return rest.strip(" ,;"), "@" + match.group("who")
    return text, None


def match_owner(spec: str, people: Sequence[User]) -> list[User]:
    """Who ``spec`` names among ``people``: an @username or an e-mail exactly; a full name
    exactly, else every name that contains it ("Иванов" -> "Пётр Иванов")."""
    wanted = " ".join(spec.split()).casefold()
    if wanted.startswith("@"):
        login = wanted[1:]
        return [p for p in people if (p.username or "").casefold() == login]
    exact = [p for p in people if wanted in (p.full_name.casefold(), (p.email or "").casefold())]
    if exact:
        return exact
    return [p for p in people if wanted and wanted in p.full_name.casefold()]
