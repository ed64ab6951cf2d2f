"""The survey engine against a real (temporary SQLite) store, without Rasa."""

from __future__ import annotations

from datetime import date

import pytest

from bot.questionnaire.loader import default_questionnaire
from bot.survey.turn import SurveyTurn
from tests.survey.helpers import Chat, make_engine


@pytest.fixture
def engine(tmp_path) -> SurveyTurn:
    return make_engine(tmp_path, date(2026, 3, 1))


def registered(engine: SurveyTurn) -> Chat:
    chat = Chat(engine)
    chat.send("hello", "greet", active=False)
    chat.send("yes", "affirm")
    chat.send("English", "change_language")
    assert chat.send("demo").step == "q:bl_sex"
    return chat


def test_a_late_answer_after_session_expiry_is_stored_not_reasked(engine):
    chat = registered(engine)
    chat.send("female")
    assert chat.step == "q:bl_birth_year"
    # hours later: the Rasa session expired, the loop is inactive, the step slot carried over
    result = chat.send("1999", active=False)
    assert result.step == "q:bl_education"
    trainee = engine.store.find_trainee(chat.sender)
    assert engine.store.current_answers(trainee.id)["baseline"]["bl_birth_year"].value == 1999


def test_a_greeting_after_session_expiry_resumes_with_welcome_back(engine):
    chat = registered(engine)
    chat.send("female")
    result = chat.send("hi", "greet", active=False)
    assert result.step == "q:bl_birth_year"
    assert any("Welcome back" in m for m in result.messages)


def test_help_keeps_the_question_and_explains_it(engine):
    chat = registered(engine)
    result = chat.send("what does this mean", "help")
    assert result.step == "q:bl_sex"
    assert result.messages == [default_questionnaire().question("bl_sex").help_in("en")]


def test_an_answer_that_is_also_a_control_word_is_an_answer_when_it_parses(engine):
    chat = registered(engine)
    chat.send("female")
    chat.send("1999")
    chat.send("vocational training")
    chat.send("unemployed")
    assert chat.step == "q:bl_work_experience"
    chat.send("no", "deny")
    trainee = engine.store.find_trainee(chat.sender)
    assert engine.store.current_answers(trainee.id)["baseline"]["bl_work_experience"].value == "no"


def test_a_trainee_who_joins_after_the_baseline_closed_goes_to_the_exit(tmp_path):
    # the demo cohort runs 2026-09-25 → 2026-12-18: its baseline closed on 2026-10-25
    late = make_engine(tmp_path, date(2027, 1, 10))
    chat = Chat(late)
    chat.send("hello", "greet", active=False)
    chat.send("yes", "affirm")
    chat.send("English", "change_language")
    result = chat.send("demo")
    assert result.step == "q:ex_completed"
    trainee = late.store.find_trainee(chat.sender)
    assert "baseline" not in late.store.wave_progress(trainee.id)


def test_a_trainee_who_joins_during_training_after_the_grace_is_told_when_we_write(tmp_path):
    late = make_engine(tmp_path, date(2026, 11, 15))
    chat = Chat(late)
    chat.send("hello", "greet", active=False)
    chat.send("yes", "affirm")
    chat.send("English", "change_language")
    result = chat.send("demo")
    assert result.step is None or not result.step.startswith("q:")
    assert result.outcome == "nothing_due"
