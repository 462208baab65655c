"""Application settings, read once in ``main()`` from the environment and ``.env``."""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url

SUPPORTED_LANGUAGES = ("ru", "en")


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr
    database_url: str = "sqlite+aiosqlite:///dealbot.db"
    telegram_api_url: str | None = None
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_timezone: str = "Europe/Moscow"
    default_language: str = "ru"
    log_level: str = "INFO"
    log_format: str = "text"
    invite_ttl_hours: int = Field(default=72, ge=1, le=24 * 90)
    redis_url: str | None = None
    # An open prompt (and its data) expires this long after it was last changed.
    state_ttl_hours: int = Field(default=24, ge=1, le=24 * 30)
    # One scheduler per database: its lease lasts this long and is renewed every third of it.
    scheduler_lease_seconds: int = Field(default=60, ge=3, le=3600)
    overdue_escalation_days: int = Field(default=3, ge=1, le=365)
    # The evening nudge about deals without a next step, at this local time (each person's
    # time zone), until 22:00.
    evening_nudge_time: dt.time = dt.time(18, 0)
    # Spreadsheet import: files above this size are refused before download (the Bot API's
    # getFile serves at most 20 MB), and so are sheets with more data rows than the limit.
    import_max_file_mb: int = Field(default=20, ge=1, le=2000)
    import_max_rows: int = Field(default=20_000, ge=1, le=1_000_000)
    # Webhook mode (else long polling) and the HTTP side (health check, web-form intake).
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    web_host: str = "127.0.0.1"
    web_port: int | None = Field(default=None, ge=1, le=65535)
    # The outbound budget (bot.outbound): every message the bot sends, replies first.
    outbound_rate: float = Field(default=25.0, gt=0, le=30)
    outbound_proactive_rate: float = Field(default=20.0, gt=0, le=30)
    outbound_per_chat_seconds: float = Field(default=1.0, ge=0, le=60)
    # Web-form intake (web/intake.py): the public address of the HTTP side (for the form
    # URLs /newform shows), limits per form token and per client address (requests a
    # minute), whether X-Forwarded-For names the client (only behind your own proxy), and
    # after how many minutes an unclaimed request is escalated.
    intake_base_url: str | None = None
    intake_rate_per_token: int = Field(default=60, ge=1, le=100_000)
    intake_rate_per_address: int = Field(default=20, ge=1, le=100_000)
    intake_trust_forwarded: bool = False
    intake_escalate_minutes: int = Field(default=30, ge=1, le=24 * 60)

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value().strip()
        head, _, tail = token.partition(":")
        if not head.isdigit() or len(tail) < 20:
            raise ValueError("does not look like a token from @BotFather (digits:secret)")
        return SecretStr(token)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError("must be Telegram user ids separated by commas") from None
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r}") from None
        return value

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        value = value.lower()
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LANGUAGES)}")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _db_url(cls, value: str) -> str:
        check_database_url(value)
        return value

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        value = value.lower()
        if value not in ("text", "json"):
            raise ValueError("must be text or json")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        # Telegram calls only https webhooks; a local Bot API server may call http.
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be the public https:// URL Telegram will call")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        secret = value.get_secret_value()
        allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        if not 16 <= len(secret) <= 256 or not set(secret) <= allowed:
            raise ValueError("must be 16-256 characters: letters, digits, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError(
                "WEBHOOK_SECRET is required with WEBHOOK_URL: without it anybody could post "
                "updates to the bot"
            )
        return self

    @property
    def webhook_path(self) -> str:
        path = urlsplit(self.webhook_url or "").path
        return path if path and path != "/" else "/telegram/webhook"

    @property
    def listen_port(self) -> int | None:
        """Where the HTTP side listens: WEB_PORT, or 8080 in webhook mode."""
        if self.web_port is not None:
            return self.web_port
        return 8080 if self.webhook_url else None

    @property
    def state_ttl(self) -> dt.timedelta:
        return dt.timedelta(hours=self.state_ttl_hours)

    @property
    def tz(self) -> dt.tzinfo:
        return ZoneInfo(self.default_timezone)


SUPPORTED_DATABASES = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}


def check_database_url(value: str) -> None:
    """The URL names a database we support, with its async driver, at a usable place."""
    try:
        url = make_url(value)
    except Exception:
        raise ValueError(
            "must be an SQLAlchemy URL such as sqlite+aiosqlite:///dealbot.db"
        ) from None
    backend, driver = url.get_backend_name(), url.get_driver_name()
    wanted = SUPPORTED_DATABASES.get(backend)
    if wanted is None:
        raise ValueError(
            f"database {backend!r} is not supported; use sqlite+aiosqlite:///dealbot.db "
            "or postgresql+asyncpg://user:password@host/dealbot"
        )
    if driver != wanted:
        raise ValueError(
            f"{driver} is not an async driver; write the URL as {backend}+{wanted}://..."
        )
    if backend == "sqlite" and url.database and url.database != ":memory:":
        folder = os.path.dirname(os.path.abspath(url.database))
        if not os.path.isdir(folder):
            raise ValueError(f"the folder {folder} of the SQLite file does not exist")
        if not os.access(folder, os.W_OK):
            raise ValueError(f"the folder {folder} of the SQLite file is not writable")
        if os.path.exists(url.database) and not os.access(url.database, os.W_OK):
            raise ValueError(f"the SQLite file {url.database} is not writable")


def load_settings(**overrides: Any) -> Settings:
    """Build settings or raise SettingsError with one line that names the bad setting."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        if not first["loc"]:  # a rule across settings: its message names them
            msg = first["msg"].removeprefix("Value error, ")
            raise SettingsError(f"settings: {msg}") from None
        name = str(first["loc"][0]).upper()
        if first["type"] == "missing":
            raise SettingsError(
                f"setting {name} is required but not set (see .env.example)"
            ) from None
        msg = first["msg"].removeprefix("Value error, ")
        raise SettingsError(f"setting {name} is invalid: {msg}") from None
