"""Human-readable labels for groups and numbers in rendered reports, in the report's language."""

from __future__ import annotations

import math

import pandas as pd

from analytics.render import translate
from bot.i18n import t
from bot.questionnaire.loader import default_questionnaire

BREAKDOWN_LABELS = {
    "all": "All",
    "cohort": "Cohort",
    "sex": "Sex",
    "age_band": "Age band",
    "region": "Region",
    "completion": "Completion",
    "expectation": "Main expectation",
    "response": "Respondents or not",
}
_CHOICE_SOURCES = {
    "sex": "bl_sex",
    "completion": "ex_completed",
    "expectation": "bl_expectation_main",
}
_TRANSLATED_GROUPS = ("response", "age_band", "completion", "expectation", "sex")


def breakdown_label(breakdown: str, language: str = "en") -> str:
    """``age_band`` → ``Age band`` / ``Tranche d'âge``; ``status at followup_6`` too."""
    if breakdown in BREAKDOWN_LABELS:
        return t(f"report_term_{breakdown}", language)
    if breakdown.startswith("status at ") and language != "en":
        wave = translate.wave_label(breakdown[len("status at ") :], language)
        return t("report_term_status_at", language, wave=wave)
    return breakdown


def group_label(breakdown: str, group: str, language: str = "en") -> str:
    """``female`` → ``Woman`` / ``Femme``; codes of choice questions become their label."""
    if breakdown == "all":
        return t("report_term_all", language)
    source = _CHOICE_SOURCES.get(breakdown)
    if source:
        choice = default_questionnaire().question(source).choice(group)
        if choice is not None:
            return choice.label_in(language)
    if breakdown.startswith("status at "):
        from analytics.more_tables import STATUS_LABELS

        return translate.term(STATUS_LABELS.get(group, group), language)
    if breakdown in _TRANSLATED_GROUPS and not group[:1].isdigit():
        return translate.term(group, language)
    return group


def number(value: object, unit: str = "", language: str = "en") -> str:
    """A number for display: 1 decimal for %/ratings, thousands separators for money."""
    if language != "en":
        return translate.number(value, unit, language)
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    value = float(value)  # type: ignore[arg-type]
    if unit.startswith("%"):
        return f"{value:.1f}%"
    if unit in ("1-5",):
        return f"{value:.2f}"
    if unit == "months":
        return f"{value:.1f}"
    return f"{value:,.0f}"


def response(row: dict, language: str = "en") -> str:
    """``63.8% (495/776)`` for a row's wave response; the suppression mark when hidden."""
    rate = row.get("response_rate")
    due, responded = row.get("due"), row.get("responded")
    if isinstance(due, str) or isinstance(responded, str):
        return str(due)
    if due is None or (isinstance(due, float) and math.isnan(due)):
        return "–"
    return f"{number(rate, '%', language)} ({int(responded)}/{int(due)})"  # type: ignore[arg-type]


def interval(low: object, high: object, unit: str = "", language: str = "en") -> str:
    """``40.1–80.2`` for a 95 % interval; empty when there is none; the mark when hidden."""
    if isinstance(low, str):
        return low
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return ""
    start = number(low, unit, language).rstrip("%").rstrip("\u00a0")
    return f"{start}–{number(high, unit, language)}"


def design(n_eff: object, deff: object, language: str = "en") -> str:
    """``41 / 1.23``: Kish effective n and design effect of a weighted figure."""
    if isinstance(n_eff, str):
        return n_eff
    if n_eff is None or deff is None or pd.isna(n_eff) or pd.isna(deff):
        return "–"
    if language != "en":
        return (
            f"{translate.number(n_eff, 'n', language)} / {translate.number(deff, '1-5', language)}"
        )
    return f"{float(n_eff):.0f} / {float(deff):.2f}"  # type: ignore[arg-type]
