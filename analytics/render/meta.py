"""The report's details (programme, dates, windows, weighting) in the report's language."""

from __future__ import annotations

import pandas as pd

from analytics.render import translate
from analytics.report import Report
from bot.i18n import t


def outside_sentence(outside: pd.DataFrame, language: str) -> str:
    """How many answers were left out for being outside their wave's window, per wave."""
    if not len(outside) or int(outside["answers"].sum()) == 0:
        return t("report_outside_none", language)
    parts = "; ".join(
        t(
            "report_outside_part",
            language,
            wave=translate.wave_label(str(wave), language),
            responses=int(row.responses),
            answers=int(row.answers),
        )  # fmt: skip
        for wave, row in outside.iterrows()
    )
    return t("report_outside_some", language, total=int(outside["answers"].sum()), parts=parts)


def localised_meta(report: Report) -> dict[str, object]:
    """``report.meta`` with its words, dates and waves in ``report.language``."""
    language, facts = report.language, report.facts
    meta = dict(report.meta)
    if language == "en" or not facts:
        return meta
    if not facts.get("has_cohort"):
        meta["cohort"] = t("report_meta_all_cohorts", language)
    meta["report_date"] = translate.day(meta["report_date"], language)
    meta["data_date"] = (
        translate.day(meta["data_date"], language)
        if facts.get("has_data")
        else t("report_meta_no_answers", language)
    )
    waves = [w for w in str(meta["waves"]).split(", ") if w]
    meta["waves"] = ", ".join(translate.wave_label(w, language) for w in waves)
    meta["fieldwork_windows"] = t(
        "report_fieldwork_windows",
        language,
        grace=facts["grace_days"],
        months=facts["window_months"],
    )
    meta["outside_fieldwork_window"] = outside_sentence(facts["outside"], language)
    cells = [t(f"report_term_{c}", language).lower() for c in facts["weight_cells"]]  # type: ignore[attr-defined]
    meta["weighting_cells"] = " × ".join(cells) or t("report_meta_one_cell", language)
    source = facts.get("cpi_source")
    meta["price_index"] = (
        t("report_meta_cpi_used", language, source=source)
        if source
        else t("report_meta_cpi_none", language)
    )
    return meta


META_LABELS = {
    "programme": "report_meta_programme",
    "programme_name": "report_meta_programme",
    "cohort": "report_meta_cohort",
    "report_date": "report_meta_report_date",
    "data_date": "report_meta_data_date",
    "trainees": "report_meta_trainees",
    "waves": "report_meta_waves",
    "fieldwork_windows": "report_meta_fieldwork_windows",
    "outside_fieldwork_window": "report_meta_outside",
    "weighting_cells": "report_meta_weighting_cells",
    "questionnaire_version": "report_meta_questionnaire",
    "price_index": "report_meta_price_index",
    "generated_at": "report_meta_generated_at",
}


def meta_label(key: str, language: str) -> str:
    """The label of a details item (``data_date`` → ``Data as of`` / ``Données au``)."""
    return t(META_LABELS[key], language) if key in META_LABELS else key.replace("_", " ")
