"""Money amounts with an optional currency: ``1 500 FCFA``, ``$200``, ``deux cent mille francs``."""

from __future__ import annotations

import re

from price_parser import Price

from bot.answers.normalize import fold, precheck, words
from bot.answers.numbers import find_numbers, single_number
from bot.answers.result import ParseResult, accept, check_range, reject

FRANC_ZONE: tuple[str, ...] = ("XOF", "XAF", "GNF", "RWF", "BIF", "CDF", "KMF", "DJF")
"""Currencies people call plain "francs"; a question's ``unit`` among these is used for them."""

_FRANC = "franc"
_SYMBOLS: tuple[tuple[str, str], ...] = (
    ("us$", "USD"), ("gh₵", "GHS"), ("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("₦", "NGN"),
    ("₵", "GHS"),
)
_WORDS: dict[str, str] = {
    # West and Central African CFA francs, Guinean franc and plain "francs"
    "francs cfa": "XOF", "franc cfa": "XOF", "f cfa": "XOF", "fcfa": "XOF", "cfa": "XOF",
    "cfaf": "XOF", "xof": "XOF", "xaf": "XAF", "gnf": "GNF", "fg": "GNF",
    "franc guineen": "GNF", "francs guineens": "GNF", "rwf": "RWF", "frw": "RWF",
    "bif": "BIF", "cdf": "CDF", "kmf": "KMF", "djf": "DJF",
    "franc": _FRANC, "francs": _FRANC, "f": _FRANC,
    # Dollars, euros, pounds
    "usd": "USD", "dollar": "USD", "dollars": "USD", "dolar": "USD", "dolares": "USD",
    "bucks": "USD", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "livre sterling": "GBP",
    "livres sterling": "GBP", "libra": "GBP", "libras": "GBP",
    # East, West, North and Southern Africa
    "kes": "KES", "ksh": "KES", "kshs": "KES", "shilling": "KES", "shillings": "KES",
    "ugx": "UGX", "tzs": "TZS", "ngn": "NGN", "naira": "NGN", "ghs": "GHS", "ghc": "GHS",
    "cedi": "GHS", "cedis": "GHS", "mad": "MAD", "dirham": "MAD", "dirhams": "MAD",
    "dh": "MAD", "dhs": "MAD", "etb": "ETB", "birr": "ETB", "zar": "ZAR", "rand": "ZAR",
    "rands": "ZAR", "sle": "SLE", "sll": "SLE", "leone": "SLE", "leones": "SLE",
    "lrd": "LRD", "gmd": "GMD", "dalasi": "GMD", "dalasis": "GMD", "mru": "MRU",
    "ouguiya": "MRU", "cve": "CVE", "escudo": "CVE", "escudos": "CVE", "mga": "MGA",
    "ariary": "MGA", "tnd": "TND", "dzd": "DZD", "egp": "EGP", "xpf": "XPF",
}
_WORD_RE = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True)) + r")\b"
)
_NOTHING = ("no income", "no salary", "no pay", "sin ingresos", "sin sueldo", "sin salario")


def currency_of(text: str, default: str | None = None) -> str | None:
    """The ISO 4217 code named in ``text`` (``None`` when none or several differ).

    ``default`` (the question's unit) decides what plain "francs" and "CFA" mean.
    """
    found: list[str] = [code for symbol, code in _SYMBOLS if symbol in text.casefold()]
    spaced = re.sub(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)", " ", fold(text))
    found += [_WORDS[m.group(1)] for m in _WORD_RE.finditer(" ".join(words(spaced)))]
    if not found:
        try:
            symbol = Price.fromstring(text).currency
        except Exception:  # price-parser is not hardened against arbitrary input
            symbol = None
        found = [code for s, code in _SYMBOLS if symbol and s == symbol.casefold()]
    default = default.upper() if default else None
    resolved = set()
    for code in found:
        if code == _FRANC:
            code = default if default in FRANC_ZONE else "XOF"
        elif code == "XOF" and default == "XAF":
            code = "XAF"
        resolved.add(code)
    return resolved.pop() if len(resolved) == 1 else None


def parse_money(
    text: str,
    language: str,
    minimum: float | None = None,
    maximum: float | None = None,
    default_currency: str | None = None,
) -> ParseResult:
    """``{"amount": float, "currency": ISO code or None}``; "nothing"/"rien"/"nada" is 0."""
    cleaned, failure = precheck(text)
    if failure:
        return failure
    amount = single_number(cleaned, language, suffixes=True)
    if amount is None and not find_numbers(cleaned, language, suffixes=True):
        if any(phrase in fold(cleaned) for phrase in _NOTHING):
            amount = 0.0
    if amount is None:
        return reject("not_an_amount")
    amount = round(amount, 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    out = check_range(amount, minimum, maximum)
    if out:
        return out
    return accept({"amount": amount, "currency": currency_of(cleaned, default_currency)})
