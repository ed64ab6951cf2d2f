"""Integers and ratings typed as digits or number words (English, French, Spanish)."""

from __future__ import annotations

import math
import re
from functools import cache

from text_to_num import alpha2digit

from bot.answers.normalize import fold, language_of, precheck, words
from bot.answers.result import ParseResult, accept, check_range, reject

LARGEST = 1e15
"""Numbers this large are digit soup, not answers."""

_FILLERS = (
    "more or less", "approximately", "approx", "about", "around", "roughly", "nearly", "almost",
    "maybe", "probably", "circa", "just", "only", "exactly", "some",
    "a peu pres", "plus ou moins", "autour de", "pres de", "environ", "presque", "vers",
    "quasiment", "peut-etre", "peut etre", "exactement", "seulement", "juste",
    "mas o menos", "alrededor de", "cerca de", "aproximadamente", "aprox", "unos", "unas",
    "casi", "como", "tal vez", "quizas", "exactamente", "solo", "apenas",
)
_FILLER_RE = re.compile(r"\b(?:" + "|".join(re.escape(f) for f in _FILLERS) + r")\b")
_ZERO_PHRASES = (
    "none", "nothing", "nil", "no one", "nobody", "not any", "zero",
    "aucun", "aucune", "rien",
    "ninguno", "ninguna", "ningun", "nada", "nadie", "cero",
)
_ZERO_RE = re.compile(r"\b(?:" + "|".join(re.escape(z) for z in _ZERO_PHRASES) + r")\b")
# Number words text2num only knows with their accents; the folded text has lost them.
_ACCENTS = {
    "es": {"veintidos": "veintidós", "veintitres": "veintitrés", "veintiseis": "veintiséis"},
    "fr": {"zero": "zéro"},
}
_WORD_MULTIPLIERS = {
    "thousand": 1e3, "thousands": 1e3, "mille": 1e3, "mil": 1e3, "milles": 1e3,
    "million": 1e6, "millions": 1e6, "millon": 1e6, "millones": 1e6,
    "milliard": 1e9, "milliards": 1e9, "billion": 1e9, "billions": 1e9,
}
_SUFFIX_MULTIPLIERS = {"k": 1e3, "m": 1e6, "mn": 1e6, "mio": 1e6, "bn": 1e9}
_NUM = r"\d+(?:[.,]\d+)?"
_NUMBER_RE = re.compile(
    r"(?<![\w.,])(-?)(\d{1,3}(?:[,.\s]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?!\d)"
)
_FRACTION_RE = re.compile(r"(\d+)\s*(?:/|out of|of|sur|de|sobre)\s*(\d+)")
_STARS = "★⭐🌟"
_EMPTY_STARS = "☆"

