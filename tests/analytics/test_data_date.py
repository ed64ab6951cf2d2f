"""The report's data date: the newest answer of the programme's trainees, any answer (superseded
ones, deleted trainees' and other cohorts' too), though the answer read sees only some of them."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import insert, update

from analytics.dataset import load_dataset
from bot.storage.db import engine_for
from bot.storage.models import Answer, Cohort, Trainee
from tests.analytics.helpers import AS_OF, build_fixture_database


def _answer(trainee_id: int, answered_at: datetime, *, current: bool = True) -> dict:
    return {
        "trainee_id": trainee_id,
        "wave": "followup_12",
        "question_code": "fu_worked_last_week",
        "status": "answered",
        "value_json": "yes",
        "value_number": None,
        "value_text": "yes",
        "source_message_id": f"late:{trainee_id}:{answered_at.isoformat()}",
        "answered_at": answered_at,
        "is_current": current,
    }


@pytest.fixture()
def database_url(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'fixture.db'}"
    build_fixture_database(url)
    with engine_for(url).begin() as connection:
        connection.execute(
            insert(Cohort).values(
                id=2,
                programme_id=1,
                code="2025",
                name="Welding 2025",
                start_date=date(2025, 4, 1),
                end_date=date(2026, 1, 15),
                region="South",
            )
        )
        connection.execute(
            insert(Trainee).values(id=20, pseudo_id="T20", cohort_id=2, status="active")
        )
    return url


def _add(url: str, *rows: dict) -> None:
    with engine_for(url).begin() as connection:
        connection.execute(insert(Answer), list(rows))


def test_a_superseded_answer_dates_the_data(database_url):
    _add(database_url, _answer(1, datetime(2026, 5, 3, 23, 59), current=False))
    assert load_dataset(database_url, "weld", as_of=AS_OF).data_date == date(2026, 5, 3)


def test_a_deleted_trainees_answer_dates_the_data(database_url):
    _add(database_url, _answer(2, datetime(2026, 5, 4)))
    with engine_for(database_url).begin() as connection:
        connection.execute(update(Trainee).where(Trainee.id == 2).values(status="deleted"))
    assert load_dataset(database_url, "weld", as_of=AS_OF).data_date == date(2026, 5, 4)


def test_another_cohorts_answer_dates_a_cohort_report(database_url):
    _add(database_url, _answer(20, datetime(2026, 5, 5)), _answer(3, datetime(2026, 5, 1)))
    dataset = load_dataset(database_url, "weld", "2024", as_of=AS_OF)
    assert dataset.data_date == date(2026, 5, 5)
    assert load_dataset(database_url, "weld", as_of=AS_OF).data_date == date(2026, 5, 5)


def test_no_answers_no_data_date(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    build_fixture_database(url)
    with engine_for(url).begin() as connection:
        connection.execute(update(Answer).values(is_current=False))
        connection.execute(Answer.__table__.delete())
    assert load_dataset(url, "weld", as_of=AS_OF).data_date is None


def test_a_cohort_report_is_dated_by_its_own_deleted_and_superseded_answers_too(database_url):
    _add(
        database_url,
        _answer(20, datetime(2026, 5, 2)),
        _answer(1, datetime(2026, 5, 6), current=False),
    )
    assert load_dataset(database_url, "weld", "2024", as_of=AS_OF).data_date == date(2026, 5, 6)
    _add(database_url, _answer(2, datetime(2026, 5, 7)))
    with engine_for(database_url).begin() as connection:
        connection.execute(update(Trainee).where(Trainee.id == 2).values(status="deleted"))
    assert load_dataset(database_url, "weld", "2024", as_of=AS_OF).data_date == date(2026, 5, 7)
