"""The report's words and numbers in the officer's language (``tracer report --lang``).

Analytics code names indicators, tables, groups and waves in English; this module looks each
English text up in the catalogue (``report_term_*`` in bot/i18n/report.yml, by its ``en``
text, with ``{currency}`` and ``{wave}`` standing for a currency code and a wave) or in the
questionnaire (question and choice labels already exist in every language).  "Prefix: choice"
names are translated part by part.  A text found nowhere stays English and is recorded in
:data:`MISSING`, which the completeness test reads.  Numbers and dates go through Babel.
"""

from __future__ import annotations

import math
import re
from datetime import date
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.i18n import catalog, normalise_language, t
from bot.questionnaire.loader import default_questionnaire
from bot.questionnaire.waves import BASELINE, EXIT

REPORT_LANGUAGES = ("en", "fr", "es")
MISSING: set[str] = set()
_CURRENCY = re.compile(r"\(([A-Z]{3})([,)])")
_WAVE = re.compile(r"\b(baseline|exit|followup_\d+)\b")
_FOLLOWUP = re.compile(r"^followup_(\d+)$")


@lru_cache(maxsize=1)
def _terms() -> dict[str, dict[str, str]]:
    """English text → its translations: catalogue terms, then questionnaire labels."""
    found: dict[str, dict[str, str]] = {}
    for question in default_questionnaire().questions:
        texts = {lang: question.label_in(lang) for lang in REPORT_LANGUAGES}
        found.setdefault(texts["en"], texts)
        for choice in question.choices or ():
            texts = {lang: choice.label_in(lang) for lang in REPORT_LANGUAGES}
            found.setdefault(texts["en"], texts)
    for key, texts in catalog().items():
        if key.startswith("report_term_"):
            found[texts["en"]] = texts  # the report's own wording wins
    return found


def wave_label(wave: str, language: str) -> str:
    """``followup_6`` → ``6-month follow-up`` / ``suivi à 6 mois``; ``a→b`` part by part."""
    if "→" in wave:
        return "→".join(wave_label(part, language) for part in wave.split("→"))
    match = _FOLLOWUP.match(wave)
    if match:
        return t("report_term_wave_followup", language, months=int(match.group(1)))
    if wave in (BASELINE, EXIT):
        return t(f"report_term_wave_{wave}", language)
    return term(wave, language)


def _exact(text: str, language: str) -> str | None:
    texts = _terms().get(text)
    if texts is not None:
        return texts.get(language) or None
    currency = _CURRENCY.search(text)
    if currency:
        pattern = _terms().get(_CURRENCY.sub(r"({currency}\2", text, count=1))
        if pattern:
            return pattern[language].replace("{currency}", currency.group(1))
    wave = _WAVE.search(text)
    if wave:
        pattern = _terms().get(_WAVE.sub("{wave}", text, count=1))
        if pattern:
            return pattern[language].replace("{wave}", wave_label(wave.group(1), language))
    return None


def term(text: str, language: str) -> str:
    """``text`` (an English name made by analytics) in ``language``; English if unknown."""
    language = normalise_language(language)
    if language == "en" or not text:
        return text
    found = _exact(text, language)
    if found is not None:
        return found
    if ": " in text:
        head, tail = text.split(": ", 1)
        head_found, tail_found = _exact(head, language), _exact(tail, language)
        if head_found is not None and tail_found is not None:
            return f"{head_found}{t('report_colon', language)}{tail_found}"
    MISSING.add(text)
    return text


def number(value: object, unit: str = "", language: str = "en") -> str:
    """A figure for display in ``language``: 1 decimal for %, 2 for ratings, grouped money."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    locale = normalise_language(language)
    value = float(value)  # type: ignore[arg-type]
    if unit.startswith("%"):
        text = format_decimal(value, "#,##0.0", locale=locale)
        return f"{text}%" if locale == "en" else f"{text}\u00a0%"
    if unit in ("1-5",):
        return format_decimal(value, "0.00", locale=locale)
    if unit == "months":
        return format_decimal(value, "0.0", locale=locale)
    return format_decimal(round(value), "#,##0", locale=locale)


def day(value: object, language: str) -> str:
    """An ISO date (``2026-11-30``) as the language writes it; other values unchanged."""
    try:
        parsed = date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return format_date(parsed, "medium", locale=normalise_language(language))
