"""Every CallbackData of the bot lives in this package, one module per feature, each class
with a short unique prefix and typed int/IntEnum fields (Telegram allows 64 bytes).
``tests/test_callbacks.py`` checks that prefixes are unique and payloads fit."""

from .common import InviteCb, LangCb
from .deals import DealAction, DealCb

__all__ = ["DealAction", "DealCb", "InviteCb", "LangCb"]
