"""The catalog editor's messages: the three catalogs, one catalog's page of items, one item
with its actions, a name prompt. Pure functions: data in, text + keyboard out; every name is
escaped (``tr`` escapes parameters)."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.catalogs import CatAction, CatCb, CatKind
from bot.i18n import Tr
from bot.render.format import clip
from models.catalog import Pipeline, Stage
from models.services.catalog_admin import MAX_NAME, Item, ItemInfo

PAGE_SIZE = 8
BUTTON_CLIP = 48
View = tuple[str, InlineKeyboardMarkup]


def _button(
    text: str, action: CatAction, kind: CatKind, item: int = 0, page: int = 0
) -> InlineKeyboardButton:
    data = CatCb(action=action, kind=kind, item=item, page=page).pack()
    return InlineKeyboardButton(text=text, callback_data=data)


def render_home(tr: Tr, notice: str | None = None) -> View:
    rows = [
        [_button(tr("catalogs.btn_pipelines"), CatAction.list, CatKind.pipeline)],
        [_button(tr("catalogs.btn_stages"), CatAction.list, CatKind.stage)],
        [_button(tr("catalogs.btn_sources"), CatAction.list, CatKind.source)],
    ]
    text = tr("catalogs.title")
    return (f"{notice}\n\n{text}" if notice else text), InlineKeyboardMarkup(inline_keyboard=rows)


def _label(item: Item, tr: Tr) -> str:
    return item.label(tr.locale)


def render_list(kind: CatKind, items: Sequence[Item], page: int, tr: Tr) -> View:
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    active = sum(1 for i in items if not i.is_archived)
    lines = [tr(f"catalogs.list_{kind.name}", n=active)]
    archived = len(items) - active
    if archived:
        lines.append(tr("catalogs.list_archived", n=archived))
    lines.append(tr("catalogs.list_hint"))
    if pages > 1:
        lines.append(tr("catalogs.page", page=page + 1, pages=pages))
    rows: list[list[InlineKeyboardButton]] = []
    start = page * PAGE_SIZE
    for n, item in enumerate(items[start : start + PAGE_SIZE], start=start + 1):
        mark = "🗄 " if item.is_archived else ""
        text = f"{n}. {mark}{clip(_label(item, tr), BUTTON_CLIP)}"
        rows.append([_button(text, CatAction.open, kind, item.id, page)])
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(_button(tr("common.prev"), CatAction.list, kind, page=page - 1))
        nav.append(
            _button(tr("common.page", page=page + 1, pages=pages), CatAction.list, kind, page=page)
        )
        if page < pages - 1:
            nav.append(_button(tr("common.next"), CatAction.list, kind, page=page + 1))
        rows.append(nav)
    rows.append([_button(tr("catalogs.btn_add"), CatAction.add, kind, page=page)])
    rows.append([_button(tr("catalogs.btn_home"), CatAction.home, kind)])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def render_item(
    kind: CatKind, info: ItemInfo, position: int, page: int, tr: Tr, notice: str | None = None
) -> View:
    item = info.item
    lines = [notice, ""] if notice else []
    lines.append(tr(f"catalogs.item_{kind.name}", name=item.name))
    if item.name_en and tr.locale == "en":
        lines.append(f"({clip(item.name_en, BUTTON_CLIP)})")
    if isinstance(item, Pipeline):
        if item.group_no is not None:
            lines.append(tr("catalogs.item_group", group=item.group_no))
        else:
            lines.append(tr("catalogs.item_no_group"))
    if isinstance(item, Stage):
        lines.append(tr(f"catalogs.kind_{item.kind.value}"))
    lines.append(tr("catalogs.item_position", n=position))
    lines.append(tr("catalogs.item_deals", n=info.deals, in_work=info.in_work))
    lines.append(tr("catalogs.item_archived" if item.is_archived else "catalogs.item_active"))
    i = item.id
    rows = [
        [_button(tr("catalogs.btn_rename"), CatAction.rename, kind, i, page)],
        [
            _button(tr("catalogs.btn_up"), CatAction.up, kind, i, page),
            _button(tr("catalogs.btn_down"), CatAction.down, kind, i, page),
        ],
    ]
    if item.is_archived:
        rows.append([_button(tr("catalogs.btn_restore"), CatAction.restore, kind, i, page)])
    else:
        rows.append([_button(tr("catalogs.btn_archive"), CatAction.archive, kind, i, page)])
    rows.append([_button(tr("catalogs.btn_to_list"), CatAction.list, kind, page=page)])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def render_prompt(kind: CatKind, item: Item | None, page: int, tr: Tr) -> View:
    if item is None:
        text = tr(f"catalogs.ask_add_{kind.name}", limit=MAX_NAME)
    else:
        text = tr("catalogs.ask_rename", name=item.name, limit=MAX_NAME)
    cancel = _button(tr("common.cancel"), CatAction.cancel, kind, item.id if item else 0, page)
    return text, InlineKeyboardMarkup(inline_keyboard=[[cancel]])
