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


RU_DAYS = {0: "0 дней", 1: "1 день", 2: "2 дня", 5: "5 дней", 11: "11 дней", 21: "21 день",
           22: "22 дня", 25: "25 дней", 101: "101 день", 111: "111 дней", 112: "112 дней"}


@pytest.mark.parametrize(("n", "expected"), sorted(RU_DAYS.items()))
def test_russian_plural_forms(n: int, expected: str) -> None:
    tr = Translator("ru").for_locale("ru")
    assert tr.count(n, "день|дня|дней") == expected


@pytest.mark.parametrize(("n", "expected"), [(0, "0 deals"), (1, "1 deal"), (2, "2 deals"),
                                             (21, "21 deals"), (101, "101 deals")])
def test_english_plural_forms(n: int, expected: str) -> None:
    assert Translator("ru").for_locale("en").count(n, "deal|deals") == expected


def test_plural_spec_in_a_template_and_plain_numbers_untouched() -> None:
    catalogs = {"ru": {"k": "{n:count:сделка|сделки|сделок}, {n:plural:новая|новые|новых}; {m}"},
                "en": {"k": "{n:count:deal|deals}; {m}"}}
    translator = Translator("ru")
    translator.catalogs = catalogs
    assert translator.for_locale("ru")("k", n=22, m=5) == "22 сделки, новые; 5"
    assert translator.for_locale("en")("k", n=1, m=True) == "1 deal; True"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_plural_spec_has_the_forms_of_its_language(lang: str) -> None:
    from bot.i18n import PLURAL_FORMS

    wrong = []
    for key, template in CATALOGS[lang].items():
        for _, name, spec, _ in string.Formatter().parse(template):
            kind, _, forms = (spec or "").partition(":")
            if kind in ("count", "plural") and len(forms.split("|")) != PLURAL_FORMS[lang]:
                wrong.append((key, name, spec))
    assert wrong == []
