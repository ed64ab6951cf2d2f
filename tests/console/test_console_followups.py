"""The console's follow-up status table counts trainees in every column, failures included."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from bot.config import Settings
from bot.console.followups import status_rows
from bot.outreach.scope import Scope
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Outreach, Programme, Trainee, utcnow
from tests.outreach.helpers import make_settings


def _settings(tmp_path: Path) -> Settings:
    settings = make_settings(tmp_path)  # a fresh migrated database
    url = settings.database_url
    failures = {"solar": {"s1": 3, "s2": 0}, "other": {"o1": 1}}  # failed messages per trainee
    with session_scope(url) as session:
        for code, trainees in failures.items():
            programme = Programme(code=code, name=code)
            session.add(programme)
            session.flush()
            cohort = Cohort(
                programme_id=programme.id, code="A", name="A", end_date=date(2025, 1, 1)
            )
            session.add(cohort)
            session.flush()
            for pseudo, failed in trainees.items():
                trainee = Trainee(pseudo_id=pseudo, cohort_id=cohort.id)
                session.add(trainee)
                session.flush()
                for attempt in range(failed):  # the follow-up, then its reminders, all failed
                    session.add(
                        Outreach(
                            trainee_id=trainee.id,
                            wave="followup_6",
                            attempt=attempt,
                            due_at=utcnow() - timedelta(days=10 - attempt),
                            state="failed",
                            result="HTTP 403",
                        )
                    )
    return settings


def test_failed_counts_trainees_not_messages_and_keeps_programmes_apart(tmp_path):
    settings = _settings(tmp_path)
    for programme, expected in (("solar", 1), ("other", 1)):
        rows = [
            r
            for r in status_rows(settings, Scope(programme=programme))
            if r["wave"] == "followup_6"
        ]
        assert [(r["cohort"], r["trainees"], r["failed"]) for r in rows] == [
            ("A", 2 if programme == "solar" else 1, expected)
        ]


def test_two_programmes_with_the_same_cohort_code_are_not_added_up(tmp_path):
    rows = status_rows(_settings(tmp_path), Scope())
    failed = {(r["cohort"], r["trainees"]): r["failed"] for r in rows if r["wave"] == "followup_6"}
    assert failed == {("A", 2): 1, ("A", 1): 1}
