"""/newform and /forms in the chat: an admin creates a form (its URL shown once, only the
token's hash stored), lists and revokes it (its URL then answers 404); nobody else can, and
never in a group."""

from __future__ import annotations

import re

from sqlalchemy import select

from models import IntakeForm, Pipeline, Source, Team
from models.roles import Role
from models.services.intake_forms import token_hash
from tests.conftest import App
from tests.intake_support import in_group, make_team, web_client


async def test_an_admin_creates_lists_and_revokes_a_form(app: App) -> None:
    admin_client, _admin = await app.add_user(Role.admin)
    await make_team(app)
    await admin_client.send("/newform Лендинг осень; продажи; Avito")
    shown = admin_client.last_message()
    match = re.search(r"http://127\.0\.0\.1:8080/intake/([A-Za-z0-9_-]{32})", shown.text)
    assert match, shown.text
    token = match.group(1)
    form = await app.scalar(select(IntakeForm))
    assert form.token_hash == token_hash(token) and token not in form.token_hash
    assert form.name == "Лендинг осень"
    team = await app.scalar(select(Team).where(Team.id == form.team_id))
    source = await app.scalar(select(Source).where(Source.id == form.source_id))
    pipeline = await app.scalar(select(Pipeline).where(Pipeline.id == form.pipeline_id))
    assert (team.name, source.name, pipeline.name) == ("Продажи", "Avito", "10 Неразобранные")
    await admin_client.send("/forms")
    listing = admin_client.last_message()
    assert "Лендинг осень" in listing.text and "Продажи" in listing.text
    assert token not in listing.text  # the secret is shown once only
    await admin_client.press("Отозвать: Лендинг осень")
    assert (await app.scalar(select(IntakeForm.revoked_at))) is not None
    assert "Форм заявок пока нет" in admin_client.last_message().text
    async with web_client(app) as http:
        response = await http.post(f"/intake/{token}", json={"phone": "+79991234567"})
        assert response.status == 404


async def test_unknown_names_and_a_missing_name_are_refused_politely(app: App) -> None:
    admin_client, _admin = await app.add_user(Role.admin)
    for text, answer in (
        ("/newform", "Напишите название формы"),
        ("/newform Лендинг; Нет такой", "Команда «Нет такой» не найдена."),
        ("/newform Лендинг; ; Нет источника", "Источник «Нет источника» не найден."),
        ("/newform Лендинг; ; ; <b>x</b>", "Воронка «&lt;b&gt;x&lt;/b&gt;» не найдена."),
    ):
        await admin_client.send(text)
        assert answer in admin_client.last_message().html, text
    assert await app.count(IntakeForm) == 0


async def test_nobody_but_an_admin_manages_forms_and_never_in_a_group(app: App) -> None:
    _team, (lead_client, _lead), people = await make_team(app)
    admin_client, _admin = await app.add_user(Role.admin)
    for client in (lead_client, people[0][0]):
        await client.send("/newform Лендинг")
        assert client.last_message().text == "Формы заявок настраивает администратор."
        await client.send("/forms")
        assert client.last_message().text == "Формы заявок настраивает администратор."
    group = in_group(admin_client)
    await group.send("/newform Лендинг")
    assert "в личном чате" in group.last_message().text
    assert await app.count(IntakeForm) == 0
    await admin_client.send("/newform Лендинг")
    form_id = await app.scalar(select(IntakeForm.id))
    await people[0][0].press_data(f"if:{form_id}", admin_client.last_message())
    assert (await app.scalar(select(IntakeForm.revoked_at))) is None
