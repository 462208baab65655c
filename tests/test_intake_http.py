"""POST /intake/<token> over real HTTP (aiohttp's test server, the production web app):
a request becomes a deal with note 01, a known contact a note on its open deal; hostile
input gets a JSON error and writes nothing."""

from __future__ import annotations

import asyncio
import datetime as dt

import aiohttp
import pytest
from sqlalchemy import select

from models import (
    Contact,
    Deal,
    DealEvent,
    IntakeForm,
    IntakePost,
    IntakeRequest,
    Note,
    Pipeline,
    Source,
    User,
)
from models.roles import Role
from tests.conftest import App
from tests.factories import make_deal
from tests.intake_support import drain, make_form, web_client
from web.app import INTAKE_KEY

FULL = {
    "name": "Анна Кузнецова",
    "email": "Anna@Firm.RU",
    "phone": "8 (999) 123-45-67",
    "message": "Нужен сайт для салона",
    "page_url": "https://example.ru/landing?x=1",
    "utm_source": "yandex",
    "utm_medium": "cpc",
    "utm_campaign": "autumn",
}


async def _nothing_written(app: App) -> None:
    assert await app.count(Deal) == 0
    assert await app.count(IntakeRequest) == 0
    assert await app.count(Note) == 0
    assert await app.count(DealEvent) == 0


async def test_a_request_becomes_an_unclaimed_deal_with_note_01(app: App) -> None:
    admin_client, admin = await app.add_user(Role.admin, name="Алла Админова")
    token = await make_form(app, admin)
    async with web_client(app) as http:
        response = await http.post(f"/intake/{token}", json=FULL)
        assert response.status == 201
        body = await response.json()
        await drain(http)
    deal = await app.scalar(select(Deal).where(Deal.id == body["deal"]))
    assert body == {"ok": True, "deal": deal.id}
    assert deal.owner_id == admin.id and deal.created_by_id is None  # held until claimed
    assert deal.client_name == "Анна Кузнецова"
    assert deal.next_action_on == dt.date(2026, 11, 27)  # due today
    assert deal.version == 1 and deal.created_at == deal.updated_at == app.clock()
    assert deal.title == "Лендинг — Анна Кузнецова"
    # Found by search like any deal (its columns are written without the ORM).
    for part in ("анна кузнецова", "anna@firm.ru", "999"):
        assert part in deal.search_text
    events = await app.all(select(DealEvent).where(DealEvent.deal_id == deal.id))
    assert [(e.kind, e.new, e.actor_id) for e in events] == [("created", deal.title, None)]
    pipeline = await app.scalar(select(Pipeline).where(Pipeline.id == deal.pipeline_id))
    assert pipeline.name == "10 Неразобранные"
    source = await app.scalar(select(Source).where(Source.id == deal.source_id))
    assert source.code == "cetera"  # the handbook's Cetera.ru: the company's own site
    contacts = await app.all(select(Contact.normalized).where(Contact.deal_id == deal.id))
    assert sorted(contacts) == ["+79991234567", "anna@firm.ru"]
    note = await app.scalar(select(Note).where(Note.deal_id == deal.id))
    assert note.number == 1 and note.author_id is None
    assert note.text.startswith("Нужен сайт для салона")
    assert "URL: https://example.ru/landing?x=1" in note.text
    assert "UTM: utm_source=yandex&utm_medium=cpc&utm_campaign=autumn" in note.text
    request = await app.scalar(select(IntakeRequest))
    assert request.claimed_by_id is None and request.deal_id == deal.id
    assert request.page_url == FULL["page_url"]
    assert request.utm == "utm_source=yandex&utm_medium=cpc&utm_campaign=autumn"
    # No team: the admin gets it in private, with the Claim button.
    sent = admin_client.last_message()
    assert "Заявка с сайта" in sent.text and "Анна Кузнецова" in sent.text
    assert sent.buttons() == [["Взять"]]
    assert await app.count(IntakePost) == 1


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
async def test_form_fields_work_like_json(app: App, encoding: str) -> None:
    _client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    fields = {"name": "Пётр", "e-mail": "petr@firm.ru", "comment": "Перезвоните"}
    async with web_client(app) as http:
        if encoding == "urlencoded":
            response = await http.post(f"/intake/{token}", data=fields)
        else:
            form = aiohttp.FormData()
            for key, value in fields.items():
                form.add_field(key, value)
            form.add_field("file", b"binary", filename="x.bin")  # a file is ignored
            response = await http.post(f"/intake/{token}", data=form)
        assert response.status == 201, await response.text()
        await drain(http)
    note = await app.scalar(select(Note.text))
    assert note == "Перезвоните"
    assert await app.all(select(Contact.normalized)) == ["petr@firm.ru"]


