"""The translation layer: every user-facing text goes through it.

Texts live in ``bot/texts/<feature>.py`` as two dicts, ``RU`` and ``EN``; all modules of that
package are merged at start-up, so a feature adds its texts without touching a shared file.
Parameters are HTML-escaped unless wrapped in ``Html`` (already rendered, trusted markup).

Numbers meet nouns through plural forms written in the template itself, so a translator sees
the whole sentence: ``"{n:count:день|дня|дней}"`` gives "1 день", "3 дня", "5 дней" and
``"{n:plural:день|дня|дней}"`` the word alone. Russian takes three forms (one|few|many, CLDR's
rules for integers), English two (one|other). Our own layer rather than gettext or Fluent:
the texts stay the two Python dicts every feature already writes, the rule is ten lines, and a
test checks every template's forms against its language."""

from __future__ import annotations

import html
import importlib
import pkgutil
from collections.abc import Mapping
from typing import Any

from bot import texts as texts_package

LANGUAGES = ("ru", "en")


PLURAL_FORMS = {"ru": 3, "en": 2}


def plural_index(locale: str, n: int) -> int:
    """CLDR's cardinal rule for an integer: ru one|few|many, en one|other."""
    n = abs(n)
    if locale == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return 0
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return 1
        return 2
    return 0 if n == 1 else 1


class Count(int):
    """An integer parameter that knows its language: formats ``count:`` and ``plural:``
    specs (see the module doc); any other spec is an int's own."""

    locale: str

    def __new__(cls, value: int, locale: str) -> Count:
        self = super().__new__(cls, value)
        self.locale = locale
        return self

    def __format__(self, spec: str) -> str:
        kind, _, forms = spec.partition(":")
        if kind not in ("count", "plural"):
            return format(int(self), spec)
        options = forms.split("|")
        word = options[min(plural_index(self.locale, int(self)), len(options) - 1)]
        return f"{int(self)} {word}" if kind == "count" else word


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
        return template.format(**{name: self._param(value) for name, value in params.items()})

    def _param(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return Count(value, self.locale)  # formats as the int, or with plural forms
        return escape(value)

    def count(self, n: int, forms: str) -> str:
        """``tr.count(5, "день|дня|дней")`` -> "5 дней": for code that builds a phrase."""
        return format(Count(n, self.locale), f"count:{forms}")

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
