"""Middlewares, applied to every update in this order: in-flight -> serialize -> db -> auth."""

from .auth import AuthMiddleware
from .db import DbSessionMiddleware
from .inflight import InFlightMiddleware
from .serialize import PerUserSerializeMiddleware

__all__ = [
    "AuthMiddleware",
    "DbSessionMiddleware",
    "InFlightMiddleware",
    "PerUserSerializeMiddleware",
]
