"""The currency of a typed amount: from the text, else from the cohort's country.

Some words name a family of currencies, not one: "pesos" (COP, MXN, ARS…), "shillings" (KES,
UGX, TZS…), "francs" (XOF, XAF, GNF…), "$". The country of the trainee's cohort picks the
member (``CO`` → COP, ``KE`` → KES); without a country a family with no usual default stays
unknown, and the bot asks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel.numbers import get_territory_currencies
from price_parser import Price

from bot.answers.normalize import fold, words

FRANC_ZONE: tuple[str, ...] = ("XOF", "XAF", "GNF", "RWF", "BIF", "CDF", "KMF", "DJF")
"""Currencies people call plain "francs"."""

# family → (members, default when the country does not name one of them)
FAMILIES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "franc": (FRANC_ZONE + ("CHF",), "XOF"),
    "cfa": (("XOF", "XAF"), "XOF"),
    "peso": (("COP", "MXN", "ARS", "CLP", "DOP", "CUP", "UYU", "PHP"), None),
    "shilling": (("KES", "UGX", "TZS", "SOS"), None),
    "dollar": (("USD", "LRD", "NAD", "ZWL", "BZD", "TTD", "JMD", "GYD"), "USD"),
    "dollar_sign": (("USD", "COP", "MXN", "ARS", "CLP", "DOP", "CUP", "UYU", "LRD", "NAD"), "USD"),
    "pound": (("GBP", "EGP", "SSP", "SDG"), "GBP"),
    "dirham": (("MAD", "AED"), "MAD"),
    "sol": (("PEN",), "PEN"),
}
_SYMBOLS: tuple[tuple[str, str], ...] = (
    ("us$", "USD"),
    ("gh₵", "GHS"),
    ("col$", "COP"),
    ("mx$", "MXN"),
    ("$", "dollar_sign"),
    ("€", "EUR"),
    ("£", "pound"),
    ("₦", "NGN"),
    ("₵", "GHS"),
    ("₱", "PHP"),
)
_WORDS: dict[str, str] = {
    # CFA francs, Guinean franc and plain "francs"
    "francs cfa": "cfa",
    "franc cfa": "cfa",
    "f cfa": "cfa",
    "fcfa": "cfa",
    "cfa": "cfa",
    "cfaf": "cfa",
    "xof": "XOF",
    "xaf": "XAF",
    "gnf": "GNF",
    "fg": "GNF",
    "franc guineen": "GNF",
    "francs guineens": "GNF",
    "rwf": "RWF",
    "frw": "RWF",
    "bif": "BIF",
    "cdf": "CDF",
    "kmf": "KMF",
    "djf": "DJF",
    "chf": "CHF",
    "franc": "franc",
    "francs": "franc",
    "f": "franc",
    "balles": "franc",
    # Dollars, euros, pounds
    "usd": "USD",
    "us dollars": "USD",
    "us dollar": "USD",
    "dolares americanos": "USD",
    "dollars americains": "USD",
    "dollar": "dollar",
    "dollars": "dollar",
    "dolar": "dollar",
    "dolares": "dollar",
    "bucks": "dollar",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "gbp": "GBP",
    "pound": "pound",
    "pounds": "pound",
    "livre sterling": "GBP",
    "livres sterling": "GBP",
    "libra": "pound",
    "libras": "pound",
    # Pesos and other Latin American currencies
    "peso": "peso",
    "pesos": "peso",
    "cop": "COP",
    "pesos colombianos": "COP",
    "mxn": "MXN",
    "pesos mexicanos": "MXN",
    "ars": "ARS",
    "clp": "CLP",
    "dop": "DOP",
    "luca": "peso",
    "lucas": "peso",
    "palo": "peso",
    "palos": "peso",
    "soles": "sol",
    "pen": "PEN",
    "quetzal": "GTQ",
    "quetzales": "GTQ",
    "gtq": "GTQ",
    "lempira": "HNL",
    "lempiras": "HNL",
    "hnl": "HNL",
    "colones": "CRC",
    "crc": "CRC",
    "cordoba": "NIO",
    "cordobas": "NIO",
    "nio": "NIO",
    "boliviano": "BOB",
    "bolivianos": "BOB",
    "guarani": "PYG",
    "guaranies": "PYG",
    "reales": "BRL",
    "reais": "BRL",
    "brl": "BRL",
    # East, West, North and Southern Africa
    "kes": "KES",
    "ksh": "KES",
    "kshs": "KES",
    "bob": "KES",
    "shilling": "shilling",
    "shillings": "shilling",
    "chelines": "shilling",
    "shillings kenyans": "KES",
    "kenyan shillings": "KES",
    "ugandan shillings": "UGX",
    "tanzanian shillings": "TZS",
    "ugx": "UGX",
    "ush": "UGX",
    "tzs": "TZS",
    "tsh": "TZS",
    "ngn": "NGN",
    "naira": "NGN",
    "ghs": "GHS",
    "ghc": "GHS",
    "cedi": "GHS",
    "cedis": "GHS",
    "mad": "MAD",
    "dirham": "dirham",
    "dirhams": "dirham",
    "dh": "MAD",
    "dhs": "MAD",
    "etb": "ETB",
    "birr": "ETB",
    "zar": "ZAR",
    "rand": "ZAR",
    "rands": "ZAR",
    "sle": "SLE",
    "sll": "SLE",
    "leone": "SLE",
    "leones": "SLE",
    "lrd": "LRD",
    "gmd": "GMD",
    "dalasi": "GMD",
    "dalasis": "GMD",
    "mru": "MRU",
    "ouguiya": "MRU",
    "cve": "CVE",
    "escudo": "CVE",
    "escudos": "CVE",
    "mga": "MGA",
    "ariary": "MGA",
    "tnd": "TND",
    "dzd": "DZD",
    "egp": "EGP",
    "xpf": "XPF",
    "php": "PHP",
    "aed": "AED",
}
_WORD_RE = re.compile(
    r"\b(" + "|".join(re.escape(w) for w in sorted(_WORDS, key=len, reverse=True)) + r")\b"
)


@lru_cache(maxsize=64)
def country_currency(country: str | None) -> str | None:
    """The currency in use today in ``country`` (ISO 3166 alpha-2, e.g. ``KE`` → ``KES``)."""
    if not country:
        return None
    try:
        codes = get_territory_currencies(country.upper())
    except Exception:  # babel raises on unknown territories
        return None
    return codes[0] if codes else None


def _resolve(name: str, local: str | None, default: str | None) -> str | None:
    """A family name or ISO code → one ISO code, using the local (country) currency."""
    if name not in FAMILIES:
        return name
    members, fallback = FAMILIES[name]
    if local in members:
        return local
    if default in members:
        return default
    return fallback


def named_currencies(text: str) -> list[str]:
    """ISO codes and family names (``peso``, ``shilling``…) named in ``text``."""
    found: list[str] = [name for symbol, name in _SYMBOLS if symbol in text.casefold()]
    if "us$" in text.casefold():
        found = [name for name in found if name != "dollar_sign"]
    spaced = re.sub(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)", " ", fold(text))
    found += [_WORDS[m.group(1)] for m in _WORD_RE.finditer(" ".join(words(spaced)))]
    if not found:
        try:
            symbol = Price.fromstring(text).currency
        except Exception:  # price-parser is not hardened against arbitrary input
            symbol = None
        found = [name for s, name in _SYMBOLS if symbol and s == symbol.casefold()]
    return found


def currency_of(text: str, default: str | None = None, country: str | None = None) -> str | None:
    """The ISO 4217 code named in ``text`` (``None`` when none, unclear, or several differ).

    ``country`` (of the trainee's cohort) decides which peso, shilling, franc or dollar a word
    means; ``default`` (the question's unit) is used the same way when there is no country.
    """
    local = country_currency(country)
    default = default.upper() if default else None
    resolved = {_resolve(name, local, default) for name in named_currencies(text)}
    resolved.discard(None)
    if len(resolved) > 1 and local in resolved:
        # "50 000 shillings (KES)" names one currency twice
        resolved = {local}
    return resolved.pop() if len(resolved) == 1 else None
