"""/people: admins see everybody, leads their team: role, team, last activity, reachable
or not. Deactivate / reactivate (admins; a lead for their team's managers and operators),
role and team (admins), and the hand-over of a leaver's open deals in one step.

Every button re-reads the person and re-checks the rights (a button can outlive both);
the services refuse what nobody may do (the last admin, another team, a deactivated new
owner) and the error handler says why."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks.people import PeopleAction, PeopleCb
from bot.i18n import Tr, Translator
from bot.render.people import (
    PAGE_SIZE,
    ROLE_ORDER,
    render_deactivate_confirm,
    render_handover_confirm,
    render_handover_picker,
    render_people,
    render_person,
    render_role_picker,
    render_team_picker,
)
from handlers.stats import edit_or_send
from models.crm import Crm
from models.errors import AccessDenied, InvalidInput
from models.roles import Role
from models.services.people import HandOver, People
from models.users import User

logger = logging.getLogger(__name__)

A = PeopleAction


async def people_command(message: Message, crm: Crm, user: User, tr: Tr) -> None:
    page = await crm.people.page(user, 0, PAGE_SIZE)  # a manager is refused here
    text, markup = render_people(page, user, tr)
    await message.answer(text, reply_markup=markup)


def _admin_only(user: User) -> None:
    if user.role is not Role.admin:
        raise AccessDenied("people.admin_only")


def _manager_of(user: User, target: User) -> None:
    if not People.may_manage(user, target):
        raise AccessDenied("people.not_yours")


async def people_pressed(
    query: CallbackQuery,
    callback_data: PeopleCb,
    bot: Bot,
    crm: Crm,
    user: User,
    tr: Tr,
    translator: Translator,
) -> None:
    action, page = callback_data.action, callback_data.page
    people = crm.people
    if action is A.page:
        listing = await people.page(user, page, PAGE_SIZE)
        await query.answer()
        await edit_or_send(query, bot, *render_people(listing, user, tr))
        return
    person = await people.get_for(user, callback_data.user_id)
    target = person.user
    notice: str | None = None
    screen: tuple[str, InlineKeyboardMarkup] | None = None
    if action is A.deactivate:
        _manager_of(user, target)
        if target.is_active:
            screen = render_deactivate_confirm(target, tr, page)
        else:
            notice = tr("people.already")
    elif action in (A.deactivate_yes, A.reactivate):
        active = action is A.reactivate
        if await people.set_active(user, target, active):
            logger.info("user %s set user %s active=%s", user.id, target.id, active)
            if active:
                notice = tr("people.reactivated")
            elif person.open_deals:
                notice = tr("people.deactivated_deals", n=person.open_deals)
            else:
                notice = tr("people.deactivated")
        else:
            notice = tr("people.already")  # a double tap, or somebody else was quicker
    elif action is A.roles:
        _admin_only(user)
        screen = render_role_picker(target, tr, page)
    elif action is A.set_role:
        _admin_only(user)
        if not 1 <= callback_data.item <= len(ROLE_ORDER):
            raise InvalidInput("error.invalid_input")
        role = ROLE_ORDER[callback_data.item - 1]
        changed = await people.set_role(user, target, role)
        logger.info("user %s set the role of user %s to %s", user.id, target.id, role)
        notice = tr("people.role_saved", role=tr(f"role.{role}")) if changed else None
        notice = notice or tr("people.already")
    elif action is A.teams:
        _admin_only(user)
        teams = await people.teams()
        screen = render_team_picker(target, teams, tr, page, callback_data.item)
    elif action is A.set_team:
        _admin_only(user)
        team_id = callback_data.item or None
        changed = await people.set_team(user, target, team_id)
        person = await people.get_for(user, target.id)  # the team relation, reloaded
        team = person.user.team.name if person.user.team else tr("people.no_team")
        notice = tr("people.team_saved", team=team) if changed else tr("people.already")
    elif action is A.handover:
        _manager_of(user, target)
        if person.open_deals:
            candidates = await people.handover_candidates(user, target)
            screen = render_handover_picker(person, candidates, tr, page, callback_data.item)
        else:
            notice = tr("people.nothing_to_hand")
    elif action is A.handover_pick:
        _manager_of(user, target)
        new_owner = await crm.accounts.get(callback_data.item)
        if not new_owner.is_active:
            raise InvalidInput("people.handover_inactive")
        if person.open_deals:
            screen = render_handover_confirm(person, new_owner, tr, page)
        else:
            notice = tr("people.nothing_to_hand")
    elif action is A.handover_yes:
        done = await people.hand_over(user, target, callback_data.item)
        if done.count:
            logger.info(
                "user %s handed %s deals of user %s to user %s",
                user.id,
                done.count,
                target.id,
                done.new_owner.id,
            )
            notice = tr("people.handed", n=done.count, new=done.new_owner.full_name)
        else:
            notice = tr("people.nothing_to_hand")  # a second tap: nothing left to move
        person = await people.get_for(user, target.id)
        await query.answer(notice)
        await edit_or_send(
            query,
            bot,
            *render_person(
                person, user, tr, manage=People.may_manage(user, target), notice=notice, page=page
            ),
        )
        if done.count and done.new_owner.id != user.id:
            await _notify(bot, crm, translator, user, done)
        return
    if screen is None:
        if action not in (A.open,):
            person = await people.get_for(user, target.id)
        manage = People.may_manage(user, person.user)
        screen = render_person(person, user, tr, manage=manage, notice=notice, page=page)
    await query.answer(notice)
    await edit_or_send(query, bot, *screen)


async def _notify(bot: Bot, crm: Crm, translator: Translator, actor: User, done: HandOver) -> None:
    """Tell the new owner once, with the count; a blocked bot doesn't undo the hand-over."""
    owner = done.new_owner
    tr = translator.for_locale(owner.language)
    text = tr(
        "people.handover_notify", n=done.count, old=done.leaver.full_name, actor=actor.full_name
    )
    try:
        await bot.send_message(owner.telegram_id, text)
    except TelegramForbiddenError:
        logger.info("user %s blocked the bot: hand-over not delivered", owner.id)
        await crm.accounts.mark_unreachable(owner.id)
    except TelegramBadRequest as exc:
        logger.warning("hand-over not delivered to user %s: %s", owner.id, exc.message)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(people_command, Command("people"))
    router.callback_query.register(people_pressed, PeopleCb.filter())
    return router
