"""Money amounts with a currency and a pay period: ``1 500 FCFA``, ``2000 per day``,
``entre 100 000 et 150 000 FCFA``, ``500 pesos a la semana``, ``50 lucas``.

The value keeps the amount as typed (a range's midpoint, offered back for confirmation), its
period and currency, and the monthly equivalent when it follows from what was typed (see
:mod:`bot.answers.pay_period`). An amount whose currency is unknown is not accepted: the bot
asks for it.
"""

from __future__ import annotations

import re
from typing import Any

from bot.answers.currency import FRANC_ZONE, country_currency, currency_of, named_currencies
from bot.answers.normalize import fold, precheck
from bot.answers.numbers import find_numbers, says_zero, words_to_digits
from bot.answers.pay_period import FOLLOW_UP, find_periods, find_time_worked, monthly_equivalent
from bot.answers.result import ParseResult, accept, check_range, propose, reject

__all__ = ["FRANC_ZONE", "currency_of", "parse_money"]

_NOTHING = (
    "no income",
    "no salary",
    "no pay",
    "sin ingresos",
    "sin sueldo",
    "sin salario",
    "pas de revenu",
    "aucun revenu",
    "pas de salaire",
)
_IRREGULAR = re.compile(
    r"\b(?:sometimes|at times|some months|other months|it depends|depends|it varies|varies|"
    r"not fixed|not regular|irregular|parfois|des fois|quelquefois|certains mois|"
    r"ca depend|depend|ca varie|varie|pas fixe|irregulier|a veces|algunos meses|otros meses|"
    r"depende|varia|no es fijo|no fijo)\b"
)
_RANGE = re.compile(r"\b(?:between|from|to|and|entre|de|a|et|y|hasta|al)\b|\d\s*[-–]\s*\d")
# Local shorthands for thousands and millions: "50 lucas" (COP/CLP), "2 palos" (COP), "5 grand"
_SHORTHANDS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"\b(?:una|un)\s+lucas?\b"), 1e3),
    (re.compile(r"\b(?:un|1)\s+palo\b"), 1e6),
    (re.compile(r"\bmedio\s+palo\b"), 5e5),
)
_SHORTHAND_SUFFIX = re.compile(r"(\d+(?:[.,]\d+)?)\s*(lucas?|palos?|grand|grands)\b")
_SUFFIX_FACTOR = {"luca": 1e3, "lucas": 1e3, "palo": 1e6, "palos": 1e6, "grand": 1e3, "grands": 1e3}


def _expand_shorthands(converted: str) -> str:
    """``50 lucas`` → ``50000 lucas`` (the word stays: it also names the currency)."""
    for pattern, factor in _SHORTHANDS:
        converted = pattern.sub(f"{factor:.0f} pesos", converted)

    def expand(match: re.Match[str]) -> str:
        number = float(match.group(1).replace(",", "."))
        return f"{number * _SUFFIX_FACTOR[match.group(2)]:.0f} {match.group(2)}"

    return _SHORTHAND_SUFFIX.sub(expand, converted)


def _range_bounds(numbers: list[float], text: str) -> tuple[float, float] | None:
    """(low, high) of "between 100 and 150", "100-150k", "entre 50 et 80 mille"."""
    low, high = sorted(numbers)
    if low <= 0 or not _RANGE.search(text):
        return None
    for factor in (1e6, 1e3):  # "100-150k": the multiplier after the second number counts twice
        if low * factor <= high and high / (low * factor) < 10:
            low *= factor
            break
    return low, high


def _amounts(converted: str, language: str) -> list[float]:
    """Distinct numbers of the converted text, in order."""
    seen: list[float] = []
    for number in find_numbers(converted, language, suffixes=True):
        if number not in seen:
            seen.append(number)
    return seen


def parse_money(
    text: str,
    language: str,
    minimum: float | None = None,
    maximum: float | None = None,
    default_currency: str | None = None,
    *,
    country: str | None = None,
    period: str = "month",
) -> ParseResult:
    """``{"amount", "currency", "period", "monthly", …}`` from a typed amount.

    ``country`` (ISO 3166 of the trainee's cohort) decides what "pesos"/"shillings"/"$" mean and
    gives the currency of an amount typed without one; ``period`` is the one the question asks
    for. Errors: ``not_an_amount``, ``irregular_amount`` (ask for a usual month),
    ``no_currency`` (ask for the currency), ``out_of_range``. A range is proposed as its
    midpoint (``needs_confirmation``: the trainee confirms before it is stored); an amount
    read from words, or whose currency comes from the country, is echoed.
    """
    cleaned, failure = precheck(text)
    if failure:
        return failure
    folded = fold(cleaned)
    worked, folded = find_time_worked(folded)
    periods, folded = find_periods(folded)
    if len(periods) > 1:
        return reject("irregular_amount")
    read = _read_amount(cleaned, folded, language)
    if isinstance(read, ParseResult):
        return read
    amount, bounds = read
    out = check_range(amount, minimum, maximum)
    if out:
        return out
    currency, source, named = _currency(cleaned, default_currency, country)
    if currency is None and amount != 0:
        return reject("no_currency", amount=amount, named=bool(named))
    paid_per = periods.pop() if periods else period
    value: dict[str, Any] = {"amount": amount, "currency": currency, "period": paid_per}
    if bounds:
        value["range"] = [bounds[0], bounds[1]]
    value.update(worked)
    follow_up = FOLLOW_UP.get(paid_per) if amount else None
    value["follow_up"] = None if follow_up in worked else follow_up
    value["monthly"] = monthly_equivalent(amount, paid_per, **worked)
    if bounds:
        return propose(value, low=bounds[0], high=bounds[1])
    return accept(value, echo=any(c.isalpha() for c in cleaned) or source == "country")


def _read_amount(
    cleaned: str, folded: str, language: str
) -> tuple[float, tuple[float, float] | None] | ParseResult:
    """The amount typed (a range's midpoint, with its bounds), or the rejection."""
    converted = _expand_shorthands(words_to_digits(folded, language, suffixes=True))
    numbers = _amounts(converted, language)
    irregular = bool(_IRREGULAR.search(folded))
    bounds = None
    if len(numbers) == 2 and not irregular:
        bounds = _range_bounds(numbers, converted)
        if bounds is None:
            return reject("irregular_amount")
    elif len(numbers) > 2 or (irregular and len(numbers) != 1):
        return reject("irregular_amount")
    if bounds:
        amount = (bounds[0] + bounds[1]) / 2
    elif numbers:
        amount = numbers[0]
    elif says_zero(cleaned) or any(phrase in folded for phrase in _NOTHING):
        amount = 0.0
    else:
        return reject("not_an_amount")
    return round(amount, 2) + 0.0, bounds  # + 0.0 turns -0.0 into 0.0


def _currency(
    cleaned: str, default_currency: str | None, country: str | None
) -> tuple[str | None, str | None, list[str]]:
    """(currency, where it came from: ``text``/``country``/None, currencies named in the text)."""
    named = named_currencies(cleaned)
    currency = currency_of(cleaned, default_currency, country)
    source = "text" if currency else None
    if currency is None and not named:
        currency = country_currency(country) or (
            default_currency.upper() if default_currency else None
        )
        source = "country" if currency else None
    return currency, source, named
