"""Free-text answers: clean-up, length limit and emoji/punctuation-only rejection."""

from __future__ import annotations

import pytest

from bot.answers import parse_answer
from tests.answers.helpers import question

TEXT = question("text", required=False)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "  I sell   phones \n in the market ", "I sell phones in the market"),
        ("en", "Baker\x00\x07 assistant", "Baker assistant"),
        ("en", "Café\u200b owner", "Café owner"),
        ("en", "Great 👍", "Great 👍"),
        ("en", "<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("en", "'; DROP TABLE answers; --", "'; DROP TABLE answers; --"),
        ("fr", "Je travaille\tdans une boulangerie", "Je travaille dans une boulangerie"),
        ("fr", "Coiffeuse à Dakar", "Coiffeuse à Dakar"),
        ("es", "Vendo ropa en el mercado", "Vendo ropa en el mercado"),
        ("es", "42", "42"),
        ("es", "x" * 300, "x" * 300),
    ],
)
def test_text(language, text, expected):
    result = parse_answer(TEXT, text, language)
    assert result.ok, result
    assert result.value == expected


@pytest.mark.parametrize(
    ("language", "text", "error"),
    [
        ("en", "", "empty"),
        ("en", " \n\t ", "empty"),
        ("en", "\x00\x01", "empty"),
        ("en", "👍👍", "no_text"),
        ("fr", "...", "no_text"),
        ("fr", "?!", "no_text"),
        ("es", "🙂 🎉", "no_text"),
        ("es", "x" * 301, "too_long"),
        ("en", "word " * 1000, "too_long"),
    ],
)
def test_text_rejections(language, text, error):
    result = parse_answer(TEXT, text, language)
    assert not result.ok and result.error == error
