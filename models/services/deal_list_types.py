"""What a deal list is: its kind, its filters, a parsed search text and one page of it.

Plain values shared by the list service (models/services/deal_lists.py, which re-exports
them: callers import them from there) and the calendar lists' prepared statements
(models/services/calendar_pages.py); kept apart so neither of those imports the other back."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from ..catalog import Pipeline, Stage
from ..deals import Deal
from ..users import User

PAGE_SIZE = 8


class ListKind(enum.IntEnum):
    today = 1
    overdue = 2
    mine = 3
    deleted = 4
    search = 5
    no_next = 6  # open or paused without a next step (calendar rules: listed and chased)


class SearchBy(enum.StrEnum):
    email = "email"
    phone = "phone"
    text = "text"


@dataclass(frozen=True)
class ListFilter:
    pipeline_id: int | None = None
    stage_id: int | None = None
    owner_id: int | None = None
    # Several pipelines at once: a number group, or a part of the name ("магазин": every
    # shop pipeline); see models/services/pipeline_filters.py.
    group: int | None = None
    name: str | None = None
    family: str | None = None  # the first word of the names ("Сайт", not "...с сайта")

    @property
    def active(self) -> bool:
        return bool(
            self.pipeline_id
            or self.stage_id
            or self.owner_id
            or self.group
            or self.name
            or self.family
        )


@dataclass(frozen=True)
class SearchQuery:
    """A parsed search text: what it is matched against and the normalised key."""

    text: str
    by: SearchBy
    key: str


@dataclass
class DealPage:
    kind: ListKind
    deals: list[Deal]
    total: int
    page: int  # 1-based, clamped to 1..pages
    pages: int
    today: dt.date  # the viewer's local date, for due markers
    filters: ListFilter = field(default_factory=ListFilter)
    pipeline: Pipeline | None = None
    stage: Stage | None = None
    owner: User | None = None
    query: SearchQuery | None = None
    # Read with the page (calendar lists only, see models/services/calendar_pages.py);
    # None: not read, ask.
    phones: dict[int, str] | None = None  # deal id -> its first phone (E.164)
    no_next: int | None = None  # deals the viewer sees that have no next step


@dataclass
class OwnerPage:
    users: list[User]
    page: int
    pages: int
