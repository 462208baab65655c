"""Domain errors. Each carries a message key (and parameters) that the bot translates, so the
CRM core stays free of any user-facing language."""

from __future__ import annotations

from typing import Any


class CrmError(Exception):
    key = "error.generic"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.key, params)


class AccessDenied(CrmError):
    key = "error.access_denied"


class NotFound(CrmError):
    key = "error.not_found"


class InvalidInput(CrmError):
    key = "error.invalid_input"


class Conflict(CrmError):
    """The thing changed under the user (stale button, double tap); re-render, don't apply."""

    key = "error.conflict"


class DatabaseFileGone(CrmError):
    """The SQLite file was removed or replaced under the running process: what this process
    writes would land in a file nobody will ever open again, so every write is refused."""

    key = "error.database_gone"
