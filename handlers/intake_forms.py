"""/forms and /newform: an admin lists, creates and revokes the website forms of web-form
intake. Private chat only: the token /newform shows is a secret."""

from __future__ import annotations

from urllib.parse import urlsplit

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.callbacks.intake import FormCb
from bot.i18n import Tr
from bot.render.intake import forms_markup, forms_text
from bot.settings import Settings
from models import User
from models.crm import Crm
from models.services.intake_forms import IntakeForms


def intake_base_url(settings: Settings) -> str:
    """Where websites post: INTAKE_BASE_URL, else the webhook's origin, else host:port."""
    if settings.intake_base_url:
        return settings.intake_base_url.rstrip("/")
    if settings.webhook_url:
        parts = urlsplit(settings.webhook_url)
        return f"{parts.scheme}://{parts.netloc}"
    return f"http://{settings.web_host}:{settings.listen_port or 8080}"


async def forms_command(message: Message, crm: Crm, user: User, tr: Tr) -> None:
    if message.chat.type != "private":
        await message.answer(tr("intake.private_only"))
        return
    forms = await IntakeForms(crm).forms(user)
    await message.answer(forms_text(forms, tr), reply_markup=forms_markup(forms, tr))


async def newform_command(
    message: Message, command: CommandObject, crm: Crm, user: User, tr: Tr, settings: Settings
) -> None:
    """``/newform Name; team; source; pipeline`` (all after the name optional)."""
    if message.chat.type != "private":
        await message.answer(tr("intake.private_only"))
        return
    parts = [part.strip() for part in (command.args or "").split(";")]
    name, team, source, pipeline = [*parts, "", "", ""][:4]
    intake = IntakeForms(crm)
    form, token = await intake.create_form(
        user, name, team=team or None, source=source or None, pipeline=pipeline or None
    )
    view = next(v for v in await intake.forms(user) if v.form.id == form.id)
    none = tr("intake.form_none")
    await message.answer(
        tr(
            "intake.form_created",
            name=form.name,
            url=f"{intake_base_url(settings)}/intake/{token}",
            team=view.team or none,
            source=view.source or none,
            pipeline=view.pipeline or none,
        )
    )


async def revoke_pressed(
    query: CallbackQuery, callback_data: FormCb, crm: Crm, user: User, tr: Tr
) -> None:
    intake = IntakeForms(crm)
    form = await intake.revoke(user, callback_data.form_id)
    await query.answer(tr("intake.revoked", name=form.name))
    forms = await intake.forms(user)
    if isinstance(query.message, Message):
        await query.message.edit_text(forms_text(forms, tr), reply_markup=forms_markup(forms, tr))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(forms_command, Command("forms"))
    router.message.register(newform_command, Command("newform"))
    router.callback_query.register(revoke_pressed, FormCb.filter())
    return router
