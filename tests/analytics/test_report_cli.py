"""``tracer demo-data`` and ``tracer report`` through the CLI, on a temporary database."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from bot.cli.main import cli


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'demo.db'}"
    result = CliRunner().invoke(
        cli, ["--database-url", url, "demo-data", "--trainees", "600", "--seed", "7"]
    )
    assert result.exit_code == 0, result.output
    assert "600 trainees" in result.output
    return url


def run(url: str, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--database-url", url, *args])


def test_report_in_all_three_formats(demo_db: str, tmp_path: Path):
    html = tmp_path / "report.html"
    result = run(demo_db, "report", "--programme", "solar", "--format", "html", "--out", str(html))
    assert result.exit_code == 0, result.output
    text = html.read_text(encoding="utf-8")
    assert "Outcome report: Solar PV installation" in text
    assert "data:image/png;base64," in text
    assert "Method note" in text and "Response rate" in text
    assert "http://" not in text and "https://" not in text  # self-contained

    xlsx = tmp_path / "report.xlsx"
    result = run(demo_db, "report", "--programme", "solar", "--format", "xlsx", "--out", str(xlsx))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(xlsx) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
    for sheet in ("about", "response", "labour", "expectations", "earnings"):
        assert f'name="{sheet}"' in workbook

    folder = tmp_path / "csv"
    result = run(
        demo_db,
        "report",
        "--programme",
        "solar",
        "--cohort",
        _first_cohort(demo_db),
        "--format",
        "csv",
        "--out",
        str(folder),
    )
    assert result.exit_code == 0, result.output
    with (folder / "labour.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert {"response_rate", "n", "value", "value_weighted"} <= set(header)
    assert (folder / "METHOD.txt").exists()


def _first_cohort(url: str) -> str:
    from analytics.frames import trainees_frame

    return str(trainees_frame(url, "solar")["cohort"].sort_values().iloc[0])


def test_unknown_programme_is_a_clear_error(demo_db: str, tmp_path: Path):
    result = run(demo_db, "report", "--programme", "nope", "--out", str(tmp_path / "x.html"))
    assert result.exit_code == 1
    assert "unknown programme 'nope'" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_weighting_cells_are_chosen_on_the_command_line(demo_db: str, tmp_path: Path):
    result = run(
        demo_db,
        "report",
        "--programme",
        "solar",
        "--weight-cells",
        "sex,shoe_size",
        "--out",
        str(tmp_path / "x.html"),
    )
    assert result.exit_code == 2
    assert "unknown weighting variable 'shoe_size'" in result.output
    assert not (tmp_path / "x.html").exists()
    result = run(
        demo_db,
        "report",
        "--programme",
        "solar",
        "--weight-cells",
        "region,sex",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "csv"),
    )
    assert result.exit_code == 0, result.output
    about = (tmp_path / "csv" / "about.csv").read_text(encoding="utf-8")
    assert "region × sex" in about


def test_demo_data_refuses_an_existing_programme(demo_db: str):
    result = run(demo_db, "demo-data", "--trainees", "5", "--programme", "solar")
    assert result.exit_code == 1
    assert "already exists" in result.output


def answers_long(url: str) -> pd.DataFrame:
    """Every current answer, one row each (the test's own plain query)."""
    from sqlalchemy import select

    from analytics.frames import read_frame
    from bot.storage.models import Answer

    query = select(
        Answer.trainee_id, Answer.wave, Answer.question_code, Answer.status, Answer.value_text
    ).where(Answer.is_current.is_(True))
    return read_frame(url, query)


def test_demo_data_is_seeded_and_follows_skip_logic(tmp_path: Path):
    counts = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path / name}.db"
        assert run(url, "demo-data", "--trainees", "200", "--seed", "3").exit_code == 0
        answers = answers_long(url)
        counts.append(len(answers))
    assert counts[0] == counts[1]
    wide = answers.pivot_table(
        index=["trainee_id", "wave"], columns="question_code", values="value_text", aggfunc="first"
    )
    not_working = wide["fu_worked_last_week"].eq("no") & wide["fu_temp_absent"].eq("no")
    assert not_working.any()
    followups = answers[answers["wave"].str.startswith("followup")]
    employed_ids = set(
        wide[wide["fu_worked_last_week"].eq("yes") | wide["fu_temp_absent"].eq("yes")].index
    )
    earnings_keys = set(
        map(
            tuple,
            followups[followups["question_code"] == "fu_earnings"][
                ["trainee_id", "wave"]
            ].itertuples(index=False),
        )
    )
    assert earnings_keys and earnings_keys <= employed_ids


def _baseline_row(folder: Path) -> dict:
    with (folder / "response.csv").open(encoding="utf-8") as handle:
        return next(
            r for r in csv.DictReader(handle) if r["wave"] == "baseline" and r["breakdown"] == "all"
        )


def test_fieldwork_window_options_leave_late_answers_out(demo_db: str, tmp_path: Path):
    # demo answers come 0-20 days after a wave opens: all inside the default windows; with no
    # grace at all, baselines given after the first day of training are late
    result = run(
        demo_db,
        "report",
        "--programme",
        "solar",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "default"),
    )
    assert result.exit_code == 0, result.output
    default = _baseline_row(tmp_path / "default")
    assert default["outside_window"] == "0"
    result = run(
        demo_db,
        "report",
        "--programme",
        "solar",
        "--format",
        "csv",
        "--baseline-grace-days",
        "0",
        "--window-months",
        "6",
        "--out",
        str(tmp_path / "strict"),
    )
    assert result.exit_code == 0, result.output
    strict = _baseline_row(tmp_path / "strict")
    assert int(strict["outside_window"]) > 0
    assert int(strict["responded"]) + int(strict["outside_window"]) == int(default["responded"])
    about = (tmp_path / "strict" / "about.csv").read_text(encoding="utf-8")
    assert "training start + 0 days" in about and "for 6 months" in about
    assert "answers outside the fieldwork window were left out" in about
    result = run(
        demo_db,
        "report",
        "--programme",
        "solar",
        "--window-months",
        "0",
        "--out",
        str(tmp_path / "x.html"),
    )
    assert result.exit_code == 2


def test_report_with_a_cpi_file_adds_real_earnings_and_refuses_a_bad_one(
    demo_db: str, tmp_path: Path
):
    cpi = tmp_path / "cpi.csv"
    cpi.write_text("year,month,index\n2000,1,50\n2020,1,100\n", encoding="utf-8")
    out = tmp_path / "csv"
    args = ("report", "--programme", "solar", "--format", "csv", "--out", str(out))
    result = run(demo_db, *args, "--cpi", str(cpi))
    assert result.exit_code == 0, result.output
    text = (out / "earnings.csv").read_text(encoding="utf-8")
    assert "Median real change vs baseline earnings" in text
    about = (out / "about.csv").read_text(encoding="utf-8")
    assert "CPI file cpi.csv" in about
    cpi.write_text("year,month,index\n2020,1,-3\n", encoding="utf-8")
    refused = run(demo_db, *args, "--cpi", str(cpi))
    assert refused.exit_code == 2
    assert "line 2: month 1-12, year 1900-2200 and an index above 0" in refused.output
