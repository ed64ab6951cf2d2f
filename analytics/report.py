"""Build the outcome report of one programme (optionally one cohort): data, tables, metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pandas as pd

from analytics.cpi import CpiTable
from analytics.dataset import Dataset, Progress, load_dataset
from analytics.indicators import TABLE_TITLES, build_tables
from analytics.module_questions import module_titles
from analytics.weights import DEFAULT_CELLS
from bot.survey.windows import DEFAULT_GRACE_DAYS, DEFAULT_WINDOW_MONTHS


@dataclass
class Report:
    """Everything a renderer needs."""

    meta: dict[str, object]
    tables: dict[str, pd.DataFrame]
    titles: dict[str, str] = field(default_factory=lambda: dict(TABLE_TITLES))
    language: str = "en"  # of the rendered report (analytics/render/translate.py)
    # the facts behind meta's English sentences, for other languages (analytics/render/meta.py)
    facts: dict[str, object] = field(default_factory=dict)


def build_report(
    database_url: str,
    programme: str,
    cohort: str | None = None,
    *,
    as_of: date | None = None,
    followup_months: tuple[int, ...] = (6, 12),
    progress: Progress | None = None,
    weight_cells: tuple[str, ...] = DEFAULT_CELLS,
    grace_days: int = DEFAULT_GRACE_DAYS,
    window_months: int = DEFAULT_WINDOW_MONTHS,
    cpi: CpiTable | None = None,
) -> Report:
    """Read the data and compute every table; ``UnknownProgrammeError`` for a bad code.

    ``grace_days`` / ``window_months``: the fieldwork windows (:mod:`bot.survey.windows`);
    ``cpi``: the officer's price index (:mod:`analytics.cpi`), adds real earnings change.
    """
    dataset = load_dataset(
        database_url,
        programme,
        cohort,
        as_of=as_of,
        followup_months=followup_months,
        progress=progress,
        grace_days=grace_days,
        window_months=window_months,
    )
    if progress:
        progress("computing indicators")
    tables = build_tables(dataset, weight_cells, cpi)
    meta, facts = _header(dataset, grace_days, window_months, weight_cells, cpi)
    titles = {**TABLE_TITLES, **module_titles(dataset.questionnaire, dataset.programme)}
    return Report(meta=meta, tables=tables, titles=titles, facts=facts)


def _header(
    dataset: Dataset,
    grace_days: int,
    window_months: int,
    weight_cells: tuple[str, ...],
    cpi: CpiTable | None,
) -> tuple[dict[str, object], dict[str, object]]:
    """The report's header lines (what was read, when, how it was weighted) and the facts
    behind them, which the method notes and other languages are written from."""
    meta: dict[str, object] = {
        "programme": dataset.programme,
        "programme_name": dataset.programme_name,
        "cohort": dataset.cohort or "all cohorts",
        "report_date": dataset.as_of.isoformat(),
        "data_date": dataset.data_date.isoformat() if dataset.data_date else "no answers yet",
        "trainees": len(dataset.people),
        "waves": ", ".join(dataset.waves),
        "fieldwork_windows": (
            f"baseline until the training start + {grace_days} days; exit and each follow-up "
            f"for {window_months} months from the day it opens"
        ),
        "outside_fieldwork_window": outside_sentence(dataset.outside_window),
        "weighting_cells": " × ".join(weight_cells) or "none (one cell)",
        "questionnaire_version": dataset.questionnaire.version,
        "price_index": (
            f"earnings change also in baseline-month prices (CPI file {cpi.source})"
            if cpi
            else "none (amounts as given, not adjusted for inflation)"
        ),
        "generated_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    facts = {
        "grace_days": grace_days,
        "window_months": window_months,
        "weight_cells": tuple(weight_cells),
        "outside": dataset.outside_window,
        "has_cohort": dataset.cohort is not None,
        "has_data": dataset.data_date is not None,
        "cpi_source": cpi.source if cpi else None,
    }
    return meta, facts


def outside_sentence(outside: pd.DataFrame) -> str:
    """One line for the report: how many answers were left out for being outside their
    wave's fieldwork window, per wave."""
    if not len(outside) or int(outside["answers"].sum()) == 0:
        return "No answers outside the fieldwork window."
    parts = [
        f"{wave}: {int(row.responses)} response(s), {int(row.answers)} answers"
        for wave, row in outside.iterrows()
    ]
    total = int(outside["answers"].sum())
    return (
        f"{total} answers outside the fieldwork window were left out "
        f"(kept in the database; {'; '.join(parts)})."
    )
