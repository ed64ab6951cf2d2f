"""Free-text answers: cleaned, bounded, and holding at least one letter or digit."""

from __future__ import annotations

import unicodedata

from bot.answers.normalize import clean
from bot.answers.result import ParseResult, accept, reject

MAX_TEXT = 300
"""Longest free-text answer kept (characters, after clean-up)."""


def has_words(text: str) -> bool:
    """True when ``text`` holds a letter or a digit (not only emoji or punctuation)."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def parse_text(text: str, max_length: int = MAX_TEXT) -> ParseResult:
    """The text stripped of control characters, whitespace collapsed, at most ``max_length``.

    Rejections: ``empty``, ``no_text`` (only emoji/punctuation), ``too_long``.
    """
    if isinstance(text, str) and len(text) > 20 * max_length:
        return reject("too_long", max=max_length)  # not worth cleaning
    cleaned = clean(text, compatibility=False)
    if not cleaned:
        return reject("empty")
    if len(cleaned) > max_length:
        return reject("too_long", max=max_length, length=len(cleaned))
    if not has_words(cleaned):
        return reject("no_text")
    return accept(cleaned)
