"""The import's messages: the dry run with its mapping, the column and field pickers, progress,
the summary, and the rejected rows as a .csv. Pure functions."""

from __future__ import annotations

import csv
import html
import io
from collections import Counter
from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.imports import ImportAction, ImportCb
from bot.i18n import Html, Tr
from bot.render.format import clip, fmt_date
from models.import_columns import ImportField
from models.import_files import Table
from models.import_rows import Rejected, as_text
from models.services.imports import ImportPlan
from models.timeutil import local_now

SHOWN_ROWS = 10
SHOWN_NAMES = 5
HEADER_CLIP = 30
TEXT_LIMIT = 4096


def field_label(field: ImportField | None, tr: Tr) -> str:
    return tr(f"import.field.{int(field)}") if field is not None else tr("import.ignored")


def reason_text(item: Rejected, tr: Tr) -> str:
    return tr(f"import.reason.{item.reason}", value=item.value, other=item.other)


def _names(counter: Counter[str], tr: Tr) -> str:
    items = [tr("import.item", name=clip(n, 40), n=c) for n, c in counter.most_common(SHOWN_NAMES)]
    if len(counter) > SHOWN_NAMES:
        items.append(tr("import.more", n=len(counter) - SHOWN_NAMES))
    return ", ".join(items)


def _rows_block(head: str, items: Sequence[Rejected], tr: Tr) -> list[str]:
    lines = [head]
    for item in items[:SHOWN_ROWS]:
        lines.append("  " + tr("import.row", row=item.number, reason=Html(reason_text(item, tr))))
    if len(items) > SHOWN_ROWS:
        lines.append("  " + tr("import.more", n=len(items) - SHOWN_ROWS))
    return lines


def render_summary(
    name: str,
    table: Table,
    mapping: Sequence[ImportField | None],
    plan: ImportPlan,
    token: int,
    tr: Tr,
    timezone: str,
) -> tuple[str, InlineKeyboardMarkup]:
    check = plan.check
    lines = [tr("import.summary_title", name=clip(name, 60)), ""]
    lines.append(tr("import.mapping_head"))
    for header, field in zip(table.headers, mapping, strict=False):
        lines.append(
            "  "
            + tr("import.mapping_line", column=clip(header or "—", HEADER_CLIP),
                 field=field_label(field, tr))
        )  # fmt: skip
    lines += ["", tr("import.rows_total", n=len(table.rows))]
    if plan.finished_before and plan.previous is not None:
        day = local_now(plan.previous.finished_at or plan.previous.started_at, timezone).date()
        lines.append(
            tr("import.done_before", date=fmt_date(day, tr), n=plan.previous.created_count)
        )
    else:
        if plan.skipped_done:
            lines.append(tr("import.resumed", n=plan.skipped_done))
        to_create = len(plan.to_create)
        lines.append(
            tr("import.will_create", n=to_create) if to_create else tr("import.nothing_to_create")
        )
        if check.rejected:
            bad = check.rejected
            lines += _rows_block(tr("import.rejected_head", n=len(bad)), bad, tr)
        if check.duplicates:
            dups = check.duplicates
            lines += _rows_block(tr("import.duplicates_head", n=len(dups)), dups, tr)
        for key, counter in (
            ("import.unknown_owners", check.unknown_owners),
            ("import.unknown_pipelines", check.unknown_pipelines),
            ("import.unknown_stages", check.unknown_stages),
            ("import.unknown_sources", check.unknown_sources),
        ):
            if counter:
                lines.append(tr(key, items=Html(_names(counter, tr))))
        if table.merged_ranges:
            lines.append(tr("import.merged", n=table.merged_ranges))
    text = "\n".join(lines)
    while len(text) > TEXT_LIMIT:  # a file with huge headers: drop detail, keep the verdict
        lines.pop(len(lines) // 2)
        text = "\n".join(lines)
    rows: list[list[InlineKeyboardButton]] = []
    if plan.to_create:
        confirm = tr("import.btn_confirm", n=len(plan.to_create))
        rows.append([_button(confirm, ImportAction.confirm, token)])
    rows.append([
        _button(tr("import.btn_columns"), ImportAction.columns, token),
        _button(tr("import.btn_cancel"), ImportAction.cancel, token),
    ])  # fmt: skip
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def _button(text: str, action: ImportAction, token: int, **values: int) -> InlineKeyboardButton:
    data = ImportCb(action=action, t=token, **values).pack()
    return InlineKeyboardButton(text=html.unescape(text), callback_data=data)


def render_columns(
    headers: Sequence[str], mapping: Sequence[ImportField | None], token: int, tr: Tr
) -> tuple[str, InlineKeyboardMarkup]:
    rows = [
        [
            _button(
                f"{clip(header or '—', HEADER_CLIP)} → {field_label(field, tr)}",
                ImportAction.column,
                token,
                col=index,
            )
        ]
        for index, (header, field) in enumerate(zip(headers, mapping, strict=False))
    ]
    rows.append([_button(tr("import.btn_back"), ImportAction.summary, token)])
    return tr("import.pick_column"), InlineKeyboardMarkup(inline_keyboard=rows[:100])


def render_fields(header: str, column: int, token: int, tr: Tr) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [
        _button(field_label(f, tr), ImportAction.set_field, token, col=column, f=int(f))
        for f in ImportField
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_button(tr("import.btn_ignore"), ImportAction.set_field, token, col=column, f=0)])
    rows.append([_button(tr("import.btn_back"), ImportAction.columns, token)])
    text = tr("import.pick_field", column=clip(header or "—", HEADER_CLIP))
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def rejected_csv(table: Table, plan: ImportPlan, tr: Tr) -> bytes:
    """The rows that were not written, as they were, with the reason first: fix and resend."""
    cells = dict(table.rows)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if tr.locale == "ru" else ",", lineterminator="\r\n")
    writer.writerow([tr("import.col.row"), tr("import.col.reason"), *table.headers])
    for item in plan.rejected:
        row = [as_text(c) or "" for c in cells.get(item.number, [])]
        writer.writerow([item.number, html.unescape(reason_text(item, tr)), *row])
    return out.getvalue().encode("utf-8-sig")
