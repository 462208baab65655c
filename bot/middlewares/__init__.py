"""Middlewares, applied to every update in this order (after aiogram's own, which takes the
per-user lock of the events isolation and reads the conversation state): in-flight -> db ->
auth."""

from .auth import AuthMiddleware
from .db import DbSessionMiddleware
from .inflight import InFlightMiddleware

__all__ = [
    "AuthMiddleware",
    "DbSessionMiddleware",
    "InFlightMiddleware",
]