async def test_a_known_open_contact_becomes_a_note_and_its_owner_is_told(app: App) -> None:
    _admin_client, admin = await app.add_user(Role.admin)
    owner_client, owner = await app.add_user(Role.manager, name="Мария Смирнова")
    deal = await make_deal(app, owner, contacts=("+7 999 123-45-67",))
    token = await make_form(app, admin)
    async with web_client(app) as http:
        response = await http.post(
            f"/intake/{token}", json={"phone": "+79991234567", "message": "Снова я"}
        )
        assert response.status == 200
        assert (await response.json()) == {"ok": True, "deal": deal.id}
        await drain(http)
    assert await app.count(Deal) == 1
    notes = await app.all(select(Note).where(Note.deal_id == deal.id))
    assert [(n.number, n.text) for n in notes] == [(1, "Снова я")]
    request = await app.scalar(select(IntakeRequest))
    assert request.kind == "known" and request.claimed_by_id == owner.id
    told = owner_client.last_message()
    assert "Повторная заявка" in told.text and "Снова я" in told.text
    assert told.buttons() == [["Открыть сделку"]]


@pytest.mark.parametrize(
    ("body", "headers", "status", "error"),
    [
        (b"{not json", {"Content-Type": "application/json"}, 400, "bad_json"),
        (b"[1, 2]", {"Content-Type": "application/json"}, 400, "bad_json"),
        (b"[" * 5000 + b"]" * 5000, {"Content-Type": "application/json"}, 400, "bad_json"),
        (b"\xff\xfe\x00", {"Content-Type": "application/json"}, 400, "bad_encoding"),
        (b'{"name": "x"}', {"Content-Type": "application/json"}, 400, "needs_contact"),
        (b'{"email": "not-an-email"}', {"Content-Type": "application/json"}, 400, "bad_email"),
        (b'{"phone": "12"}', {"Content-Type": "application/json"}, 400, "bad_phone"),
        (b'{"phone": {"$gt": ""}}', {"Content-Type": "application/json"}, 400, "not_a_string"),
        (b'{"phone": "+79991234567"}', {"Content-Type": "text/plain"}, 415, None),
        (b'{"phone": "+79991234567"}', {"Content-Type": "application/xml"}, 415, None),
        (b"phone=%2B79991234567", {}, 415, None),  # no content type at all
    ],
)
async def test_hostile_bodies_get_a_json_error_and_write_nothing(
    app: App, body: bytes, headers: dict[str, str], status: int, error: str | None
) -> None:
    _client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    async with web_client(app) as http:
        response = await http.post(f"/intake/{token}", data=body, headers=headers)
        assert response.status == status
        payload = await response.json()
        assert payload["ok"] is False
        if error:
            assert payload["error"] == error
    await _nothing_written(app)


async def test_a_field_too_long_is_refused(app: App) -> None:
    _client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    async with web_client(app) as http:
        response = await http.post(
            f"/intake/{token}", json={"phone": "+79991234567", "name": "Я" * 201}
        )
        assert response.status == 400
        assert (await response.json())["field"] == "name"
    await _nothing_written(app)


async def test_a_10_mb_body_is_refused_without_reading_it_whole(app: App) -> None:
    _client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    huge = b'{"phone": "+79991234567", "message": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    async with web_client(app) as http:
        response = await http.post(
            f"/intake/{token}", data=huge, headers={"Content-Type": "application/json"}
        )
        assert response.status == 413
        assert (await response.json())["error"] == "too_large"

        async def chunks():  # no Content-Length: the limit is met while reading
            for _ in range(10 * 16):
                yield b"x" * 65536

        response = await http.post(
            f"/intake/{token}", data=chunks(), headers={"Content-Type": "application/json"}
        )
        assert response.status == 413
    await _nothing_written(app)


