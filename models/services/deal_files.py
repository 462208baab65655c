"""Files on a deal: attach (checked: size and type), list, fetch one for re-sending, delete.
Every attach and delete is an audit event (kind "field", field "file") and bumps the deal's
version, so the card's buttons drawn before it are stale."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from ..deals import Deal, EventKind
from ..errors import InvalidInput, NotFound
from ..files import DealFile, FileKind
from ..users import User

if TYPE_CHECKING:
    from ..crm import Crm

# Telegram lets a bot download files up to 20 MB (getFile). We keep only the file_id, so
# bigger files could be re-sent, but nothing else could ever read them (an export, a
# backup, a link for the client): what we accept stays usable by every later feature.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_NAME = 255
FILES_SHOWN = 20  # a list message: one row per file, well under Telegram's 100 buttons
FILE_FIELD = "file"  # DealEvent.field of file events
# Programs and scripts: a CRM has no business keeping them, and a colleague could run one.
REFUSED_EXTENSIONS = frozenset(
    {
        "apk", "app", "bat", "bin", "cmd", "com", "cpl", "dll", "dmg", "exe", "gadget", "hta",
        "jar", "js", "jse", "lnk", "msc", "msi", "msp", "pif", "ps1", "psm1", "reg", "scr",
        "sh", "sys", "vb", "vbe", "vbs", "ws", "wsf",
    }
)  # fmt: skip
REFUSED_MIME = frozenset(
    {
        "application/x-msdownload",
        "application/x-dosexec",
        "application/x-msdos-program",
        "application/x-executable",
        "application/x-sh",
        "application/vnd.android.package-archive",
        "application/java-archive",
        "application/x-ms-installer",
        "application/x-msi",
    }
)
SPREADSHEET_EXTENSIONS = frozenset({"xlsx", "xls", "csv"})


@dataclass(frozen=True)
class IncomingFile:
    """What Telegram told us about a file a user sent."""

    kind: FileKind
    file_id: str
    file_unique_id: str
    name: str | None = None
    mime_type: str | None = None
    size: int | None = None


def extension(name: str | None) -> str:
    if not name or "." not in name:
        return ""
    return name.rsplit(".", 1)[1].strip().lower()


def is_spreadsheet(name: str | None) -> bool:
    return extension(name) in SPREADSHEET_EXTENSIONS


def check_file(incoming: IncomingFile) -> None:
    """Refuse a file too big or of a refused type (InvalidInput with the reason's key)."""
    if incoming.size is not None and incoming.size > MAX_FILE_BYTES:
        raise InvalidInput(
            "file.too_big",
            size=round(incoming.size / 1024 / 1024, 1),
            limit=MAX_FILE_BYTES // 1024 // 1024,
        )
    ext = extension(incoming.name)
    if ext in REFUSED_EXTENSIONS or (incoming.mime_type or "").lower() in REFUSED_MIME:
        raise InvalidInput("file.refused_type", ext=ext or incoming.mime_type or "?")


class DealFiles:
    def __init__(self, crm: Crm) -> None:
        self.session = crm.session
        self.clock = crm.clock
        self.deals = crm.deals

    async def attach(self, actor: User, deal_id: int, incoming: IncomingFile) -> DealFile:
        """Attach to a deal ``actor`` may change (refuses: gone, no access, too big, type)."""
        deal = await self.deals.get_for(actor, deal_id, for_edit=True)
        check_file(incoming)
        name = (incoming.name or "").strip()[:MAX_NAME] or None
        row = DealFile(
            deal_id=deal.id,
            kind=incoming.kind,
            file_id=incoming.file_id,
            file_unique_id=incoming.file_unique_id,
            name=name,
            mime_type=(incoming.mime_type or None) and incoming.mime_type[:127],
            size=incoming.size,
            author_id=actor.id,
            created_at=self.clock(),
        )
        self.session.add(row)
        await self.session.flush()
        event = self.deals.event(
            deal, actor, EventKind.field, field=FILE_FIELD, new=self.label(row)
        )
        await self.deals.write(deal, {}, [event])
        self.deals.files_changed(deal, +1)
        return row

    async def of_deal(self, actor: User, deal_id: int) -> tuple[Deal, list[DealFile]]:
        deal = await self.deals.get_for(actor, deal_id)
        files = await self.session.scalars(
            select(DealFile)
            .where(DealFile.deal_id == deal.id)
            .order_by(DealFile.created_at, DealFile.id)
            .limit(FILES_SHOWN)
        )
        return deal, list(files)

    async def count(self, deal_id: int) -> int:
        total = await self.session.scalar(
            select(func.count()).select_from(DealFile).where(DealFile.deal_id == deal_id)
        )
        return int(total or 0)

    async def get_for(self, actor: User, file_id: int, *, for_edit: bool = False) -> DealFile:
        """A file of a deal ``actor`` may see (change, with ``for_edit``)."""
        row = await self.session.get(DealFile, file_id)
        if row is None:
            raise NotFound("file.gone")
        await self.deals.get_for(actor, row.deal_id, for_edit=for_edit)
        return row

    async def delete(self, actor: User, file_id: int) -> DealFile:
        """Delete a file (a second delete finds nothing: NotFound "file.gone")."""
        row = await self.get_for(actor, file_id, for_edit=True)
        deal = await self.deals.get_for(actor, row.deal_id, for_edit=True)
        event = self.deals.event(
            deal, actor, EventKind.field, field=FILE_FIELD, old=self.label(row)
        )
        await self.session.delete(row)
        await self.session.flush()
        await self.deals.write(deal, {}, [event])
        self.deals.files_changed(deal, -1)
        return row

    def label(self, row: DealFile) -> str:
        """The file's name for the history (a photo or a voice note has none: its kind)."""
        return row.name or row.kind.value
