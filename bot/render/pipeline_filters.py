"""The pipeline picker of My deals: every pipeline, a number group ("Группа 1") or a family
("Магазин: все" — every shop pipeline) at once, and the single pipelines, most used first,
8 a page. Pure: data in, text + keyboard out."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks.lists import ListCb, ListPickCb, Pick
from bot.callbacks.pipeline_filters import ListSetCb
from bot.i18n import Tr
from bot.render.format import clip
from models.catalog import Pipeline
from models.services.deal_lists import ListFilter, ListKind
from models.services.pipeline_filters import Family

PAGE_SIZE = 8
GROUPS_A_ROW = 5
LABEL_CLIP = 48


def _b(text: str, data: ListCb | ListPickCb | ListSetCb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _mark(text: str, selected: bool) -> str:
    return f"✓ {text}" if selected else text


def render_set_picker(
    kind: ListKind,
    f: ListFilter,
    groups: Sequence[int],
    families: Sequence[Family],
    pipelines: Sequence[Pipeline],
    page: int,
    q: int,
    tr: Tr,
) -> tuple[str, InlineKeyboardMarkup]:
    stage, owner = f.stage_id or 0, f.owner_id or 0
    none = not (f.pipeline_id or f.group or f.name or f.family)
    rows: list[list[InlineKeyboardButton]] = [
        [_b(_mark(tr("lists.btn_all"), none), ListCb(kind=kind, stage=stage, owner=owner))]
    ]
    group_buttons = [
        _b(
            _mark(tr("lists.btn_group", group=g), f.group == g),
            ListSetCb(kind=kind, group=g, stage=stage, owner=owner),
        )
        for g in groups
    ]
    rows += [group_buttons[i : i + GROUPS_A_ROW] for i in range(0, len(group_buttons), 5)]
    family_buttons = [
        _b(
            _mark(tr("lists.btn_family", name=fam.word), f.family == fam.word),
            ListSetCb(kind=kind, family=fam.pipeline_id, stage=stage, owner=owner),
        )
        for fam in families
    ]
    rows += [family_buttons[i : i + 2] for i in range(0, len(family_buttons), 2)]
    pages = max(1, -(-len(pipelines) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    for p in pipelines[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        label = _mark(clip(p.label(tr.locale), LABEL_CLIP), p.id == f.pipeline_id)
        rows.append([_b(label, ListCb(kind=kind, pipeline=p.id, stage=stage, owner=owner))])
    if pages > 1:

        def to(n: int, text: str) -> InlineKeyboardButton:
            data = ListPickCb(kind=kind, what=Pick.pipeline, stage=stage, owner=owner, page=n)
            return _b(text, data)

        nav = []
        if page > 1:
            nav.append(to(page - 1, tr("common.prev")))
        nav.append(to(page, tr("common.page", page=page, pages=pages)))
        if page < pages:
            nav.append(to(page + 1, tr("common.next")))
        rows.append(nav)
    back = ListCb(kind=kind, pipeline=f.pipeline_id or 0, stage=stage, owner=owner, q=q)
    rows.append([_b(tr("lists.btn_back"), back)])
    return tr("lists.pick_pipeline_groups"), InlineKeyboardMarkup(inline_keyboard=rows)
