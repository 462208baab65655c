"""The ⬇️ Excel · ⬇️ CSV row under a deal list (handlers/export.py answers it)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton

from bot.callbacks.imports import ExportCb
from bot.i18n import Tr
from bot.keyboards.buttons import button, pack
from models.services.deal_lists import ListFilter, ListKind
from models.services.export import ExportFormat


def export_row(kind: ListKind, f: ListFilter, tr: Tr, q: int = 0) -> list[InlineKeyboardButton]:
    def one(fmt: ExportFormat, key: str) -> InlineKeyboardButton:
        # Packed without pydantic (bot/keyboards/buttons.py): under every list.
        data = pack(
            ExportCb, kind=kind, fmt=fmt, pipeline=f.pipeline_id or 0, stage=f.stage_id or 0,
            owner=f.owner_id or 0, q=q,
        )  # fmt: skip
        return button(tr(key), data)

    return [one(ExportFormat.xlsx, "export.btn_xlsx"), one(ExportFormat.csv, "export.btn_csv")]
