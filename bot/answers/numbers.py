"""Integers and ratings typed as digits or number words (English, French, Spanish)."""

from __future__ import annotations

import math
import re
from functools import cache

from text_to_num import alpha2digit

from bot.answers.normalize import fold, language_of, precheck, words
from bot.answers.result import ParseResult, accept, check_range, reject
from bot.answers.scales import has_negation, rating_from_words, without_heads

LARGEST = 1e15
"""Numbers this large are digit soup, not answers."""

_FILLERS = (
    "more or less",
    "approximately",
    "approx",
    "about",
    "around",
    "roughly",
    "nearly",
    "almost",
    "maybe",
    "probably",
    "circa",
    "just",
    "only",
    "exactly",
    "some",
    "a peu pres",
    "plus ou moins",
    "autour de",
    "pres de",
    "environ",
    "presque",
    "vers",
    "quasiment",
    "peut-etre",
    "peut etre",
    "exactement",
    "seulement",
    "juste",
    "mas o menos",
    "alrededor de",
    "cerca de",
    "aproximadamente",
    "aprox",
    "unos",
    "unas",
    "casi",
    "como",
    "tal vez",
    "quizas",
    "exactamente",
    "solo",
    "apenas",
)
_FILLER_RE = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in _FILLERS) + r")\b")
_ZERO_PHRASES = (
    "none",
    "nothing",
    "nil",
    "no one",
    "nobody",
    "not any",
    "zero",
    "aucun",
    "aucune",
    "rien",
    "ninguno",
    "ninguna",
    "ningun",
    "nada",
    "nadie",
    "cero",
)
_ZERO_RE = re.compile(r"\b(?:" + "|".join(re.escape(z) for z in _ZERO_PHRASES) + r")\b")
# Number words text2num only knows with their accents; the folded text has lost them.
_ACCENTS = {
    "es": {"veintidos": "veintidós", "veintitres": "veintitrés", "veintiseis": "veintiséis"},
    "fr": {"zero": "zéro"},
}
_WORD_MULTIPLIERS = {
    "thousand": 1e3,
    "thousands": 1e3,
    "mille": 1e3,
    "mil": 1e3,
    "milles": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "millon": 1e6,
    "millones": 1e6,
    "milliard": 1e9,
    "milliards": 1e9,
    "billion": 1e9,
    "billions": 1e9,
}
_SUFFIX_MULTIPLIERS = {"k": 1e3, "m": 1e6, "mn": 1e6, "mio": 1e6, "bn": 1e9}
_NUM = r"\d+(?:[.,]\d+)?"
_NUMBER_RE = re.compile(
    r"(?<![\w.,])(-?)(\d{1,3}(?:[,.\s]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?!\d)"
)
_FRACTION_RE = re.compile(r"(\d+)\s*(?:/|out of|of|sur|de|sobre)\s*(\d+)")
_ARTICLES = frozenset({"one", "un", "une", "una", "uno"})
_STARS = "★⭐🌟"
_EMPTY_STARS = "☆"


def to_number(token: str) -> float:
    """Read one digit token with thousands/decimal separators: ``2,001``, ``1 500``, ``1,5``."""
    token = re.sub(r"\s", "", token)
    if "," in token and "." in token:
        decimal = "," if token.rfind(",") > token.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        return float(token.replace(thousands, "").replace(decimal, "."))
    for sep in ",.":
        if sep in token:
            parts = token.split(sep)
            grouped = all(len(p) == 3 for p in parts[1:]) and not parts[0].startswith("0")
            if len(parts) > 2 or grouped:
                return float(token.replace(sep, ""))
            return float(token.replace(sep, "."))
    return float(token)