_RATING_WORDS: dict[str, tuple[str, ...]] = {
    "very_good": (
        "very satisfied", "extremely satisfied", "completely satisfied", "fully satisfied",
        "totally satisfied", "very good", "very happy", "excellent", "perfect", "great",
        "amazing", "outstanding", "the best", "very useful",
        "tres satisfait", "tres satisfaite", "extremement satisfait", "totalement satisfait",
        "tres bien", "tres bon", "tres bonne", "tres content", "tres contente", "excellente",
        "parfait", "parfaite", "super", "genial", "geniale",
        "muy satisfecho", "muy satisfecha", "totalmente satisfecho", "totalmente satisfecha",
        "muy bien", "muy bueno", "muy buena", "muy contento", "muy contenta", "excelente",
        "perfecto", "perfecta", "encantado", "encantada",
    ),
    "good": (
        "satisfied", "good", "happy", "pleased", "quite satisfied", "fairly satisfied", "useful",
        "satisfait", "satisfaite", "assez satisfait", "assez satisfaite", "plutot satisfait",
        "plutot satisfaite", "bien", "bon", "bonne", "content", "contente",
        "satisfecho", "satisfecha", "bastante satisfecho", "bastante satisfecha", "bueno",
        "buena", "contento", "contenta",
    ),
    "neutral": (
        "neutral", "neither", "neither satisfied nor dissatisfied", "average", "so so", "ok",
        "okay", "fair", "medium", "not bad",
        "neutre", "moyen", "moyenne", "moyennement satisfait", "moyennement satisfaite",
        "ni satisfait ni insatisfait", "ni satisfaite ni insatisfaite", "comme ci comme ca",
        "correct", "passable", "bof", "pas mal",
        "regular", "normal", "ni satisfecho ni insatisfecho", "ni satisfecha ni insatisfecha",
        "mas o menos", "asi asi", "medio",
    ),
    "bad": (
        "dissatisfied", "unsatisfied", "not satisfied", "not happy", "unhappy", "not good", "bad",
        "poor", "disappointed",
        "insatisfait", "insatisfaite", "pas satisfait", "pas satisfaite", "mecontent",
        "mecontente", "pas content", "pas contente", "mauvais", "mauvaise", "decu", "decue",
        "mal", "plutot insatisfait", "plutot insatisfaite",
        "insatisfecho", "insatisfecha", "no satisfecho", "no satisfecha", "poco satisfecho",
        "poco satisfecha", "descontento", "descontenta", "malo", "mala", "decepcionado",
        "decepcionada",
    ),
    "very_bad": (
        "very dissatisfied", "very unsatisfied", "extremely dissatisfied", "not at all satisfied",
        "not satisfied at all", "very unhappy", "very bad", "very poor", "terrible", "awful",
        "horrible", "useless", "the worst",
        "tres insatisfait", "tres insatisfaite", "tres mecontent", "tres mecontente",
        "pas du tout satisfait", "pas du tout satisfaite", "tres mauvais", "tres mauvaise",
        "tres mal", "tres decu", "tres decue", "nul", "nulle",
        "muy insatisfecho", "muy insatisfecha", "nada satisfecho", "nada satisfecha",
        "muy descontento", "muy descontenta", "muy malo", "muy mala", "muy mal", "pesimo",
        "pesima",
    ),
}


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


def _rating_from_words(text: str, minimum: int, maximum: int) -> int | None:
    """The scale point named by words such as "very satisfied" or "pas du tout satisfait"."""
    padded = f" {' '.join(words(fold(text)))} "
    best: tuple[int, str] | None = None
    for level, phrases in _RATING_WORDS.items():
        for phrase in phrases:
            if f" {phrase} " in padded and (best is None or len(phrase) > best[0]):
                best = (len(phrase), level)
    if best is None:
        return None
    wide = maximum - minimum >= 4
    middle = (minimum + maximum) / 2
    points = {
        "very_good": maximum,
        "good": maximum - 1 if wide else maximum,
        "neutral": int(middle) if middle.is_integer() else None,
        "bad": minimum + 1 if wide else minimum,
        "very_bad": minimum,
    }
    return points[best[1]]


def _stars(text: str) -> int | None:
    """The number of filled stars when the answer is only stars (``★★★☆☆`` → 3)."""
    compact = text.replace(" ", "").replace("\ufe0f", "")
    if compact and all(c in _STARS + _EMPTY_STARS for c in compact):
        return sum(c in _STARS for c in compact)
    return None


def parse_rating(
    text: str, language: str, minimum: float | None = 1, maximum: float | None = 5
) -> ParseResult:
    """A scale point (``int``) from ``4``, ``4/5``, ``quatre``, ``★★★★`` or "very satisfied"."""
    cleaned, failure = precheck(text)
    if failure:
        return failure
    low = int(minimum if minimum is not None else 1)
    high = int(maximum if maximum is not None else 5)
    number: float | None = _stars(cleaned)
    if number is None:
        converted = words_to_digits(cleaned, language)
        fraction = _FRACTION_RE.search(converted)
        if fraction and int(fraction.group(2)) == high:
            number = float(fraction.group(1))
        else:
            number = single_number(cleaned, language, zero_words=False)
    if number is None:
        number = _rating_from_words(cleaned, low, high)
        if number is not None:
            return accept(number, echo=True)
    if number is None:
        return reject("not_a_number", min=low, max=high)
    if not float(number).is_integer():
        return reject("not_a_number", min=low, max=high)
    return check_range(number, low, high) or accept(int(number))
