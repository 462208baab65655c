"""Changing a deal after it was created: its fields and contacts, soft delete / restore /
hard delete, reassigning the owner, and reading its event timeline (history).

Every change records a ``DealEvent`` and bumps the deal's version (``Deals.touch``); a value
equal to the current one changes nothing and records nothing. Methods that take a ``Deal``
expect it loaded with :meth:`DealEditing.load` (rights checked for editing)."""

from __future__ import annotations

import decimal
import logging
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import func, select

from ..access import can_reassign
from ..catalog import Pipeline, Source, Stage
from ..contacts import ContactError, parse_contact
from ..deals import Contact, Deal, DealEvent, EventKind
from ..errors import AccessDenied, Conflict, InvalidInput, NotFound
from ..roles import Role, can_hard_delete
from ..titles import retitle
from ..users import User
from .deals import MAX_CLIENT, MAX_TITLE, DuplicateMatch, clean_text
from .stage_moves import stage_ref

if TYPE_CHECKING:
    from ..crm import Crm

logger = logging.getLogger(__name__)

# A catalog an event may refer to by id or code (each checked on its own).
_Catalog = TypeVar("_Catalog", Stage, Pipeline, Source)

# DealEvent.field values of the changes made here (the history renders them by these names).
TITLE = "title"
CLIENT = "client"
COMPANY = "company"
CONTACT = "contact"
PIPELINE = "pipeline"
SOURCE = "source"
AMOUNT = "amount"

TEXT_LIMITS = {TITLE: MAX_TITLE, CLIENT: MAX_CLIENT, COMPANY: MAX_CLIENT}
MAX_CONTACTS = 20
HISTORY_PAGE = 15
OWNER_ROLES = (Role.lead, Role.manager)
DEFAULT_CURRENCY = "RUB"


# -- amounts -----------------------------------------------------------------------------------
_CURRENCY_WORDS = {
    "₽": "RUB", "р": "RUB", "р.": "RUB", "руб": "RUB", "руб.": "RUB", "рублей": "RUB",
    "рубля": "RUB", "рубль": "RUB", "$": "USD", "долл": "USD", "долл.": "USD",
    "долларов": "USD", "€": "EUR", "евро": "EUR", "₸": "KZT", "тенге": "KZT", "br": "BYN",
    "₴": "UAH", "грн": "UAH", "грн.": "UAH",
}  # fmt: skip
_MULTIPLIERS = {
    "k": 1000, "к": 1000, "тыс": 1000, "тыс.": 1000,
    "m": 1_000_000, "м": 1_000_000, "млн": 1_000_000, "млн.": 1_000_000, "mln": 1_000_000,
}  # fmt: skip
_AMOUNT_RE = re.compile(r"(?P<pre>[^\d\s]+)?\s*(?P<num>\d[\d\s.,']*?)\s*(?P<rest>[^\d]*)")
_ISO_CODE_RE = re.compile(r"[a-z]{3}")


def parse_amount(text: str) -> tuple[decimal.Decimal, str | None]:
    """ "150 000", "150000,50 RUB", "$2 500", "1,5 млн руб", "150к" -> (amount, currency or
    None). Raises InvalidInput("edit.amount_bad") for anything else (negatives too)."""
    raw = (text or "").replace("\u00a0", " ").replace("\u202f", " ").strip().lower()
    match = _AMOUNT_RE.fullmatch(raw)
    if match is None:
        raise InvalidInput("edit.amount_bad")
    number = _number("".join(match.group("num").split()))
    currency = _currency(match.group("pre")) if match.group("pre") else None
    if match.group("pre") and currency is None:
        raise InvalidInput("edit.amount_bad")
    multiplier = 1
    for word in re.sub(r"([₽$€₸₴])", r" \1 ", match.group("rest")).split():
        if word in _MULTIPLIERS and multiplier == 1:
            multiplier = _MULTIPLIERS[word]
            continue
        code = _currency(word)
        if code is None or currency not in (None, code):
            raise InvalidInput("edit.amount_bad")
        currency = code
    return number * multiplier, currency


