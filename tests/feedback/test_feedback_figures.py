"""The figures sent back to trainees are the report's, and small cells are never sent."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from analytics.disclosure import SUPPRESSED
from analytics.feedback_figures import Summary, report_figures, summary_from_reports
from analytics.report import Report, build_report
from bot.cli.main import cli
from bot.feedback.message import compose
from bot.feedback.page import render_page

AS_OF = date(2026, 11, 30)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str | None, Report]:
    url = f"sqlite:///{tmp_path_factory.mktemp('fig') / 'demo.db'}"
    result = CliRunner().invoke(
        cli, ["--database-url", url, "demo-data", "--trainees", "600", "--seed", "7",
              "--programme", "solar"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return {c: build_report(url, "solar", c, as_of=AS_OF) for c in ("2024-2", None)}


def hidden(report: Report) -> Report:
    """``report`` as if every figure of it were a small cell."""
    tables = {}
    for name, table in report.tables.items():
        table = table.copy().astype(object)
        for column in ("value", "n", "responded"):
            if column in table:
                table[column] = SUPPRESSED
        tables[name] = table
    return Report(meta=report.meta, tables=tables)


def _value(report: Report, table: str, indicator: str, wave: str) -> float:
    frame = report.tables[table]
    row = frame[(frame["indicator"] == indicator) & (frame["wave"] == wave)
                & (frame["breakdown"] == "all")]  # fmt: skip
    return float(row["value"].iloc[0])


@pytest.mark.parametrize("wave", ["exit", "followup_6", "followup_12"])
def test_cohort_figures_are_the_reports_rows(reports, wave: str):
    summary = summary_from_reports(reports.get, "solar", "2024-2", wave)
    assert summary.scope == "cohort" and len(summary.figures) == 3
    for figure in summary.figures:
        table = {"working": "labour", "field": "job_match", "satisfied_later": "satisfaction",
                 "recommend": "training", "satisfied": "satisfaction",
                 "internship": "training"}[figure.code]  # fmt: skip
        assert figure.value == _value(reports["2024-2"], table, figure.indicator, wave)


def test_a_cohort_too_small_gets_the_programmes_figures(reports):
    make = {"2024-2": hidden(reports["2024-2"]), None: reports[None]}.get
    summary = summary_from_reports(make, "solar", "2024-2", "followup_6")
    assert summary.scope == "programme"
    assert summary.figures == report_figures(reports[None], "followup_6")
    text = compose(summary, "es", "https://x/results/t?lang=es")
    assert "de su programa trabajaba" in text and "cohorte" not in text


def test_nothing_is_sent_when_the_programme_is_too_small_too(reports):
    make = {"2024-2": hidden(reports["2024-2"]), None: hidden(reports[None])}.get
    summary = summary_from_reports(make, "solar", "2024-2", "followup_6")
    assert summary.scope is None and summary.figures == []
    assert compose(summary, "fr", "https://x") is None
    page = render_page(summary, "fr")
    assert "Trop peu de stagiaires ont répondu" in page and "%" not in page.split("<body>")[1]


def test_baseline_has_no_results_to_send(reports):
    summary = summary_from_reports(reports.get, "solar", "2024-2", "baseline")
    assert summary.scope is None


def test_a_summary_survives_its_json_round_trip(reports):
    summary = summary_from_reports(reports.get, "solar", "2024-2", "exit")
    assert Summary.from_json(summary.to_json()) == summary
