"""Shared text clean-up for answer parsers: control characters, width, accents, length."""

from __future__ import annotations

import re
import unicodedata

from bot.answers.result import ParseResult, reject

MAX_INPUT = 1000
"""Longest message (characters) any non-text parser looks at."""

LANGUAGE_FALLBACK = "en"

_ZWJ = "\u200d"
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
_WORD = re.compile(r"[^\W_]+")


def language_of(language: str | None) -> str:
    """A language code ("pt-BR" → ``pt``; ``en`` for anything that is not one).

    Word tables have en/fr/es; text2num and dateparser read more (a language added by
    translation sheet, such as ``pt``); a language none of them knows reads digits and the
    merged word tables."""
    code = re.split(r"[-_\s]", (language or "").strip().lower(), maxsplit=1)[0]
    return code if 2 <= len(code) <= 3 and code.isascii() and code.isalpha() else LANGUAGE_FALLBACK


def clean(text: object, *, compatibility: bool = True) -> str:
    """Text with control/format characters removed and whitespace collapsed.

    ``compatibility`` applies NFKC (full-width digits, ligatures, superscripts become plain
    characters), which suits parsing; free text keeps NFC so it is stored as typed.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if compatibility:
        text = unicodedata.normalize("NFKC", text.replace("\u00bd", " 1/2 "))  # not "11⁄2"
    else:
        text = unicodedata.normalize("NFC", text)
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc":
            kept.append(" ")
        elif category in ("Cs", "Co") or (category == "Cf" and char != _ZWJ):
            continue
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


def ascii_digits(text: str) -> str:
    """Replace non-ASCII decimal digits (Arabic-Indic, Devanagari, ...) by ASCII digits."""
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text
    )


def strip_accents(text: str) -> str:
    """Text without combining marks (``é`` → ``e``, ``ñ`` → ``n``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Case- and accent-insensitive form used for matching words and phrases."""
    return " ".join(strip_accents(text.translate(_APOSTROPHES)).casefold().split())


def words(text: str) -> list[str]:
    """Letter/digit runs of already folded text (punctuation and emoji dropped)."""
    return _WORD.findall(text)


def precheck(text: object, limit: int = MAX_INPUT) -> tuple[str, ParseResult | None]:
    """Cleaned text, or a ``too_long``/``empty`` rejection to return straight away."""
    if isinstance(text, str) and len(text) > limit:
        return "", reject("too_long", max=limit)
    cleaned = ascii_digits(clean(text))
    if len(cleaned) > limit:
        return "", reject("too_long", max=limit)
    if not cleaned:
        return "", reject("empty")
    return cleaned, None
