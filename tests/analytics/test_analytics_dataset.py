"""Reading answers into the report's wide frame: the cases the packed fast path hands over."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import insert, update

from analytics import answer_sql
from analytics.dataset import Dataset, load_dataset
from bot.storage.db import engine_for
from bot.storage.models import Answer
from tests.analytics.helpers import AS_OF, WAVE_DAYS, build_fixture_database

EXACT = 1234.5678901234567  # needs 17 significant digits to read back exactly


def _answer(
    trainee_id: int,
    wave: str,
    code: str,
    *,
    text: str | None = None,
    number: float | None = None,
    status: str = "answered",
) -> dict:
    return {
        "trainee_id": trainee_id,
        "wave": wave,
        "question_code": code,
        "status": status,
        "value_json": None,
        "value_number": number,
        "value_text": text,
        "source_message_id": f"extra:{trainee_id}:{wave}:{code}:{text}:{number}",
        # ten days after the fixture's answers, inside the wave's fieldwork window
        "answered_at": WAVE_DAYS.get(wave, datetime(2027, 1, 20)) + timedelta(days=10),
        "is_current": True,
    }


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('dataset') / 'fixture.db'}"
    build_fixture_database(url)
    extra = [
        # a correction of an answered question: the newest one counts (the database keeps one
        # current answer per question, so the older one is superseded below)
        _answer(1, "baseline", "bl_activity_status", text="employee"),
        # a code the questionnaire does not (or no longer) list is kept as it is
        _answer(2, "followup_6", "fu_job_relevance", text="legacy_code"),
        # a wave the report does not know yet
        _answer(3, "followup_24", "fu_worked_last_week", text="yes"),
        # amounts keep every digit; currencies are per answer
        _answer(4, "baseline", "bl_earnings", number=EXACT, text="EUR"),
        # a wave with only a skipped answer still counts as a response
        _answer(9, "exit", "ex_completed", status="skipped"),
        # an answer to a text question: counted for the response it belongs to
        _answer(1, "followup_6", "fu_occupation", text="welder"),
        # a wave answered only by a text question: started (the window judges it), but no
        # numeric or coded value to report
        _answer(8, "followup_6", "fu_occupation", text="welder"),
    ]
    with engine_for(url).begin() as connection:
        for row in extra:
            connection.execute(
                update(Answer)
                .where(
                    Answer.trainee_id == row["trainee_id"],
                    Answer.wave == row["wave"],
                    Answer.question_code == row["question_code"],
                )
                .values(is_current=False)
            )
        connection.execute(insert(Answer), extra)
    return url


@pytest.fixture(scope="module")
def dataset(database_url: str) -> Dataset:
    return load_dataset(database_url, "weld", as_of=AS_OF)


@pytest.fixture(scope="module")
def responses(dataset: Dataset) -> pd.DataFrame:
    return dataset.responses.set_index(["trainee_id", "wave"])


def test_newest_duplicate_answer_wins(responses):
    assert responses.loc[(1, "baseline"), "bl_activity_status"] == "employee"


def test_unknown_codes_waves_and_exact_numbers_are_kept(responses):
    assert responses.loc[(2, "followup_6"), "fu_job_relevance"] == "legacy_code"
    assert responses.loc[(3, "followup_24"), "fu_worked_last_week"] == "yes"
    assert responses.loc[(3, "followup_24"), "wave_kind"] == "followup"
    assert responses.loc[(4, "baseline"), "bl_earnings"] == EXACT
    assert responses.loc[(4, "baseline"), "bl_earnings_currency"] == "EUR"
    assert responses.loc[(7, "baseline"), "bl_earnings"] == 100.0
    assert responses.loc[(7, "baseline"), "bl_earnings_currency"] == "XOF"


def test_skipped_only_wave_is_a_response_with_missing_values(responses):
    row = responses.loc[(9, "exit")]
    assert pd.isna(row["ex_completed"]) and pd.isna(row["ex_satisfaction"])
    # skipped answers and questions not asked stay missing, never "no" or 0
    assert pd.isna(responses.loc[(2, "followup_6"), "fu_earnings"])
    assert responses["fu_earnings"].dtype == np.float64


def test_rows_sorted_and_superseded_answers_ignored(responses):
    assert list(responses.index) == sorted(responses.index)
    assert responses.loc[(4, "followup_6"), "fu_worked_last_week"] == "no"


def test_every_answer_counts_for_the_day_and_size_of_its_response(dataset, responses):
    days = dataset.days.set_index(["trainee_id", "wave"])
    # trainee 1's follow-up: the fixture's 11 answers and the occupation typed
    assert days.loc[(1, "followup_6"), "answers"] == 12
    assert days.loc[(1, "followup_6"), "day"] == pd.Timestamp("2025-08-01")
    # trainee 8 typed only an occupation: the response started, with nothing to tabulate
    assert days.loc[(8, "followup_6"), "answers"] == 1
    assert days.loc[(8, "followup_6"), "day"] == pd.Timestamp(
        (WAVE_DAYS["followup_6"] + timedelta(days=10)).date()
    )
    assert (8, "followup_6") not in responses.index
    assert (1, "followup_6") in responses.index


def test_the_frames_do_not_depend_on_how_the_trainees_are_split(
    database_url, dataset, monkeypatch: pytest.MonkeyPatch
):
    for parts in (1, 40):  # one range; more ranges than trainees (most of them empty)
        monkeypatch.setattr(answer_sql, "RANGE_PARTS", parts)
        again = load_dataset(database_url, "weld", as_of=AS_OF)
        pd.testing.assert_frame_equal(again.responses, dataset.responses)
        pd.testing.assert_frame_equal(again.days, dataset.days)
