"""POST /intake/<form token>: a website form's request becomes a deal (or a note on the open
deal of a known contact).

Everything hostile is stopped at the edge and writes nothing: a body over ``MAX_BODY``
(413, read with that limit, never into memory whole), a content type other than JSON,
urlencoded or multipart (415), a body that does not parse or fields that do not validate
(400), an unknown or revoked token (404, the same answer for both), too many requests per
client address or per form (429 with Retry-After). Every answer is JSON; an unexpected failure
is logged and answered 503, never with a traceback. A request is one transaction, which
also leaves its Telegram messages in the intake's outbox; they go out after the answer, in
batches, from a background task (bot.intake_outbox), and a crash before they went out loses
none of them: the next start sends them."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.intake_delivery import IntakeDelivery
from bot.intake_outbox import OutboxDrainer
from models.clock import Clock
from models.crm import Crm
from models.errors import Conflict, CrmError
from models.intake import IntakeKind
from models.intake_input import IntakeInputError, parse_fields
from models.services.intake import Intake
from models.services.intake_forms import token_hash
from models.services.intake_outbox import IntakeOutboxes

from .rate_limit import Limit, RateLimiter

logger = logging.getLogger(__name__)

MAX_BODY = 16 * 1024  # a form with a long message is a few KB
MAX_FIELDS = 50
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,128}")
ACCEPTED = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
DRAIN_SECONDS = 10.0
CORS = {"Access-Control-Allow-Origin": "*"}  # the token is the credential, not the origin


def _error(status: int, error: str, **extra: Any) -> web.Response:
    headers = dict(CORS)
    if "retry_after" in extra:
        headers["Retry-After"] = str(extra["retry_after"])
    return web.json_response({"ok": False, "error": error, **extra}, status=status, headers=headers)


class IntakeEndpoint:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        per_token: int,
        per_address: int,
        trust_forwarded: bool = False,
        redis: Any = None,
        delivery: IntakeDelivery | None = None,
        default_region: str = "RU",
    ) -> None:
        self.session_factory = session_factory
        self.clock = clock
        self.per_token = RateLimiter(per_token)
        self.per_address = RateLimiter(per_address)
        # Shared by the worker processes through Redis when there is one.
        self.redis = redis
        self.token_limit = Limit(self.per_token, redis, "dealbot:intake:form")
        self.address_limit = Limit(self.per_address, redis, "dealbot:intake:addr")
        self.trust_forwarded = trust_forwarded
        # The messages of accepted requests: an outbox row in the request's transaction,
        # sent after the answer by a background task (bot.intake_outbox).
        self.outbox = OutboxDrainer(delivery) if delivery is not None else None
        self.default_region = default_region

    def client_address(self, request: web.Request) -> str:
        if self.trust_forwarded:
            forwarded = request.headers.get("X-Forwarded-For", "")
            last = forwarded.split(",")[-1].strip()
            if last:
                return last  # the address our own proxy saw
        return request.remote or "unknown"

    async def handle(self, request: web.Request) -> web.Response:
        try:
            return await self._handle(request)
        except web.HTTPRequestEntityTooLarge:
            return _error(413, "too_large", limit=MAX_BODY)
        except Exception:
            logger.exception("intake: the request failed")
            return _error(503, "unavailable")

    async def _handle(self, request: web.Request) -> web.Response:
        address = self.client_address(request)
        wait = await self.address_limit.check(address)
        if wait is not None:
            return _error(429, "rate_limited", retry_after=wait)
        if request.content_length is not None and request.content_length > MAX_BODY:
            return _error(413, "too_large", limit=MAX_BODY)
        if request.content_type not in ACCEPTED:
            return _error(415, "unsupported_media_type", accepted=list(ACCEPTED))
        token = request.match_info.get("token", "")
        if not TOKEN_RE.fullmatch(token):
            return _error(404, "unknown_form")
        raw = await self._read(request)
        if isinstance(raw, web.Response):
            return raw
        try:
            fields = parse_fields(raw, self.default_region)
        except IntakeInputError as exc:
            return _error(400, exc.reason, field=exc.field)
        # Keyed by the token's hash (no secret kept in memory); an unknown token fills a
        # bucket too, so guessing is limited per address AND per guess.
        key = token_hash(token)
        wait = await self.token_limit.check(key)
        if wait is not None:
            return _error(429, "rate_limited", retry_after=wait)
        # One transaction: the form looked up (a revoke commits before or after it, never in
        # between) and the request written.
        form_id = 0
        for attempt in (1, 2):
            try:
                async with self.session_factory() as session, session.begin():
                    intake = Intake(Crm(session, clock=self.clock))
                    form = await intake.form_by_token(token)
                    if form is None:
                        return _error(404, "unknown_form")
                    form_id = form.form.id
                    done = await intake.submit(form, fields)
                    if self.outbox is not None:  # its messages, sent after the answer
                        message = fields.message if done.kind is IntakeKind.known else None
                        await IntakeOutboxes(session).queue(
                            done.kind, done.view, message, self.clock()
                        )
                break
            except Conflict:
                # The known deal changed under us (its owner was editing it): nothing was
                # written; once more on the new version.
                if attempt == 2:
                    return _error(503, "busy", retry_after=1)
            except CrmError as exc:
                logger.warning("intake: form %s refused a request: %s", form_id, exc.key)
                return _error(503, "not_configured")
        logger.info("intake: form %s -> deal %s (%s)", form_id, done.deal_id, done.kind.value)
        if self.outbox is not None:
            self.outbox.wake()
        status = 201 if done.kind is IntakeKind.new else 200
        return web.json_response({"ok": True, "deal": done.deal_id}, status=status, headers=CORS)

    async def _read(self, request: web.Request) -> dict[str, object] | web.Response:
        limited = request.clone(client_max_size=MAX_BODY, client_max_fields=MAX_FIELDS)
        if request.content_type == "multipart/form-data":
            try:
                post = await limited.post()
            except (ValueError, AssertionError):
                return _error(400, "bad_form")
            # Files are not fields of a request: ignored.
            return {k: v for k, v in post.items() if isinstance(v, str)}
        body = await limited.read()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return _error(400, "bad_encoding")
        if request.content_type == "application/json":
            try:
                data = json.loads(text)
            except (ValueError, RecursionError):
                return _error(400, "bad_json")
            if not isinstance(data, dict):
                return _error(400, "bad_json")
            return data
        pairs = parse_qsl(text, keep_blank_values=False, max_num_fields=MAX_FIELDS)
        return dict(reversed(pairs))  # the first value of a repeated field wins

    async def drain(self, timeout: float = DRAIN_SECONDS) -> None:
        """Let the messages of accepted requests go out (tests)."""
        if self.outbox is not None:
            await asyncio.wait_for(self.outbox.flush(), timeout)

    async def preflight(self, _request: web.Request) -> web.Response:
        return web.Response(
            status=204,
            headers={
                **CORS,
                "Access-Control-Allow-Methods": "POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Max-Age": "86400",
            },
        )


def setup(app: web.Application, endpoint: IntakeEndpoint) -> None:
    app.router.add_post("/intake/{token}", endpoint.handle)
    app.router.add_route("OPTIONS", "/intake/{token}", endpoint.preflight)

    async def on_startup(_app: web.Application) -> None:
        if endpoint.outbox is not None:
            endpoint.outbox.start()  # also sends what a previous process left

    async def on_cleanup(_app: web.Application) -> None:
        if endpoint.outbox is not None:
            await endpoint.outbox.stop(DRAIN_SECONDS)
        if endpoint.redis is not None:
            await endpoint.redis.aclose()

    app.on_startup.append(on_startup)
    app.on_cleanup.append(on_cleanup)
