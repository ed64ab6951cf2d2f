"""The report's tables, registered explicitly: name → (title, function of the builder).

Order here is the order of the report. A new section adds one entry (its function takes the
:class:`analytics.indicators.IndicatorBuilder` and returns rows of ``indicators.COLUMNS``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from analytics import more_tables, outcome_tables, status_tables

if TYPE_CHECKING:
    from analytics.indicators import IndicatorBuilder

TableFunction = Callable[["IndicatorBuilder"], list[dict]]

REPORT_TABLES: dict[str, tuple[str, TableFunction]] = {
    "completion": ("Completion and dropout", status_tables.completion_table),
    "labour": ("Labour-market status", status_tables.labour_table),
    "employment_type": (
        "Wage employment and self-employment",
        status_tables.employment_type_table,
    ),
    "first_job": ("Time to first job", status_tables.first_job_table),
    "job_match": ("Relevance of the job and use of skills", status_tables.job_match_table),
    "formality": ("Formality of work", status_tables.formality_table),
    "earnings": ("Earnings", outcome_tables.earnings_table),
    "further_study": ("Further education or training", outcome_tables.further_study_table),
    "expectations": ("Expectations vs outcomes", outcome_tables.expectations_table),
    "satisfaction": ("Satisfaction and usefulness", outcome_tables.satisfaction_table),
    "training": ("Training as received (exit)", more_tables.training_table),
    "work": ("Hours and reasons for not looking for work", more_tables.work_table),
    "expectation_gap": (
        "Expected and actual: months to a job, earnings, occupation",
        more_tables.expectation_gap_table,
    ),
    "panel": ("From one follow-up to the next (panel)", more_tables.panel_table),
    "nonresponse": ("Respondents and non-respondents compared", more_tables.nonresponse_table),
}
# Computing time of each table in ~10 ms (measured at 100k trainees, bench/bench_report.py,
# after IndicatorBuilder._prepare_shared): the report splits them between two processes on
# this (analytics/forked.py).
TABLE_COST: dict[str, float] = {
    "earnings": 24,
    "expectation_gap": 19,
    "job_match": 19,
    "first_job": 16,
    "expectations": 14,
    "completion": 13,
    "nonresponse": 12,
    "labour": 11,
    "employment_type": 10,
    "training": 10,
    "satisfaction": 8,
    "formality": 8,
    "work": 8,
    "panel": 6,
    "further_study": 1.5,
}

TABLE_TITLES: dict[str, str] = {
    "response": "Response rates",
    **{name: title for name, (title, _) in REPORT_TABLES.items()},
}