def _currency(word: str) -> str | None:
    if word in _CURRENCY_WORDS:
        return _CURRENCY_WORDS[word]
    return word.upper() if _ISO_CODE_RE.fullmatch(word) else None


def _number(text: str) -> decimal.Decimal:
    text = text.replace("'", "")
    commas, dots = text.count(","), text.count(".")
    if commas and dots:  # "1,500.50" / "1.500,50": the last separator is the decimal one
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        text = text.replace(thousands, "").replace(decimal_sep, ".")
    elif commas + dots == 1:
        whole, frac = re.split(r"[.,]", text)
        # "1,500" groups thousands; "1,5" / "1.50" are fractions.
        text = whole + frac if len(frac) == 3 else f"{whole}.{frac}"
    elif commas + dots > 1:
        sep = "," if commas else "."
        groups = text.split(sep)
        if not all(len(g) == 3 for g in groups[1:]):
            raise InvalidInput("edit.amount_bad")
        text = "".join(groups)
    try:
        value = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise InvalidInput("edit.amount_bad") from None
    exponent = value.as_tuple().exponent  # a str only for NaN/Infinity, which _AMOUNT_RE bars
    if not isinstance(exponent, int) or exponent < -2:
        raise InvalidInput("edit.amount_bad")
    return value


def amount_value(amount: decimal.Decimal | None, currency: str | None) -> str | None:
    """How an amount is stored in the event log: "150000.00 RUB"."""
    if amount is None:
        return None
    return f"{amount} {currency}" if currency else str(amount)


# -- results -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AddedContact:
    contact: Contact
    duplicates: list[DuplicateMatch]


@dataclass(frozen=True)
class Reassigned:
    deal: Deal
    old_owner: User
    new_owner: User


@dataclass(frozen=True)
class Candidates:
    users: list[User]
    page: int
    pages: int


@dataclass
class HistoryPage:
    """One page of a deal's timeline, newest first, with what its ids refer to."""

    deal: Deal
    events: list[DealEvent]
    page: int
    pages: int
    total: int
    users: dict[int, User] = field(default_factory=dict)
    # Keyed by the reference as logged: an id ("3") or a code ("won").
    stages: dict[str, Stage] = field(default_factory=dict)
    pipelines: dict[str, Pipeline] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)


def _ids(values: Iterable[str | None]) -> set[int]:
    return {int(v) for v in values if v is not None and v.isdigit()}


