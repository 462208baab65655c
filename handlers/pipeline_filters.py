"""My deals (a lead: the team's) filtered by several pipelines at once: a number group or a
part of the name. Typed: ``/my магазин`` (every shop pipeline), ``/my 5`` (group 5); or in
the list: 🗂 Воронка -> "Магазин: все" / "Группа 1".

The set (it does not fit in callback data) is kept in FSM data with a serial number, which
the list's buttons carry as ``ListCb.q``; a button of an older set says so instead of showing
the wrong deals. Choosing one pipeline, or resetting the filters, drops the set."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.filters import CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks.lists import ListCb
from bot.callbacks.pipeline_filters import ListSetCb
from bot.i18n import Tr
from bot.render.deal_list import render_deal_list
from bot.render.pipeline_filters import render_set_picker
from models.crm import Crm
from models.errors import InvalidInput
from models.services import pipeline_filters as pf
from models.services.deal_lists import ListFilter, ListKind
from models.users import User

SET_KEY = "dl_pset"
MAX_GROUP = 999


async def current_set(state: FSMContext) -> dict[str, Any] | None:
    data = await state.get_data()
    kept = data.get(SET_KEY)
    return kept if isinstance(kept, dict) else None


def with_set(filters: ListFilter, kept: dict[str, Any] | None) -> ListFilter:
    if not kept:
        return filters
    return ListFilter(
        None,
        filters.stage_id,
        filters.owner_id,
        kept.get("g") or None,
        kept.get("t") or None,
        kept.get("w") or None,
    )


async def filters_of(state: FSMContext, data: ListCb, filters: ListFilter) -> ListFilter:
    """The filters of a list button: with the kept set when the button was drawn for it."""
    if not data.q or data.kind is ListKind.search:
        return filters
    kept = await current_set(state)
    if kept is None or kept.get("n") != data.q:
        raise InvalidInput("lists.set_expired")
    return with_set(filters, kept)


async def _remember(state: FSMContext, filters: ListFilter, serial: int) -> None:
    kept = {"g": filters.group, "t": filters.name, "w": filters.family, "n": serial}
    await state.update_data({SET_KEY: kept})


async def my_command(
    message: Message, command: CommandObject, state: FSMContext, crm: Crm, user: User, tr: Tr
) -> None:
    """/my, /mydeals [group number | part of a pipeline's name]."""
    await state.clear()  # a command leaves whatever flow was running
    args = " ".join((command.args or "").split())
    filters = ListFilter()
    serial = 0
    if args:
        filters = await _parse(crm, args)
        serial = message.message_id
        await _remember(state, filters, serial)
    page = await crm.lists.page(user, ListKind.mine, 1, filters)
    text, markup = render_deal_list(page, user, tr, q=serial)
    await message.answer(text, reply_markup=markup)


async def _parse(crm: Crm, args: str) -> ListFilter:
    if args.isdigit():
        group = int(args[:4])
        groups = await pf.groups(crm.session)
        if group > MAX_GROUP or group not in groups:
            raise InvalidInput(
                "lists.no_group", group=args[:4], groups=", ".join(str(g) for g in groups)
            )
        return ListFilter(group=group)
    part = pf.folded_part(args)
    if not await pf.named(crm.session, part):
        raise InvalidInput("lists.name_no_match", name=args)
    return ListFilter(name=part)


async def set_pressed(
    query: CallbackQuery,
    callback_data: ListSetCb,
    state: FSMContext,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
) -> None:
    """A group or a family chosen in the pipeline picker."""
    from handlers.deal_lists import show_in_place

    group: int | None = callback_data.group or None
    family: str | None = None
    if callback_data.family:
        pipeline = await crm.catalogs.pipeline(callback_data.family)
        word = pf.first_word(pipeline.name) if pipeline is not None else ""
        if not word:
            raise InvalidInput("lists.set_expired")
        group, family = None, word
    stage, owner = callback_data.stage or None, callback_data.owner or None
    filters = ListFilter(None, stage, owner, group, None, family)
    serial = query.message.message_id if query.message else 1
    await _remember(state, filters, serial)
    page = await crm.lists.page(user, callback_data.kind, 1, filters)  # may refuse an owner
    await query.answer()
    text, markup = render_deal_list(page, user, tr, q=serial)
    await show_in_place(query, bot, text, markup)


async def pipeline_picker(
    crm: Crm, user: User, kind: ListKind, filters: ListFilter, page: int, q: int, tr: Tr
) -> tuple[str, Any]:
    groups = await pf.groups(crm.session)
    families = await pf.families(crm.session)
    pipelines = await crm.catalogs.pipelines_for(user, crm.clock())
    return render_set_picker(kind, filters, groups, families, pipelines, page, q, tr)
