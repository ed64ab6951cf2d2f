"""Durations in months: "3 months", "un an et demi" → 18, "2 weeks" → 0.5, "right away" → 0."""

from __future__ import annotations

import re

from bot.answers.normalize import fold, precheck, words
from bot.answers.numbers import to_number, words_to_digits
from bot.answers.result import ParseResult, accept, check_range, reject

_MONTHS_PER: dict[str, float] = {
    "year": 12,
    "years": 12,
    "yr": 12,
    "yrs": 12,
    "an": 12,
    "ans": 12,
    "annee": 12,
    "annees": 12,
    "ano": 12,
    "anos": 12,
    "month": 1,
    "months": 1,
    "mo": 1,
    "mos": 1,
    "mois": 1,
    "mes": 1,
    "meses": 1,
    "week": 12 / 52,
    "weeks": 12 / 52,
    "wk": 12 / 52,
    "wks": 12 / 52,
    "semaine": 12 / 52,
    "semaines": 12 / 52,
    "semana": 12 / 52,
    "semanas": 12 / 52,
    "day": 12 / 365,
    "days": 12 / 365,
    "jour": 12 / 365,
    "jours": 12 / 365,
    "dia": 12 / 365,
    "dias": 12 / 365,
}
_HALF = {"half", "demi", "demie", "medio", "media", "½"}
_ARTICLES = ("a", "an", "un", "une", "uno", "una", "one")
_PLURALS = frozenset(
    {
        "years",
        "yrs",
        "annees",
        "anos",
        "months",
        "mos",
        "meses",
        "weeks",
        "wks",
        "semaines",
        "semanas",
        "days",
        "jours",
        "dias",
    }
)
_RIGHT_AWAY = (
    "right away",
    "immediately",
    "straight away",
    "straightaway",
    "at once",
    "no time",
    "instantly",
    "the same day",
    "immediatement",
    "tout de suite",
    "aussitot",
    "directement",
    "le jour meme",
    "de suite",
    "de inmediato",
    "inmediatamente",
    "enseguida",
    "en seguida",
    "al instante",
    "el mismo dia",
)
_VAGUE = (
    "less than",
    "more than",
    "over",
    "under",
    "at least",
    "moins de",
    "moins d",
    "plus de",
    "plus d",
    "au moins",
    "menos de",
    "mas de",
    "al menos",
    "or",
    "ou",
    "o",
    "between",
    "entre",
)
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+|½")
_HALF_RE = re.compile(r"\b1\s*[/\u2044]\s*2\b")
_ARTICLE_HALF_RE = re.compile(r"\b(?:a|an|un|une|una|one)[\s-]+(?=(?:half|demie?|medio|media)\b)")


def _has(text: str, phrases: tuple[str, ...]) -> bool:
    """True when one of ``phrases`` occurs as whole words in folded ``text``."""
    padded = f" {' '.join(words(text))} "
    return any(f" {phrase} " in padded for phrase in phrases)


def months_in(text: str, language: str) -> float | None:
    """Total months in "1 year and 3 months", "trois mois", "6"; ``None`` if unreadable."""
    text = _ARTICLE_HALF_RE.sub("", fold(text))  # "une demi-année" is half a year, not 1.5
    converted = _HALF_RE.sub(" half ", words_to_digits(text, language))
    total, pending, seen_unit, last_unit = 0.0, None, False, None
    previous: str | None = None
    for token in _TOKEN_RE.findall(converted):
        before, previous = previous, token
        if token[0].isdigit():
            if pending is not None:
                return None  # two numbers in a row: "3 4 months"
            pending = to_number(token)
        elif token in _HALF:
            if pending is not None:
                pending += 0.5  # "one and a half years", "1 y medio"
            elif last_unit is not None:
                total += 0.5 * last_unit  # "un an et demi"
                last_unit = None
            else:
                pending = 0.5  # "half a year", "medio año"
        elif token in _MONTHS_PER:
            if pending is None and token in ("an", "ans"):
                continue  # English article "an"; French "un an" arrives as "1 an"
            if pending is None and (token in _PLURALS or before not in (None, *_ARTICLES)):
                return None  # "a few months", "quelques mois", "several years"
            total += (1.0 if pending is None else pending) * _MONTHS_PER[token]
            pending, seen_unit, last_unit = None, True, _MONTHS_PER[token]
        elif token not in _ARTICLES:
            last_unit = None if token not in ("and", "et", "y") else last_unit
    if pending is not None:
        total += pending  # a bare number counts in months: "6", "1 an 3"
    elif not seen_unit:
        return None
    return total


def parse_duration(
    text: str, language: str, minimum: float | None = None, maximum: float | None = None
) -> ParseResult:
    """Months as ``int`` when whole, else ``float`` rounded to one decimal."""
    cleaned, failure = precheck(text)
    if failure:
        return failure
    folded = fold(cleaned)
    if _has(folded, _RIGHT_AWAY):
        months: float | None = 0.0
    elif _has(folded, _VAGUE):
        return reject("not_a_duration", exact=True)
    else:
        try:
            months = months_in(cleaned, language)
        except (ValueError, OverflowError):
            months = None
    if months is None:
        return reject("not_a_duration")
    value = round(months, 1)
    out = check_range(value, minimum, maximum)
    if out:
        return out
    return accept(int(value) if value.is_integer() else value)
