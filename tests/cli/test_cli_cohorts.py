"""``tracer cohorts import``, ``invite``, ``followups`` and ``status`` through the CLI."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.config import load_settings
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Contact, Invitation, Trainee
from bot.storage.repository import TracerStore
from tests.cli.helpers import GOOD, import_cohort, write_cohort
from tests.outreach.helpers import add_programme, outreach_env, run_cli


@pytest.fixture
def env(tmp_path):
    env = outreach_env(tmp_path)
    add_programme(load_settings(env), "solar", {})
    return env


def _count(env, table) -> int:
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


def test_import_creates_cohorts_trainees_and_encrypted_contacts_only(env, tmp_path):
    result = import_cohort(env, write_cohort(tmp_path, GOOD))
    assert result.exit_code == 0, result.output + result.stderr
    assert "Imported 3 trainees" in result.output and "2026A, 2026B" in result.output
    assert _count(env, Trainee) == 3
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        cohort = session.execute(select(Cohort).where(Cohort.code == "2026A")).scalar_one()
        assert (str(cohort.end_date), cohort.timezone, cohort.name) == (
            "2026-06-30",
            "Africa/Dakar",
            "Solar 2026A",
        )
        channels = sorted(c for (c,) in session.execute(select(Contact.channel)))
        assert channels.count("phone") == 2 and channels.count("name") == 3
        sexes = sorted(str(s) for (s,) in session.execute(select(Trainee.sex)))
        assert sexes == ["None", "female", "male"]
    raw = Path(env["TRACER_DATABASE_URL"].removeprefix("sqlite:///")).read_bytes()
    for secret in (b"Awa Diop", b"+221771234567", b"awa@example.org", b"R-001"):
        assert secret not in raw  # encrypted at rest, never in trainee rows


def test_bad_rows_are_all_reported_with_line_numbers_and_nothing_is_written(env, tmp_path):
    lines = [
        GOOD[0],
        "2026A,,,2026-13-40,,,,Bad Date,,,,,",
        "2026A,,,,,,,Bad Phone,12345,,,,",
        "2026A,,,,,,,Bad Mail,,not-an-email,,,",
        "2026A,,,,,,,Bad Language,,,,,de",
        "2026A,,,,,Mars/Base,,Bad Zone,,,,,",
        ",,,,,,,No Cohort,,,,,",
    ]
    result = import_cohort(env, write_cohort(tmp_path, lines))
    assert result.exit_code == 1
    out = result.output
    assert "7 rows: 1 valid, 6 rejected" in out
    assert "line 3: end_date '2026-13-40' is not an ISO date" in out
    assert "line 4: phone" in out and "line 5: email" in out and "line 6: language" in out
    assert "line 7: timezone" in out and "line 8: cohort_code is empty" in out
    assert "Nothing was imported" in result.stderr
    assert "Bad Phone" not in out  # reasons never repeat personal data
    assert _count(env, Trainee) == 0 and _count(env, Contact) == 0 and _count(env, Cohort) == 0


def test_dry_run_writes_nothing(env, tmp_path):
    result = import_cohort(env, write_cohort(tmp_path, GOOD), "--dry-run")
    assert result.exit_code == 0 and "Dry run: nothing was written" in result.output
    assert _count(env, Trainee) == 0 and _count(env, Cohort) == 0


def test_duplicates_in_the_file_and_in_the_database_are_rejected(env, tmp_path):
    same_phone = "2026A,,,,,,,Someone Else,+221771234567,,,,"
    same_mail = "2026B,,,,,,,Third Person,,AWA@example.org,,,"
    result = import_cohort(env, write_cohort(tmp_path, [GOOD[0], same_phone, same_mail]))
    assert result.exit_code == 1
    assert "line 3: phone duplicates line 2" in result.output
    assert "line 4: email duplicates line 2" in result.output
    assert import_cohort(env, write_cohort(tmp_path, GOOD)).exit_code == 0
    again = import_cohort(env, write_cohort(tmp_path, [GOOD[1]], "again.csv"))
    assert again.exit_code == 1
    assert "phone is already registered" in again.output
    assert "trainee_ref is already registered" in again.output
    assert _count(env, Trainee) == 3


def test_conflicting_cohort_dates_are_rejected(env, tmp_path):
    conflict = "2026A,,,2026-07-31,,,,Other Name,,,,,"
    result = import_cohort(env, write_cohort(tmp_path, [GOOD[0], conflict]))
    assert result.exit_code == 1 and "end_date '2026-07-31' differs from line 2" in result.output


def test_xlsx_import_with_excel_dates_and_numbers(env, tmp_path):
    from datetime import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Cohort code", "End date", "Name", "Phone", "Birth year", "Language"])
    sheet.append(["X1", datetime(2026, 6, 30), "Ana Ruiz", 221771112233, 2000, "ES"])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["X1", datetime(2026, 6, 30), "Luis Paz", "+221 78 111 22 33", 1998.0, "es"])
    path = tmp_path / "cohort.xlsx"
    workbook.save(path)
    result = import_cohort(env, path)
    assert result.exit_code == 0, result.output
    assert _count(env, Trainee) == 2


def test_unknown_programme_and_unreadable_file_fail_cleanly(env, tmp_path):
    path = write_cohort(tmp_path, GOOD)
    result = run_cli(env, "cohorts", "import", str(path), "--programme", "nope")
    assert result.exit_code == 1 and "unknown programme 'nope'" in result.stderr
    bad = tmp_path / "data.xlsx"
    bad.write_text("not excel")
    result = run_cli(env, "cohorts", "import", str(bad), "--programme", "solar")
    assert result.exit_code == 1 and "not a readable Excel workbook" in result.stderr


def _read_invites(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_invites_are_single_use_links_and_not_silently_reissued(env, tmp_path):
    assert import_cohort(env, write_cohort(tmp_path, GOOD)).exit_code == 0
    out = tmp_path / "invites.csv"
    result = run_cli(env, "invite", "--programme", "solar", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "New codes: 3" in result.output and "Keep it safe" in result.output
    rows = _read_invites(out)
    assert {r["name"] for r in rows} == {"Awa Diop", "Moussa Ba", "Fatou Sow"}
    awa = next(r for r in rows if r["name"] == "Awa Diop")
    assert awa["phone"] == "+221771234567" and awa["trainee_ref"] == "R-001"
    code = awa["code"]
    assert awa["telegram_link"] == f"https://t.me/tracer_test_bot?start={code}"
    assert awa["web_link"] == f"https://tracer.example.org/webchat/?code={code}"
    assert out.stat().st_mode & 0o077 == 0  # owner-only

    # a re-run neither overwrites the file nor issues new codes
    assert run_cli(env, "invite", "--programme", "solar", "--out", str(out)).exit_code == 1
    rerun = run_cli(env, "invite", "--programme", "solar", "--out", str(tmp_path / "b.csv"))
    assert "New codes: 0; kept (unused code already sent): 3" in rerun.output
    assert not (tmp_path / "b.csv").exists()

    # the code registers the imported trainee in chat, once
    store = TracerStore(load_settings(env))
    info = store.register_consent("chat-awa", "rest", "fr", invite_code=code.lower())
    assert info.cohort_id is not None and _count(env, Trainee) == 3
    other = store.register_consent("chat-thief", "rest", "fr", invite_code=code)
    assert other.id != info.id

    reissue = run_cli(env, "invite", "--programme", "solar", "--cohort", "2026A",
                      "--out", str(tmp_path / "c.csv"), "--reissue")  # fmt: skip
    assert "New codes: 1" in reissue.output and "already joined: 1" in reissue.output
    assert _count(env, Invitation) == 3


def test_followups_and_status_from_the_cli(env, tmp_path):
    assert import_cohort(env, write_cohort(tmp_path, GOOD)).exit_code == 0
    store = TracerStore(load_settings(env))
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        first = session.execute(select(Trainee.id).order_by(Trainee.id)).scalars().first()
        store.add_contact(session, first, "telegram", "987654")
    now = ["--now", "2027-01-05T12:00"]
    dry = run_cli(env, "followups", "send", "--dry-run", "--programme", "solar", *now)
    assert dry.exit_code == 0, dry.output + dry.stderr
    assert "followup_6\tattempt 0" in dry.output and "Due now: 1" in dry.output
    assert "unreachable (no chat contact): 2" in dry.output
    assert "987654" not in dry.output
    plan = run_cli(env, "followups", "plan", *now)
    assert "Planned: followup_6 attempt 0: 1" in plan.output
    due = run_cli(env, "followups", "due", "--now", "2027-01-05T23:00")  # 23:00 in Dakar
    assert "Due now: 0" in due.output and "Held back by quiet hours: 1" in due.output
    # Rasa is not running on port 9: the run stops cleanly and the message stays planned
    sent = run_cli(env, "followups", "send", *now)
    assert sent.exit_code == 1 and "rasa unreachable" in sent.stderr
    status = run_cli(env, "status", "--programme", "solar")
    assert status.exit_code == 0
    line = next(x for x in status.output.splitlines() if "2026A" in x and "followup_6" in x)
    assert line.split()[3:] == ["2", "0", "0", "0.0", "0", "1", "1", "0"]
    bad = run_cli(env, "followups", "due", "--now", "soon")
    assert bad.exit_code == 1 and "--now must be an ISO date" in bad.stderr