async def test_unknown_and_revoked_tokens_get_the_same_404(app: App) -> None:
    _client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    async with app.session_factory() as session, session.begin():
        form = await session.scalar(select(IntakeForm))
        assert form is not None
        form.revoked_at = app.clock()
    async with web_client(app) as http:
        for path in (f"/intake/{token}", "/intake/" + "A" * 32, "/intake/short", "/intake/a%00b"):
            response = await http.post(path, json={"phone": "+79991234567"})
            assert response.status == 404, path
            assert (await response.json())["error"] == "unknown_form"
    await _nothing_written(app)


async def test_html_and_sql_in_fields_are_kept_as_text_and_escaped_in_the_chat(
    app: App,
) -> None:
    admin_client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    name = "<b>Robert'); DROP TABLE deals;--</b>"
    message = '<script>alert(1)</script> " OR 1=1 --\x00'
    async with web_client(app) as http:
        response = await http.post(
            f"/intake/{token}", json={"name": name, "email": "bobby@tables.com", "message": message}
        )
        assert response.status == 201
        await drain(http)
    deal = await app.scalar(select(Deal))
    assert deal.client_name == name  # stored as typed, the table is still there
    note = await app.scalar(select(Note.text))
    assert note == '<script>alert(1)</script> " OR 1=1 --'  # NUL dropped (PostgreSQL refuses it)
    sent = admin_client.last_message()
    assert "&lt;b&gt;Robert" in sent.html and "&lt;script&gt;" in sent.html
    assert name in sent.text


async def test_100_requests_a_second_from_one_address_get_429_after_the_limit(
    app: App,
) -> None:
    _client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    async with web_client(app, intake_rate_per_address=20, intake_rate_per_token=1000) as http:
        # The bucket's clock stands still: "a second" however long this machine takes.
        http.app[INTAKE_KEY].per_address.monotonic = lambda: 1000.0

        async def one(i: int) -> int:
            response = await http.post(
                f"/intake/{token}", json={"email": f"client{i}@firm.ru", "name": f"Клиент {i}"}
            )
            await response.read()
            return response.status

        statuses = await asyncio.gather(*(one(i) for i in range(100)))
        await drain(http)
        limited = await http.post(f"/intake/{token}", json={"email": "late@firm.ru"})
        assert limited.status == 429
        assert int(limited.headers["Retry-After"]) >= 1
    assert sorted(set(statuses)) == [201, 429]
    assert statuses.count(201) == 20
    assert await app.count(Deal) == 20
    assert await app.count(IntakeRequest) == 20


async def test_the_per_form_limit_holds_across_addresses(app: App) -> None:
    _client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    settings = {
        "intake_rate_per_address": 1000,
        "intake_rate_per_token": 5,
        "intake_trust_forwarded": True,
    }
    async with web_client(app, **settings) as http:
        http.app[INTAKE_KEY].per_token.monotonic = lambda: 1000.0
        statuses = []
        for i in range(8):
            response = await http.post(
                f"/intake/{token}",
                json={"email": f"c{i}@firm.ru"},
                headers={"X-Forwarded-For": f"10.0.0.{i}"},
            )
            statuses.append(response.status)
        await drain(http)
    assert statuses == [201] * 5 + [429] * 3
    assert await app.count(Deal) == 5


async def test_a_browser_preflight_is_answered(app: App) -> None:
    async with web_client(app) as http:
        response = await http.options("/intake/" + "A" * 32)
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Origin"] == "*"


async def test_no_admin_left_is_a_503_that_writes_nothing(app: App) -> None:
    _client, admin = await app.add_user(Role.admin)
    token = await make_form(app, admin)
    async with app.session_factory() as session, session.begin():
        for user in await session.scalars(select(User)):
            user.is_active = False
    async with web_client(app) as http:
        response = await http.post(f"/intake/{token}", json={"email": "x@firm.ru"})
        assert response.status == 503
        assert (await response.json()) == {"ok": False, "error": "not_configured"}
    await _nothing_written(app)
