"""The method note printed with every report: definitions, denominators, weighting, limits."""

from __future__ import annotations

from bot.answers.pay_period import CONVERSION_RULE
from bot.i18n import t

# The note's entries in order: catalogue keys ``report_method_<name>`` (the term) and
# ``report_method_<name>_text`` (bot/i18n/report.yml, in en/fr/es).
METHOD_ENTRIES = (
    "figures",
    "due",
    "windows",
    "respondent",
    "completion",
    "labour",
    "icse",
    "formality",
    "first_job",
    "earnings",
    "periods",
    "expectations",
    "ratings",
    "weighting",
    "intervals",
    "breakdowns",
    "small_cells",
)


def method_note(language: str = "en") -> tuple[tuple[str, str], ...]:
    """(term, text) pairs of the method note in ``language``."""
    rule = CONVERSION_RULE if language == "en" else t("report_method_conversion_rule", language)
    return tuple(
        (
            t(f"report_method_{name}", language),
            t(f"report_method_{name}_text", language).replace("{rule}", rule),
        )
        for name in METHOD_ENTRIES
    )


METHOD_NOTE: tuple[tuple[str, str], ...] = method_note("en")


def method_text(language: str = "en") -> str:
    """The method note as plain text (CSV folder, workbook)."""
    return "\n\n".join(f"{term}: {text}" for term, text in method_note(language))
