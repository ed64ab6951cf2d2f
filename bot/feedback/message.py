"""The short results message a trainee gets when a wave closes, in their language."""

from __future__ import annotations

import hashlib
import hmac

from babel.numbers import format_percent

from analytics.feedback_figures import Summary
from bot.config import Settings
from bot.i18n import normalise_language, t
from bot.questionnaire.loader import wave_kind
from bot.questionnaire.waves import FOLLOWUP
from bot.survey.windows import wave_month

MAX_FIGURES = 2  # a short message: the page has them all


def percent(value: float, language: str) -> str:
    """``62 %`` / ``62%`` as the language writes a whole percentage (Babel)."""
    return format_percent(round(value) / 100, locale=normalise_language(language))


def summary_token(settings: Settings, programme: str, cohort: str | None, wave: str) -> str:
    """The public page's id: keyed hash of programme/cohort/wave (unguessable, stable)."""
    key = settings.secret_key.encode("utf-8")
    text = f"feedback|{programme}|{cohort or ''}|{wave}".encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()[:24]


def page_link(settings: Settings, token: str, language: str) -> str:
    """Public address of the summary page in ``language``."""
    return f"{settings.web_base_url.rstrip('/')}/results/{token}?lang={language}"


def figure_phrases(summary: Summary, language: str, limit: int | None = None) -> list[str]:
    """One phrase per published figure in ``language`` (``62 % of your cohort were working``)."""
    group = t(f"feedback_group_{summary.scope or 'programme'}", language)
    figures = summary.figures[:limit] if limit else summary.figures
    return [
        t(f"feedback_fig_{f.code}", language, value=percent(f.value, language), group=group)
        for f in figures
    ]


def compose(summary: Summary, language: str, link: str) -> str | None:
    """The message of ``summary`` in ``language``; None when nothing may be published."""
    if not summary.figures or summary.scope is None:
        return None
    language = normalise_language(language)
    phrases = figure_phrases(summary, language, MAX_FIGURES)
    figures = t("feedback_and", language).join(phrases)
    kind = wave_kind(summary.wave)
    if kind == FOLLOWUP:
        months = wave_month(summary.wave)
        return t("feedback_followup", language, months=months, figures=figures, link=link)
    return t("feedback_exit", language, figures=figures, link=link)