def _format(value: float) -> str:
    """Plain digits for a number substituted back into text."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


@cache
def _multiplier_re(suffixes: bool) -> re.Pattern[str]:
    names = list(_WORD_MULTIPLIERS) + (list(_SUFFIX_MULTIPLIERS) if suffixes else [])
    names.sort(key=len, reverse=True)
    return re.compile(rf"(?<![\w.,])({_NUM})\s*({'|'.join(names)})\b")


def words_to_digits(text: str, language: str, *, suffixes: bool = False) -> str:
    """Folded text with fillers dropped, ``1,5 million``/``150k`` expanded and words as digits.

    ``suffixes`` also expands the letter suffixes ``k``/``m``/``bn`` (money amounts only).
    """
    language = language_of(language)
    folded = _FILLER_RE.sub(" ", fold(text))
    folded = re.sub(r"(?<=[^\W\d_])(?=\d)", " ", folded)  # "ksh5000" → "ksh 5000"
    multipliers = {**_WORD_MULTIPLIERS, **_SUFFIX_MULTIPLIERS}

    def expand(match: re.Match[str]) -> str:
        try:
            return _format(to_number(match.group(1)) * multipliers[match.group(2)])
        except (ValueError, OverflowError):
            return match.group(0)

    folded = _multiplier_re(suffixes).sub(expand, folded)
    for plain, accented in _ACCENTS.get(language, {}).items():
        folded = re.sub(rf"\b{plain}\b", accented, folded)
    try:
        return alpha2digit(folded, language, threshold=0)
    except Exception:  # text2num is not hardened against arbitrary input
        return folded


def find_numbers(text: str, language: str, *, suffixes: bool = False) -> list[float]:
    """Every number in ``text`` (digits or number words), in order of appearance."""
    converted = words_to_digits(text, language, suffixes=suffixes)
    found: list[float] = []
    for match in _NUMBER_RE.finditer(converted):
        try:
            number = to_number(match.group(2))
        except (ValueError, OverflowError):
            continue
        if abs(number) < LARGEST:
            found.append(-number if match.group(1) else number)
    return found


def says_zero(text: str) -> bool:
    """True when the text says "none"/"nothing" in one of the languages."""
    return bool(_ZERO_RE.search(fold(text)))


def single_number(
    text: str, language: str, *, suffixes: bool = False, zero_words: bool = True
) -> float | None:
    """The one number the text gives (repeats allowed), ``0`` for "none", else ``None``."""
    numbers = find_numbers(text, language, suffixes=suffixes)
    if not numbers:
        return 0.0 if zero_words and says_zero(text) else None
    if len(numbers) == 2 and not any(c.isdigit() for c in text):
        high, low = numbers  # "nineteen ninety nine" comes out as 19 and 99
        if high in (19, 20) and 0 <= low <= 99 and low.is_integer():
            return high * 100 + low
    return numbers[0] if len(set(numbers)) == 1 else None


def parse_integer(
    text: str, language: str, minimum: float | None = None, maximum: float | None = None
) -> ParseResult:
    """A whole number (``int``); decimals are rounded half up, e.g. ``37.5`` hours → 38."""
    cleaned, failure = precheck(text)
    if failure:
        return failure
    number = single_number(cleaned, language)
    if number is None:
        return reject("not_a_number")
    value = math.floor(number + 0.5)
    return check_range(value, minimum, maximum) or accept(value)


def _stars(text: str) -> int | None:
    """The number of filled stars when the answer is only stars (``★★★☆☆`` → 3)."""
    compact = text.replace(" ", "").replace("\ufe0f", "")
    if compact and all(c in _STARS + _EMPTY_STARS for c in compact):
        return sum(c in _STARS for c in compact)
    return None


def _number_from_words(cleaned: str, language: str, high: int) -> float | None:
    """A rating written as number words ("quatre", "four out of five"), if that is all it is.

    An article that is also "one" ("un peu satisfait", "una buena formación") is not a rating.
    """
    rest = without_heads(cleaned)
    converted = words_to_digits(rest, language)
    fraction = _FRACTION_RE.search(converted)
    if fraction and int(fraction.group(2)) == high:
        return float(fraction.group(1))
    number = single_number(rest, language, zero_words=False)
    tokens = words(rest)
    if number == 1 and len(tokens) > 1 and set(tokens) & _ARTICLES:
        return None
    return number


def parse_rating(
    text: str, language: str, minimum: float | None = 1, maximum: float | None = 5
) -> ParseResult:
    """A scale point (``int``) from ``4``, ``4/5``, ``quatre``, ``★★★★`` or "very satisfied".

    Digits, stars and button payloads are stored as they are. Anything read from words is
    echoed (``echo``) or, when the words do not place it surely, proposed for confirmation
    (``confirm``; see ``bot/answers/scales.py``). A negated answer ("not 5", "pas très bien")
    is never read above the middle of the scale.
    """
    cleaned, failure = precheck(text)
    if failure:
        return failure
    low = int(minimum if minimum is not None else 1)
    high = int(maximum if maximum is not None else 5)
    unclear = reject("not_a_number", min=low, max=high)
    number: float | None = _stars(cleaned)
    from_words = number is None and not any(c.isdigit() for c in cleaned)
    if number is None and not from_words:
        converted = words_to_digits(cleaned, language)
        fraction = _FRACTION_RE.search(converted)
        if fraction and int(fraction.group(2)) == high:
            number = float(fraction.group(1))
        else:
            number = single_number(cleaned, language, zero_words=False)
    if from_words:
        number = _number_from_words(cleaned, language, high)
        read = rating_from_words(cleaned, low, high)
        if number is None:
            return read or unclear
        if read is not None and read.value != number:
            return unclear  # "tres bien" typed in Spanish: three, or very good?
    if number is None or not float(number).is_integer():
        return unclear
    if has_negation(cleaned) and number > (low + high) / 2:
        return unclear
    return check_range(number, low, high) or accept(int(number), echo=from_words)
