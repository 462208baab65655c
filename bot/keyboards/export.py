"""The ⬇️ Excel · ⬇️ CSV row under a deal list (handlers/export.py answers it)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton

from bot.callbacks.imports import ExportCb
from bot.i18n import Tr
from models.services.deal_lists import ListFilter, ListKind
from models.services.export import ExportFormat


def export_row(kind: ListKind, f: ListFilter, tr: Tr, q: int = 0) -> list[InlineKeyboardButton]:
    def one(fmt: ExportFormat, key: str) -> InlineKeyboardButton:
        data = ExportCb(
            kind=kind, fmt=fmt, pipeline=f.pipeline_id or 0, stage=f.stage_id or 0,
            owner=f.owner_id or 0, q=q,
        )  # fmt: skip
        return InlineKeyboardButton(text=tr(key), callback_data=data.pack())

    return [one(ExportFormat.xlsx, "export.btn_xlsx"), one(ExportFormat.csv, "export.btn_csv")]
