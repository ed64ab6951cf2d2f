"""Build the outcome report of one programme (optionally one cohort): data, tables, metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pandas as pd

from analytics.dataset import Progress, load_dataset
from analytics.indicators import TABLE_TITLES, build_tables
from analytics.weights import DEFAULT_CELLS
from bot.questionnaire.loader import default_questionnaire


@dataclass
class Report:
    """Everything a renderer needs."""

    meta: dict[str, object]
    tables: dict[str, pd.DataFrame]
    titles: dict[str, str] = field(default_factory=lambda: dict(TABLE_TITLES))


def build_report(
    database_url: str,
    programme: str,
    cohort: str | None = None,
    *,
    as_of: date | None = None,
    followup_months: tuple[int, ...] = (6, 12),
    progress: Progress | None = None,
    weight_cells: tuple[str, ...] = DEFAULT_CELLS,
) -> Report:
    """Read the data and compute every table; ``UnknownProgrammeError`` for a bad code."""
    dataset = load_dataset(
        database_url,
        programme,
        cohort,
        as_of=as_of,
        followup_months=followup_months,
        progress=progress,
    )
    if progress:
        progress("computing indicators")
    tables = build_tables(dataset, weight_cells)
    meta: dict[str, object] = {
        "programme": dataset.programme,
        "programme_name": dataset.programme_name,
        "cohort": dataset.cohort or "all cohorts",
        "report_date": dataset.as_of.isoformat(),
        "data_date": dataset.data_date.isoformat() if dataset.data_date else "no answers yet",
        "trainees": len(dataset.people),
        "waves": ", ".join(dataset.waves),
        "weighting_cells": " × ".join(weight_cells) or "none (one cell)",
        "questionnaire_version": default_questionnaire().version,
        "generated_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }
    return Report(meta=meta, tables=tables)
