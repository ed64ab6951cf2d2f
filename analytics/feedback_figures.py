"""The few figures a trainee gets back when a wave closes (issue 20), read from the report.

The figures are rows of the report's own tables (:func:`analytics.report.build_report`), so
they equal the report's figures for the same cohort, after the same small-cell suppression:
a hidden (``x``) or missing figure is never sent.  When the cohort's figures are all hidden,
the programme's (all cohorts) are used instead; when those are hidden too, there is nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Callable

import pandas as pd

from analytics.disclosure import SUPPRESSED
from analytics.report import Report, build_report
from bot.questionnaire.loader import wave_kind
from bot.questionnaire.waves import EXIT, FOLLOWUP

# Per wave kind: (figure code, report table, indicator), in the order they are told.
FIGURES: dict[str, tuple[tuple[str, str, str], ...]] = {
    FOLLOWUP: (
        ("working", "labour", "Employment rate (employed / respondents)"),
        ("field", "job_match", "Job in the same or a related field"),
        ("satisfied_later", "satisfaction", "Satisfaction with training (looking back): rated 4-5"),
    ),
    EXIT: (
        ("recommend", "training", "Would recommend the training"),
        ("satisfied", "satisfaction", "Satisfaction with training: rated 4-5"),
        ("internship", "training", "Internship or apprenticeship in a company"),
    ),
}
SCOPES = ("cohort", "programme")


@dataclass(frozen=True)
class Figure:
    """One published share: ``value`` in % exactly as in the report, over ``n`` respondents."""

    code: str
    indicator: str
    value: float
    n: int


@dataclass
class Summary:
    """What a wave's feedback tells: aggregate figures of one scope, no trainee in it."""

    programme: str
    programme_name: str
    cohort: str | None
    wave: str
    scope: str | None  # "cohort", "programme", or None: nothing publishable
    figures: list[Figure] = field(default_factory=list)
    respondents: int | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (stored behind the public page)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Summary:
        """The inverse of :meth:`to_json`."""
        values = dict(data)
        values["figures"] = [Figure(**f) for f in values.get("figures", [])]
        return cls(**values)


def _publishable(value: object) -> float | None:
    if value is None or isinstance(value, str) or pd.isna(value):
        return None
    return float(value)  # type: ignore[arg-type]


def report_figures(report: Report, wave: str) -> list[Figure]:
    """The feedback figures of ``wave`` that ``report`` publishes (suppressed ones left out)."""
    found = []
    for code, table_name, indicator in FIGURES.get(wave_kind(wave), ()):
        table = report.tables.get(table_name)
        if table is None:
            continue
        rows = table[
            (table["indicator"] == indicator)
            & (table["wave"] == wave)
            & (table["breakdown"] == "all")
        ]
        if rows.empty:
            continue
        row = rows.iloc[0]
        value = _publishable(row["value"])
        if value is None or row["n"] == SUPPRESSED:
            continue
        found.append(Figure(code, indicator, value, int(row["n"])))
    return found


def _respondents(report: Report, wave: str) -> int | None:
    table = report.tables["response"]
    rows = table[(table["wave"] == wave) & (table["breakdown"] == "all")]
    if rows.empty or rows.iloc[0]["responded"] == SUPPRESSED:
        return None
    return int(rows.iloc[0]["responded"])


ReportMaker = Callable[[str | None], Report]


def wave_summary(
    database_url: str,
    programme: str,
    cohort: str | None,
    wave: str,
    *,
    as_of: date | None = None,
    **report_options: Any,
) -> Summary:
    """The feedback of ``wave`` for a cohort: its own figures, else the programme's, else none.

    ``report_options`` are passed to :func:`build_report` (followup_months, grace_days,
    window_months), so the figures are those of ``tracer report`` with the same settings.
    """

    def make(scope_cohort: str | None) -> Report:
        return build_report(database_url, programme, scope_cohort, as_of=as_of, **report_options)

    return summary_from_reports(make, programme, cohort, wave)


def summary_from_reports(
    make: ReportMaker, programme: str, cohort: str | None, wave: str
) -> Summary:
    """:func:`wave_summary` with the report builder given (tests, cached reports)."""
    scopes: list[tuple[str, str | None]] = [("cohort", cohort)] if cohort else []
    scopes.append(("programme", None))
    name = programme
    for scope, scope_cohort in scopes:
        report = make(scope_cohort)
        name = str(report.meta["programme_name"])
        figures = report_figures(report, wave)
        if figures:
            return Summary(
                programme, name, cohort, wave, scope, figures, _respondents(report, wave)
            )
    return Summary(programme, name, cohort, wave, None)
