"""Yes/no answers in three languages, payloads and emoji; unsure answers are refused."""

from __future__ import annotations

import pytest

from bot.answers import parse_answer
from tests.answers.helpers import question

YES_NO = question("yes_no")


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "yes", "yes"),
        ("en", "Yeah!", "yes"),
        ("en", "yep", "yes"),
        ("en", "sure", "yes"),
        ("en", "of course", "yes"),
        ("en", "Yes, I worked in a shop", "yes"),
        ("en", "I did", "yes"),
        ("en", "👍", "yes"),
        ("en", "/affirm", "yes"),
        ("en", "no", "no"),
        ("en", "nope", "no"),
        ("en", "not really", "no"),
        ("en", "of course not", "no"),
        ("en", "No I did not", "no"),
        ("en", "I didn’t", "no"),
        ("en", "👎", "no"),
        ("en", "/deny", "no"),
        ("fr", "oui", "yes"),
        ("fr", "Ouais", "yes"),
        ("fr", "bien sûr", "yes"),
        ("fr", "oui, dans un magasin", "yes"),
        ("fr", "si", "yes"),
        ("fr", "non", "no"),
        ("fr", "pas du tout", "no"),
        ("fr", "bien sûr que non", "no"),
        ("fr", "jamais", "no"),
        ("es", "sí", "yes"),
        ("es", "si", "yes"),
        ("es", "claro", "yes"),
        ("es", "por supuesto", "yes"),
        ("es", "no", "no"),
        ("es", "nunca", "no"),
        ("es", "claro que no", "no"),
        ("es", "No, no trabajé", "no"),
        ("es", "para nada", "no"),
    ],
)
def test_yes_no(language, text, expected):
    result = parse_answer(YES_NO, text, language)
    assert result.ok, result
    assert result.value == expected


@pytest.mark.parametrize(("language", "payload"), [("en", "yes"), ("fr", "no"), ("es", "yes")])
def test_button_payloads_in_any_language(language, payload):
    assert parse_answer(YES_NO, payload, language).value == payload


@pytest.mark.parametrize(
    ("language", "text", "error"),
    [
        ("en", "maybe", "not_yes_no"),
        ("en", "not sure", "not_yes_no"),
        ("en", "yes and no", "not_yes_no"),
        ("en", "I don't know", "not_yes_no"),
        ("en", "hello", "not_yes_no"),
        ("en", "🙂", "not_yes_no"),
        ("fr", "peut-être", "not_yes_no"),
        ("fr", "je ne sais pas", "not_yes_no"),
        ("fr", "oui et non", "not_yes_no"),
        ("es", "tal vez", "not_yes_no"),
        ("es", "no sé", "not_yes_no"),
        ("es", "sí, pero no mucho", "not_yes_no"),
        ("es", "", "empty"),
        ("es", "s" * 1001, "too_long"),
    ],
)
def test_yes_no_rejections(language, text, error):
    result = parse_answer(YES_NO, text, language)
    assert not result.ok and result.error == error
