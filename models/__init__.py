"""The CRM core: entities and domain services. Imports neither aiogram nor other project
packages, so handlers, the scheduler, import scripts or a web API can all use it."""

from .base import Base
from .catalog import CatalogEvent, Pipeline, Source, Stage, StageKind
from .deals import Contact, Deal, DealEvent, EventKind, Note
from .notifications import SentNotification
from .plans import Plan
from .reliability import FsmState, ProcessedUpdate, SchedulerLease
from .roles import Role
from .users import Invite, Team, User

__all__ = [
    "Base",
    "CatalogEvent",
    "Contact",
    "Deal",
    "DealEvent",
    "EventKind",
    "FsmState",
    "Invite",
    "Note",
    "Pipeline",
    "Plan",
    "ProcessedUpdate",
    "Role",
    "SchedulerLease",
    "SentNotification",
    "Source",
    "Stage",
    "StageKind",
    "Team",
    "User",
]
