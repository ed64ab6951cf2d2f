"""Month answers ("since March", "depuis mars 2025", "hace 3 meses") as ``YYYY-MM`` strings."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import dateparser

from bot.answers.normalize import fold, language_of, precheck, words
from bot.answers.numbers import words_to_digits
from bot.answers.result import ParseResult, accept, reject

EARLIEST_YEAR = 1950
DATEPARSER_MAX = 60
"""Longer answers skip ``dateparser`` (slow on long input and no date phrase is that long)."""

_MONTHS: dict[str, dict[str, int]] = {
    "en": {
        "january": 1,
        "jan": 1,
        "february": 2,
        "feb": 2,
        "march": 3,
        "mar": 3,
        "april": 4,
        "apr": 4,
        "may": 5,
        "june": 6,
        "jun": 6,
        "july": 7,
        "jul": 7,
        "august": 8,
        "aug": 8,
        "september": 9,
        "sept": 9,
        "sep": 9,
        "october": 10,
        "oct": 10,
        "november": 11,
        "nov": 11,
        "december": 12,
        "dec": 12,
    },
    "fr": {
        "janvier": 1,
        "janv": 1,
        "fevrier": 2,
        "fevr": 2,
        "fev": 2,
        "mars": 3,
        "avril": 4,
        "avr": 4,
        "mai": 5,
        "juin": 6,
        "juillet": 7,
        "juil": 7,
        "aout": 8,
        "septembre": 9,
        "octobre": 10,
        "oct": 10,
        "novembre": 11,
        "nov": 11,
        "decembre": 12,
        "dec": 12,
    },
    "es": {
        "enero": 1,
        "ene": 1,
        "febrero": 2,
        "feb": 2,
        "marzo": 3,
        "abril": 4,
        "abr": 4,
        "mayo": 5,
        "junio": 6,
        "julio": 7,
        "agosto": 8,
        "ago": 8,
        "septiembre": 9,
        "setiembre": 9,
        "sept": 9,
        "octubre": 10,
        "oct": 10,
        "noviembre": 11,
        "nov": 11,
        "diciembre": 12,
        "dic": 12,
    },
}
_UNIT = {
    "month": "m",
    "months": "m",
    "mois": "m",
    "mes": "m",
    "meses": "m",
    "year": "y",
    "years": "y",
    "an": "y",
    "ans": "y",
    "annee": "y",
    "annees": "y",
    "ano": "y",
    "anos": "y",
    "week": "w",
    "weeks": "w",
    "semaine": "w",
    "semaines": "w",
    "semana": "w",
    "semanas": "w",
    "day": "d",
    "days": "d",
    "jour": "d",
    "jours": "d",
    "dia": "d",
    "dias": "d",
}
_AGO_RE = re.compile(rf"\b(\d+(?:[.,]5)?)\s*({'|'.join(_UNIT)})\b")
_ARTICLE_RE = re.compile(r"\b(?:a|an|one)\s+(?=(?:month|year|week|day)\b)")
_LAST_MONTH = (
    "last month",
    "previous month",
    "mois dernier",
    "mois passe",
    "mois precedent",
    "mes pasado",
    "mes anterior",
)
_THIS_MONTH = ("this month", "current month", "ce mois", "mois en cours", "este mes", "mes actual")
_LAST_YEAR = ("last year", "annee derniere", "an dernier", "annee passee", "ano pasado")
_THIS_YEAR = ("this year", "cette annee", "este ano")
_LAST = ("last", "dernier", "derniere", "passe", "passee", "pasado", "pasada")
_FUTURE = (
    "next",
    "prochain",
    "prochaine",
    "proximo",
    "proxima",
    "que viene",
    "dans",
    "dentro",
    "from now",
)
_FUTURE_IN_RE = re.compile(r"\bin\s+\d")  # "in 3 months" is ahead; "in March" is not
_PREFIX_RE = re.compile(
    r"^(?:since|from|starting|started|in|on|depuis|des|a partir de|en|desde|a partir del?)\s+"
)
_YEAR_RE = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")
_NUMERIC: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), "ymd"),
    (re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?!\d)"), "dmy"),
    (re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})(?!\d)"), "ym"),
    (re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{4}|\d{2})(?!\d)"), "my"),
)


def _has(text: str, phrases: tuple[str, ...]) -> bool:
    """True when one of ``phrases`` occurs as whole words in folded ``text``."""
    padded = f" {' '.join(words(text))} "
    return any(f" {phrase} " in padded for phrase in phrases)


def _shift(today: date, months: int) -> tuple[int, int]:
    """The (year, month) ``months`` months before ``today``."""
    total = today.year * 12 + today.month - 1 - months
    return total // 12, total % 12 + 1


def _numeric(text: str, language: str) -> tuple[int, int] | None:
    """(year, month) from ``03/2025``, ``2025-03``, ``15/03/2025`` or ``03/25``."""
    for pattern, kind in _NUMERIC:
        match = pattern.search(text)
        if not match:
            continue
        a, b, *rest = (int(g) for g in match.groups())
        if kind == "ymd":
            return a, b
        if kind == "ym":
            return a, b
        if kind == "my":
            return (b + 2000 if b < 100 else b), a
        year = rest[0] + 2000 if rest[0] < 100 else rest[0]
        month_first = language == "en" and a <= 12 or b > 12
        return year, a if month_first else b
    return None


def _relative(text: str, today: date) -> tuple[int, int] | None:
    """(year, month) from "3 months ago", "il y a 2 ans", "last month", "este mes"."""
    if _has(text, _LAST_MONTH):
        return _shift(today, 1)
    if _has(text, _THIS_MONTH):
        return today.year, today.month
    match = _AGO_RE.search(_ARTICLE_RE.sub("1 ", text))
    if not match:
        return None
    amount = float(match.group(1).replace(",", "."))
    unit = _UNIT[match.group(2)]
    if unit in ("m", "y"):
        return _shift(today, round(amount * (12 if unit == "y" else 1)))
    past = today - timedelta(days=min(amount * (7 if unit == "w" else 1), 36500))
    return past.year, past.month


def _named(folded: str, digits: str, language: str, today: date) -> tuple[int, int, bool] | None:
    """(year, month, year given) from a month name with an optional year or "last year"."""
    tokens = words(folded)
    own = _MONTHS.get(language, {})
    months = {own[t] for t in tokens if t in own}
    if not months:
        months = {table[t] for table in _MONTHS.values() for t in tokens if t in table}
    if len(months) != 1:
        return None
    month = months.pop()
    years = set(_YEAR_RE.findall(digits))
    if len(years) > 1:
        return None
    if years:
        return int(years.pop()), month, True
    if _has(folded, _LAST_YEAR):
        return today.year - 1, month, True
    if _has(folded, _THIS_YEAR):
        return today.year, month, True
    if _has(folded, _LAST) and month >= today.month:
        return today.year - 1, month, True
    return today.year, month, False


def _with_dateparser(text: str, language: str, today: date) -> tuple[int, int] | None:
    """(year, month) for anything else ``dateparser`` understands ("yesterday", "hier")."""
    settings = {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["month"],
    }
    try:
        found = dateparser.parse(_PREFIX_RE.sub("", text), languages=[language], settings=settings)
    except Exception:  # dateparser is not hardened against arbitrary input
        return None
    return (found.year, found.month) if found else None


def _validate(year: int, month: int, year_given: bool, today: date) -> ParseResult:
    """``YYYY-MM`` when the month is real and not ahead of ``today``."""
    if not 1 <= month <= 12:
        return reject("not_a_date")
    if (year, month) > (today.year, today.month) and not year_given:
        year -= 1
    if (year, month) > (today.year, today.month):
        return reject("not_a_date", future=True)
    if year < EARLIEST_YEAR:
        return reject("not_a_date", min_year=EARLIEST_YEAR)
    return accept(f"{year:04d}-{month:02d}")


def parse_month(text: str, language: str, today: date | None = None) -> ParseResult:
    """A past or current month as ``YYYY-MM``.

    A month named without a year that is still ahead of ``today`` means last year's; an
    explicit future month is rejected (``not_a_date`` with ``future``).
    """
    cleaned, failure = precheck(text)
    if failure:
        return failure
    today = today or date.today()
    language = language_of(language)
    folded = fold(cleaned)
    digits = words_to_digits(cleaned, language)
    numeric = _numeric(folded, language)
    if numeric:
        return _validate(*numeric, True, today)
    if _has(folded, _FUTURE) or _FUTURE_IN_RE.search(digits):
        return reject("not_a_date", future=True)
    relative = _relative(digits, today)
    if relative:
        return _validate(*relative, True, today)
    named = _named(folded, digits, language, today)
    if named:
        return _validate(*named, today)
    if language not in _MONTHS and len(folded) <= DATEPARSER_MAX:  # an added language
        found = _with_dateparser(folded, language, today)
        if found:
            return _validate(*found, bool(_YEAR_RE.search(digits)), today)
    if _YEAR_RE.search(digits) or _has(folded, _LAST_YEAR + _THIS_YEAR):
        return reject("not_a_date", need_month=True)
    found = _with_dateparser(folded, language, today) if len(folded) <= DATEPARSER_MAX else None
    if found:
        return _validate(*found, bool(_YEAR_RE.search(digits)), today)
    return reject("not_a_date")
