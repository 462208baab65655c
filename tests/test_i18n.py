"""Every text exists in both languages, with the same placeholders, and valid Telegram HTML."""

from __future__ import annotations

import string

import pytest

from bot.i18n import LANGUAGES, Html, Translator, load_catalogs
from tests.mocked_bot import parse_html

CATALOGS = load_catalogs()


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_exists_in_every_language() -> None:
    ru, en = set(CATALOGS["ru"]), set(CATALOGS["en"])
    assert ru - en == set(), f"missing in English: {sorted(ru - en)}"
    assert en - ru == set(), f"missing in Russian: {sorted(en - ru)}"


@pytest.mark.parametrize("key", sorted(CATALOGS["ru"]))
def test_placeholders_and_markup_agree(key: str) -> None:
    templates = {lang: CATALOGS[lang][key] for lang in LANGUAGES if key in CATALOGS[lang]}
    assert len({frozenset(_fields(t)) for t in templates.values()}) == 1, templates
    for text in templates.values():
        assert text.strip(), key
        parse_html(text)  # would raise on a tag Telegram can't parse


def test_parameters_are_escaped_unless_trusted() -> None:
    tr = Translator("ru").for_locale("en")
    assert tr("start.welcome", name="<b>x</b>").count("&lt;b&gt;x&lt;/b&gt;") == 1
    assert "<a href" in tr(
        "invite.created", role="r", link=Html('<a href="u">u</a>'), expires="e", timezone="z"
    )


def test_unknown_language_falls_back_to_default() -> None:
    translator = Translator("ru")
    assert translator.for_locale("de").locale == "ru"
    assert translator.language_for("en-GB") == "en"
    assert translator.language_for(None) == "ru"
