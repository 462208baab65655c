"""The CRM core: entities and domain services. Imports neither aiogram nor other project
packages, so handlers, the scheduler, import scripts or a web API can all use it."""

from .absence import Absence
from .base import Base
from .catalog import CatalogEvent, Pipeline, Source, Stage, StageKind
from .deals import Contact, Deal, DealEvent, DealPerson, EventKind, Note
from .files import DealFile, FileKind
from .imports import ImportRun
from .intake import IntakeForm, IntakeKind, IntakeOutbox, IntakePost, IntakeRequest, TeamChat
from .notifications import SentNotification
from .plans import Plan
from .reliability import FsmState, ProcessedUpdate, SchedulerLease
from .roles import Role
from .users import Invite, Team, User

__all__ = [
    "Absence",
    "Base",
    "CatalogEvent",
    "Contact",
    "Deal",
    "DealEvent",
    "DealFile",
    "DealPerson",
    "EventKind",
    "FileKind",
    "FsmState",
    "ImportRun",
    "IntakeForm",
    "IntakeKind",
    "IntakeOutbox",
    "IntakePost",
    "IntakeRequest",
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
    "TeamChat",
    "User",
]
