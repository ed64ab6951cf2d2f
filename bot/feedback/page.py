"""The one-page public summary of a wave's results: HTML, no identifiers, phone and print."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from analytics.feedback_figures import Summary
from bot.feedback.message import figure_phrases, percent
from bot.i18n import normalise_language, t
from bot.questionnaire.loader import wave_kind
from bot.questionnaire.waves import FOLLOWUP
from bot.survey.windows import wave_month

TEMPLATES = Path(__file__).with_name("templates")
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "public, max-age=300",
}


def wave_words(wave: str, language: str) -> str:
    """``6 months after training`` / ``at the end of the training``."""
    if wave_kind(wave) == FOLLOWUP:
        return t("feedback_page_wave_followup", language, months=wave_month(wave))
    return t("feedback_page_wave_exit", language)


def render_page(summary: Summary, language: str) -> str:
    """The summary page of ``summary`` in ``language`` (self-contained HTML)."""
    language = normalise_language(language)
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"])
    )
    phrases = figure_phrases(summary, language)
    figures = [
        {
            "big": percent(figure.value, language),
            "text": phrase,
            "n": t("feedback_page_of_n", language, n=figure.n),
        }
        for figure, phrase in zip(summary.figures, phrases, strict=True)
    ]
    wave = wave_words(summary.wave, language)
    respondents = summary.respondents if summary.respondents is not None else "x"
    if summary.scope == "cohort":
        scope = t("feedback_page_scope_cohort", language, cohort=summary.cohort, wave=wave,
                  respondents=respondents)  # fmt: skip
    else:
        scope = t("feedback_page_scope_programme", language, wave=wave, respondents=respondents)
    return environment.get_template("summary.html.j2").render(
        language=language,
        title=t("feedback_page_title", language, programme=summary.programme_name),
        scope=scope if summary.scope else "",
        figures=figures,
        nothing=t("feedback_page_nothing", language) if not figures else "",
        note=t("feedback_page_note", language),
        thanks=t("feedback_page_thanks", language),
    )
