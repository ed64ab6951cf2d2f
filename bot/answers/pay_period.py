"""Pay periods typed with an amount ("par jour", "a la semana", "/day", "weekly") and the
rule that turns an amount per period into a monthly equivalent.

The monthly equivalent is derived, never guessed: a daily amount needs the days worked in a
usual week, an hourly one the hours worked in a usual week. Rule (also in the method note and
the codebook)::

    month      × 1
    year       ÷ 12
    fortnight  × 26 ÷ 12
    week       × 52 ÷ 12
    day        × days per week × 52 ÷ 12
    hour       × hours per week × 52 ÷ 12
"""

from __future__ import annotations

import re

PERIODS: tuple[str, ...] = ("hour", "day", "week", "fortnight", "month", "year")
WEEKS_PER_MONTH = 52 / 12
PER_MONTH: dict[str, float] = {
    "month": 1.0,
    "year": 1 / 12,
    "fortnight": 26 / 12,
    "week": WEEKS_PER_MONTH,
}
"""Fixed factors to a month; ``day`` and ``hour`` also need the time worked in a usual week."""
FOLLOW_UP: dict[str, str] = {
    "day": "days_per_week",
    "week": "days_per_week",
    "hour": "hours_per_week",
}
"""The follow-up question a period leads to (the days answer is stored for weekly pay too)."""
CONVERSION_RULE = (
    "monthly = amount × 1 (per month); ÷ 12 (per year); × 26/12 (per fortnight); "
    "× 52/12 (per week); × days worked in a usual week × 52/12 (per day); "
    "× hours worked in a usual week × 52/12 (per hour)"
)

# Folded (lower case, no accents) phrases; "/x" forms are matched as typed.
_PHRASES: dict[str, tuple[str, ...]] = {
    "hour": (
        "per hour",
        "an hour",
        "a hour",
        "each hour",
        "every hour",
        "hourly",
        "by the hour",
        "per hr",
        "/hour",
        "/hr",
        "/h",
        "p/h",
        "par heure",
        "de l'heure",
        "de l heure",
        "a l'heure",
        "a l heure",
        "chaque heure",
        "/heure",
        "por hora",
        "a la hora",
        "la hora",
        "cada hora",
        "/hora",
    ),
    "day": (
        "per day",
        "a day",
        "each day",
        "every day",
        "daily",
        "by the day",
        "per diem",
        "/day",
        "/d",
        "p/d",
        "a shift",
        "per shift",
        "par jour",
        "par journee",
        "la journee",
        "le jour",
        "chaque jour",
        "tous les jours",
        "journalier",
        "journaliere",
        "par jr",
        "/jour",
        "/jr",
        "/j",
        "por dia",
        "al dia",
        "el dia",
        "cada dia",
        "diario",
        "diaria",
        "diarios",
        "diarias",
        "por jornada",
        "la jornada",
        "el jornal",
        "de jornal",
        "/dia",
    ),
    "week": (
        "per week",
        "a week",
        "each week",
        "every week",
        "weekly",
        "per wk",
        "a wk",
        "/week",
        "/wk",
        "/w",
        "p/w",
        "par semaine",
        "la semaine",
        "chaque semaine",
        "toutes les semaines",
        "hebdomadaire",
        "hebdomadaires",
        "par sem",
        "/semaine",
        "/sem",
        "por semana",
        "a la semana",
        "la semana",
        "cada semana",
        "semanal",
        "semanales",
        "semanalmente",
        "/semana",
        "/sem",
    ),
    "fortnight": (
        "per fortnight",
        "a fortnight",
        "each fortnight",
        "every fortnight",
        "fortnightly",
        "every two weeks",
        "every 2 weeks",
        "biweekly",
        "bi-weekly",
        "bi weekly",
        "par quinzaine",
        "la quinzaine",
        "chaque quinzaine",
        "tous les quinze jours",
        "tous les 15 jours",
        "toutes les deux semaines",
        "toutes les 2 semaines",
        "por quincena",
        "a la quincena",
        "la quincena",
        "cada quincena",
        "quincenal",
        "quincenales",
        "cada quince dias",
        "cada 15 dias",
        "cada dos semanas",
        "cada 2 semanas",
    ),
    "month": (
        "per month",
        "a month",
        "each month",
        "every month",
        "monthly",
        "per mth",
        "a mth",
        "/month",
        "/mth",
        "/mo",
        "/m",
        "p/m",
        "par mois",
        "le mois",
        "chaque mois",
        "tous les mois",
        "mensuel",
        "mensuels",
        "mensuelle",
        "mensuellement",
        "/mois",
        "por mes",
        "al mes",
        "el mes",
        "cada mes",
        "mensual",
        "mensuales",
        "mensualmente",
        "/mes",
    ),
    "year": (
        "per year",
        "a year",
        "each year",
        "every year",
        "yearly",
        "annually",
        "per annum",
        "a yr",
        "per yr",
        "/year",
        "/yr",
        "/an",
        "p/a",
        "par an",
        "par annee",
        "l'annee",
        "l annee",
        "chaque annee",
        "tous les ans",
        "annuel",
        "annuelle",
        "annuellement",
        "por ano",
        "al ano",
        "el ano",
        "cada ano",
        "anual",
        "anuales",
        "anualmente",
        "/ano",
    ),
}
_PHRASE_PERIOD = {phrase: period for period, phrases in _PHRASES.items() for phrase in phrases}


