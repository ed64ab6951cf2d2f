"""Dashboard figures: response rate per cohort × wave and retention from the baseline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.console.dashboard import dashboard_rows, wave_totals
from bot.outreach.scope import Scope
from bot.outreach.status import response_table
from bot.storage.db import session_scope
from bot.storage.migrate import upgrade_database
from bot.storage.models import Cohort, Programme, Trainee, WaveProgress, utcnow

# trainee → waves completed ("-" started, not completed)
COHORT_A = {
    "a1": ["baseline", "exit"],
    "a2": ["baseline", "exit", "followup_6"],
    "a3": ["baseline", "-exit"],
    "a4": ["exit"],  # joined late: no baseline
}
COHORT_B = {"b1": ["baseline"], "b2": []}


@pytest.fixture()
def settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'dash.db'}"
    upgrade_database(url)
    with session_scope(url) as session:
        for code, people in (
            ("solar", {"A": COHORT_A, "B": COHORT_B}),
            ("other", {"C": {"c1": []}}),
        ):
            programme = Programme(code=code, name=code)
            session.add(programme)
            session.flush()
            for cohort_code, trainees in people.items():
                cohort = Cohort(
                    programme_id=programme.id,
                    code=cohort_code,
                    name=cohort_code,
                    end_date=date(2025, 1, 1),
                )
                session.add(cohort)
                session.flush()
                for pseudo, waves in trainees.items():
                    trainee = Trainee(pseudo_id=pseudo, cohort_id=cohort.id)
                    session.add(trainee)
                    session.flush()
                    for wave in waves:
                        done = None if wave.startswith("-") else utcnow()
                        session.add(
                            WaveProgress(
                                trainee_id=trainee.id, wave=wave.lstrip("-"), completed_at=done
                            )
                        )
    return load_settings(
        {
            "TRACER_DATABASE_URL": url,
            "TRACER_SECRET_KEY": "k",
            "TRACER_ENCRYPTION_KEY": "M2R0ZXN0a2V5LXRlc3RrZXktdGVzdGtleS10ZXN0a2U=",
            "TRACER_ENV_FILE": str(tmp_path / "none.env"),
        }
    )


def test_response_rate_and_retention_per_cohort_and_wave(settings):
    rows = {(r.cohort, r.wave): r for r in dashboard_rows(settings, ("solar",))}
    exit_a = rows[("A", "exit")]
    assert (exit_a.trainees, exit_a.answered, exit_a.retained, exit_a.baseline) == (4, 3, 2, 3)
    assert exit_a.response_rate == 75.0 and round(exit_a.retention, 1) == 66.7
    assert rows[("A", "followup_6")].retention == pytest.approx(100 / 3)
    assert rows[("B", "exit")].response_rate == 0.0 and rows[("B", "baseline")].retention == 100
    assert {cohort for cohort, _ in rows} == {"A", "B"}  # only the programmes allowed


def test_same_completions_as_tracer_status_and_totals(settings):
    ours = {(r.cohort, r.wave): r.answered for r in dashboard_rows(settings, None)}
    status = {(r.cohort, r.wave): r.answered for r in response_table(settings, Scope())}
    assert ours == status
    totals = {(t.programme, t.wave): t for t in wave_totals(dashboard_rows(settings, None))}
    solar_exit = totals[("solar", "exit")]
    assert (solar_exit.trainees, solar_exit.answered, solar_exit.retained) == (6, 3, 2)
    assert dashboard_rows(settings, ()) == []
