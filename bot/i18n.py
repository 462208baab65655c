"""The translation layer: every user-facing text goes through it.

Texts live in ``bot/texts/<feature>.py`` as two dicts, ``RU`` and ``EN``; all modules of that
package are merged at start-up, so a feature adds its texts without touching a shared file.
Parameters are HTML-escaped unless wrapped in ``Html`` (already rendered, trusted markup)."""

from __future__ import annotations

import html
import importlib
import pkgutil
from collections.abc import Mapping
from typing import Any

from bot import texts as texts_package

LANGUAGES = ("ru", "en")


class Html(str):
    """A string of trusted, already-escaped HTML: inserted into texts as is."""

    __slots__ = ()


def escape(value: Any) -> str:
    if isinstance(value, Html):
        return value
    return html.escape(str(value), quote=False)


def load_catalogs() -> dict[str, dict[str, str]]:
    catalogs: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for info in pkgutil.iter_modules(texts_package.__path__):
        module = importlib.import_module(f"{texts_package.__name__}.{info.name}")
        for lang in LANGUAGES:
            part: Mapping[str, str] = getattr(module, lang.upper())
            clash = catalogs[lang].keys() & part.keys()
            if clash:
                raise RuntimeError(f"text keys defined twice ({info.name}): {sorted(clash)}")
            catalogs[lang].update(part)
    return catalogs


class Tr:
    """Texts of one language, bound for a handler: ``tr("deal.saved", title=deal.title)``."""

    def __init__(self, locale: str, catalog: Mapping[str, str], fallback: Mapping[str, str]):
        self.locale = locale
        self._catalog = catalog
        self._fallback = fallback

    def __call__(self, key: str, /, **params: Any) -> str:
        template = self._catalog.get(key) or self._fallback.get(key) or key
        if not params:
            return template
        return template.format(**{name: escape(value) for name, value in params.items()})

    def has(self, key: str) -> bool:
        return key in self._catalog


class Translator:
    def __init__(self, default_language: str = "ru"):
        self.default_language = default_language
        self.catalogs = load_catalogs()

    def for_locale(self, locale: str | None) -> Tr:
        lang = locale if locale in self.catalogs else self.default_language
        return Tr(lang, self.catalogs[lang], self.catalogs[self.default_language])

    def variants(self, key: str) -> set[str]:
        """The text of a key in every language: to recognise a reply-keyboard button."""
        return {catalog[key] for catalog in self.catalogs.values() if key in catalog}

    def language_for(self, telegram_language_code: str | None) -> str:
        code = (telegram_language_code or "").split("-")[0].lower()
        return code if code in self.catalogs else self.default_language