def _phrase_pattern(phrase: str) -> str:
    body = re.escape(phrase).replace(r"\ ", r"\s+")
    start = "" if phrase.startswith("/") else r"(?<![\w/])"
    return start + body + r"(?![\w])"


_ORDERED = sorted(_PHRASE_PERIOD, key=len, reverse=True)  # longest phrase wins
_PERIOD_RE = re.compile("|".join(f"(?P<p{i}>{_phrase_pattern(p)})" for i, p in enumerate(_ORDERED)))
_PHRASE_BY_GROUP = {f"p{i}": p for i, p in enumerate(_ORDERED)}
_UNIT = r"(?:days?|jours?|dias?|journees?|jornadas?)"
_HOURS = r"(?:hours?|hrs?|heures?|h|horas?)"
_WEEK = (
    r"(?:(?:a|per|each|every|par|por|a\s+la|la|sur\s+la|cada|/)\s*"
    r"(?:week|wk|semaine|semana|sem)\b)"
)
_DAYS_RE = re.compile(rf"(?<![\w.,])(\d)\s*{_UNIT}\s*(?:de\s+(?:travail|trabajo)\s*)?{_WEEK}")
_HOURS_RE = re.compile(
    rf"(?<![\w.,])(\d{{1,3}})\s*{_HOURS}\s*(?:de\s+(?:travail|trabajo)\s*)?{_WEEK}"
)


def find_periods(folded: str) -> tuple[set[str], str]:
    """The pay periods named in folded text (normally none or one), and the text without them."""
    found: set[str] = set()

    def drop(match: re.Match[str]) -> str:
        found.add(_PHRASE_PERIOD[_PHRASE_BY_GROUP[match.lastgroup or ""]])
        return " "

    rest = _PERIOD_RE.sub(drop, folded)
    return found, " ".join(rest.split())


def find_time_worked(folded: str) -> tuple[dict[str, int], str]:
    """Days or hours worked per week said with the amount ("6 days a week"), and the rest."""
    found: dict[str, int] = {}
    days = _DAYS_RE.search(folded)
    if days and 1 <= int(days.group(1)) <= 7:
        found["days_per_week"] = int(days.group(1))
        folded = folded[: days.start()] + " " + folded[days.end() :]
    hours = _HOURS_RE.search(folded)
    if hours and 1 <= int(hours.group(1)) <= 112:
        found["hours_per_week"] = int(hours.group(1))
        folded = folded[: hours.start()] + " " + folded[hours.end() :]
    return found, " ".join(folded.split())


def monthly_equivalent(
    amount: float,
    period: str,
    days_per_week: float | None = None,
    hours_per_week: float | None = None,
) -> float | None:
    """The amount per month by the rule above; ``None`` when the time worked is unknown."""
    if period in PER_MONTH:
        factor: float | None = PER_MONTH[period]
    elif period == "day":
        factor = days_per_week * WEEKS_PER_MONTH if days_per_week else None
    elif period == "hour":
        factor = hours_per_week * WEEKS_PER_MONTH if hours_per_week else None
    else:
        raise ValueError(f"unknown pay period {period!r}")
    return None if factor is None else round(amount * factor, 2)