class DealEditing:
    def __init__(self, crm: Crm):
        self.crm = crm
        self.session = crm.session
        self.deals = crm.deals

    async def load(self, actor: User, deal_id: int, *, include_deleted: bool = False) -> Deal:
        """The deal if ``actor`` may change it (NotFound("deal.gone") / AccessDenied)."""
        return await self.deals.get_for(
            actor, deal_id, for_edit=True, include_deleted=include_deleted
        )

    # -- fields ------------------------------------------------------------------------------
    async def set_value(self, actor: User, deal: Deal, name: str, raw: str | None) -> bool:
        """Set title / client / company / amount from typed text. True when it changed."""
        if raw is None or not raw.strip():
            raise InvalidInput("edit.empty")
        if name == AMOUNT:
            amount, currency = parse_amount(raw)
            changed = self._set_amount(actor, deal, amount, currency or deal.currency)
        else:
            value = clean_text(raw, TEXT_LIMITS[name], key=name)
            changed = self._set_text(actor, deal, name, value)
        await self.session.flush()
        return changed

    async def clear_value(self, actor: User, deal: Deal, name: str) -> bool:
        """Empty an optional field (client, company, amount); the title can't be emptied."""
        if name == AMOUNT:
            changed = self._set_amount(actor, deal, None, None)
        elif name in (CLIENT, COMPANY):
            changed = self._set_text(actor, deal, name, None)
        else:
            raise InvalidInput("edit.cannot_clear")
        await self.session.flush()
        return changed

    def _set_text(self, actor: User, deal: Deal, name: str, value: str | None) -> bool:
        attr = {TITLE: "title", CLIENT: "client_name", COMPANY: "company"}[name]
        old = getattr(deal, attr)
        if old == value:
            return False
        if value is None:
            client = None if name == CLIENT else deal.client_name
            company = None if name == COMPANY else deal.company
            self._keep_someone(client, company, len(deal.contacts))
        setattr(deal, attr, value)
        self._changed(actor, deal, name, old, value)
        return True

    def _set_amount(
        self, actor: User, deal: Deal, amount: decimal.Decimal | None, currency: str | None
    ) -> bool:
        amount = self.deals.checked_amount(amount)
        if amount is not None:
            currency = (currency or DEFAULT_CURRENCY).upper()[:3]
        old = amount_value(deal.amount, deal.currency)
        new = amount_value(amount, currency)
        if old == new:
            return False
        deal.amount, deal.currency = amount, currency
        self._changed(actor, deal, AMOUNT, old, new)
        return True

    async def set_pipeline(self, actor: User, deal: Deal, pipeline_id: int) -> bool:
        """Move to another pipeline; the stage stays when it is shared by the new pipeline,
        else the deal starts at the new pipeline's first stage (a stage event, as any move)."""
        pipeline = await self.session.get(Pipeline, pipeline_id)
        if pipeline is None or pipeline.is_archived:
            raise NotFound("deal.pipeline_gone")
        if pipeline.id == deal.pipeline_id:
            return False
        old_pipeline = deal.pipeline_id
        deal.pipeline, deal.pipeline_id = pipeline, pipeline.id
        self.deals.record(
            deal, actor, EventKind.field, field=PIPELINE, old=old_pipeline, new=pipeline.id
        )
        old_stage = deal.stage
        if old_stage.pipeline_id not in (None, pipeline.id):
            stage = await self.deals.first_stage(pipeline.id)  # always an open stage
            deal.stage, deal.stage_id, deal.status = stage, stage.id, stage.kind
            deal.closed_at = None
            self.deals.record(
                deal, actor, EventKind.stage, old=stage_ref(old_stage), new=stage_ref(stage)
            )
        self.deals.touch(deal)
        await self.session.flush()
        return True

    async def set_source(self, actor: User, deal: Deal, source_id: int | None) -> bool:
        source = None
        if source_id is not None:
            source = await self.session.get(Source, source_id)
            if source is None or source.is_archived:
                raise NotFound("deal.source_gone")
        if deal.source_id == (source.id if source else None):
            return False
        old = deal.source_id
        deal.source, deal.source_id = source, source.id if source else None
        self._changed(actor, deal, SOURCE, old, deal.source_id)
        await self.session.flush()
        return True

    # -- contacts ----------------------------------------------------------------------------
    async def add_contact(self, actor: User, deal: Deal, raw: str | None) -> AddedContact:
        """Add an e-mail, phone or link. Refuses what doesn't parse and what the deal already
        has; returns other open deals with the same e-mail/phone (a warning, not a refusal)."""
        try:
            parsed = parse_contact(raw or "")
        except ContactError as exc:
            raise InvalidInput(f"edit.contact_{exc.reason}", value=exc.raw[:100]) from None
        if any(c.kind is parsed.kind and c.normalized == parsed.normalized for c in deal.contacts):
            raise InvalidInput("edit.contact_exists", value=parsed.value)
        if len(deal.contacts) >= MAX_CONTACTS:
            raise InvalidInput("edit.contacts_full", limit=MAX_CONTACTS)
        duplicates = await self.deals.find_duplicates([parsed], exclude_deal_id=deal.id)
        contact = Contact(kind=parsed.kind, value=parsed.value, normalized=parsed.normalized)
        deal.contacts.append(contact)
        self._changed(actor, deal, CONTACT, None, parsed.value)
        await self.session.flush()
        return AddedContact(contact, duplicates)

    async def remove_contact(self, actor: User, deal: Deal, contact_id: int) -> Contact:
        contact = next((c for c in deal.contacts if c.id == contact_id), None)
        if contact is None:
            raise NotFound("edit.contact_gone")
        # The deal's contact persons count too: a deal with a person says whom it is with.
        self._keep_someone(
            deal.client_name, deal.company, len(deal.contacts) - 1 + len(deal.persons)
        )
        deal.contacts.remove(contact)  # delete-orphan removes the row
        self._changed(actor, deal, CONTACT, contact.value, None)
        await self.session.flush()
        return contact

    @staticmethod
    def _keep_someone(client: str | None, company: str | None, contacts: int) -> None:
        """A deal must say whom it is with: a client, a company or a contact."""
        if client is None and company is None and contacts == 0:
            raise InvalidInput("deal.needs_client")

    def _changed(self, actor: User, deal: Deal, name: str, old: object, new: object) -> None:
        self.deals.record(deal, actor, EventKind.field, field=name, old=old, new=new)
        self.deals.touch(deal)
        if name in (TITLE, CLIENT, COMPANY, CONTACT):
            deal.refresh_search_text()  # what search looks in (contacts are loaded here)

    # -- delete / restore --------------------------------------------------------------------
    async def soft_delete(self, actor: User, deal: Deal) -> bool:
        """Move to the trash (restorable). False when it is there already (a double tap)."""
        if deal.deleted_at is not None:
            return False
        deal.deleted_at = self.crm.clock()
        deal.deleted_by_id = actor.id
        self.deals.record(deal, actor, EventKind.deleted)
        self.deals.touch(deal)
        await self.session.flush()
        return True

    async def restore(self, actor: User, deal: Deal) -> bool:
        if deal.deleted_at is None:
            return False
        deal.deleted_at = None
        deal.deleted_by_id = None
        self.deals.record(deal, actor, EventKind.restored)
        self.deals.touch(deal)
        await self.session.flush()
        return True

    async def hard_delete(self, actor: User, deal: Deal) -> None:
        """Admin only, and only from the trash: the row goes, with its contacts, notes and
        events (ON DELETE CASCADE). Nothing of it is left to audit, so it is logged."""
        if not can_hard_delete(actor.role):
            logger.warning(
                "hard delete refused: user %s (%s), deal %s", actor.id, actor.role, deal.id
            )
            raise AccessDenied("delete.hard_not_allowed")
        if deal.deleted_at is None:
            raise Conflict("deal.changed")
        logger.info("deal %s deleted forever by user %s", deal.id, actor.id)
        logger.debug("deal %s deleted forever had the title %r", deal.id, deal.title)
        await self.session.delete(deal)
        await self.session.flush()

    # -- reassign ----------------------------------------------------------------------------
    async def reassign_candidates(
        self, actor: User, deal: Deal, page: int, per_page: int
    ) -> Candidates:
        """Whom ``actor`` may hand the deal to: a lead their active team (themself included),
        an admin every active lead and manager. The current owner is left out."""
        if not can_reassign(actor):
            raise AccessDenied("reassign.not_allowed")
        query = select(User).where(
            User.is_active.is_(True), User.role.in_(OWNER_ROLES), User.id != deal.owner_id
        )
        if actor.role is Role.lead:
            mine = User.id == actor.id
            query = query.where(mine | (User.team_id == actor.team_id) if actor.team_id else mine)
        total = int(
            await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        )
        pages = max(1, math.ceil(total / per_page))
        page = min(max(page, 0), pages - 1)
        users = await self.session.scalars(
            query.order_by(User.full_name, User.id).offset(page * per_page).limit(per_page)
        )
        return Candidates(list(users), page, pages)

    async def reassign(self, actor: User, deal: Deal, new_owner_id: int) -> Reassigned | None:
        """Hand the deal to another owner; None when they own it already."""
        if not can_reassign(actor):
            logger.warning("reassign refused: user %s (%s), deal %s", actor.id, actor.role, deal.id)
            raise AccessDenied("reassign.not_allowed")
        old_owner = deal.owner
        if new_owner_id == old_owner.id:
            return None
        new_owner = await self.session.get(User, new_owner_id)
        if new_owner is None or not new_owner.is_active:
            raise NotFound("error.user_not_found")
        allowed = new_owner.role in OWNER_ROLES and (
            actor.role is Role.admin
            or new_owner.id == actor.id
            or (actor.team_id is not None and new_owner.team_id == actor.team_id)
        )
        if not allowed:
            raise AccessDenied("deal.cannot_assign")
        self.move_owner(actor, deal, new_owner)
        await self.session.flush()
        return Reassigned(deal, old_owner, new_owner)

    def move_owner(self, actor: User, deal: Deal, new_owner: User) -> None:
        """The owner change itself, audited (``deal.owner`` and contacts loaded; rights
        checked by the caller): also used by the hand-over of a leaver's deals."""
        old_owner = deal.owner
        deal.owner, deal.owner_id = new_owner, new_owner.id
        # A timed next step is the owner's wall-clock time: its instant moves with the owner.
        self.deals.apply_next_action(deal, deal.next_action_on, deal.next_action_time, new_owner)
        self.deals.record(
            deal, actor, EventKind.owner, old=old_owner.full_name, new=new_owner.full_name
        )
        # The title's prefix follows the owner, unless the title was typed by hand.
        title = retitle(deal.title, old_owner, new_owner, (deal.client_name, deal.company))
        if title is not None:
            self.deals.record(deal, actor, EventKind.field, field=TITLE, old=deal.title, new=title)
            deal.title = title
            deal.refresh_search_text()
        self.deals.touch(deal)

    # -- history -----------------------------------------------------------------------------
    async def history(
        self, actor: User, deal_id: int, page: int = 0, per_page: int = HISTORY_PAGE
    ) -> HistoryPage:
        """A page of the deal's events, newest first, with the users, stages, pipelines and
        sources their ids refer to (a handful of queries, whatever the page holds)."""
        deal = await self.deals.get_for(actor, deal_id)
        total = int(
            await self.session.scalar(select(func.count()).where(DealEvent.deal_id == deal.id)) or 0
        )
        pages = max(1, math.ceil(total / per_page))
        page = min(max(page, 0), pages - 1)
        events = list(
            await self.session.scalars(
                select(DealEvent)
                .where(DealEvent.deal_id == deal.id)
                .order_by(DealEvent.at.desc(), DealEvent.id.desc())
                .offset(page * per_page)
                .limit(per_page)
            )
        )
        result = HistoryPage(deal, events, page, pages, total)

        def refs(match: Callable[[DealEvent], bool]) -> set[str]:
            return {v for e in events if match(e) for v in (e.old, e.new) if v is not None}

        user_ids = {e.actor_id for e in events if e.actor_id is not None}
        if user_ids:
            users = await self.session.scalars(select(User).where(User.id.in_(user_ids)))
            result.users = {user.id: user for user in users}
        await self._catalog_refs(Stage, refs(lambda e: e.kind is EventKind.stage), result.stages)
        await self._catalog_refs(Pipeline, refs(lambda e: e.field == PIPELINE), result.pipelines)
        await self._catalog_refs(Source, refs(lambda e: e.field == SOURCE), result.sources)
        return result

    async def _catalog_refs(
        self, model: type[_Catalog], values: set[str], target: dict[str, _Catalog]
    ) -> None:
        """The catalog rows that events refer to, keyed by id and by code, into ``target``."""
        if not values:
            return
        rows = await self.session.scalars(
            select(model).where(model.id.in_(_ids(values)) | model.code.in_(values))
        )
        for row in rows:
            target[str(row.id)] = row
            if row.code:
                target[row.code] = row
