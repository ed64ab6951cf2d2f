"""Sensible repairs (issue 16): age → year of birth, implied yes, fitting hints, numbered list."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answers import parse_answer
from bot.questionnaire.loader import default_questionnaire
from bot.survey.retries import failures_before, step_history
from bot.survey.turn import prompt_for_step
from tests.survey import helpers as survey_chat
from tests.survey.helpers import WaveChat

QUESTIONNAIRE = default_questionnaire()
TODAY = date(2026, 10, 1)  # before the end of the demo cohort: the baseline is due


@pytest.mark.parametrize(
    ("language", "text", "year"),
    [
        ("en", "I'm 19", 2007),
        ("en", "19 years old", 2007),
        ("en", "25", 2001),
        ("fr", "j'ai 19 ans", 2007),
        ("fr", "vingt ans", 2006),
        ("fr", "30 ans", 1996),
        ("es", "tengo 19 años", 2007),
        ("es", "veintidós", 2004),
        ("es", "40 años", 1986),
    ],
)
def test_an_age_given_for_the_year_of_birth_is_offered_back_as_a_year(language, text, year):
    result = parse_answer(QUESTIONNAIRE.question("bl_birth_year"), text, language, today=TODAY)
    assert result.confirm and result.value == year and not result.ok


@pytest.mark.parametrize(
    ("language", "text", "ok", "value"),
    [
        ("en", "2001", True, 2001),
        ("fr", "deux mille un", True, 2001),
        ("es", "5", False, None),
        ("en", "150", False, None),
        ("fr", "bonjour", False, None),
    ],
)
def test_years_are_stored_and_other_numbers_are_not_ages(language, text, ok, value):
    result = parse_answer(QUESTIONNAIRE.question("bl_birth_year"), text, language, today=TODAY)
    assert result.ok is ok and not result.confirm
    assert result.value == value


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "since 2019"),
        ("en", "3 years"),
        ("en", "I worked in a bakery"),
        ("fr", "deux ans"),
        ("fr", "depuis 2020"),
        ("fr", "j'ai travaillé comme maçon"),
        ("es", "dos años"),
        ("es", "desde 2018"),
        ("es", "trabajé en una tienda"),
    ],
)
def test_an_implied_yes_about_having_worked_is_offered_for_confirmation(language, text):
    for code in ("bl_work_experience", "fu_had_job_since"):
        result = parse_answer(QUESTIONNAIRE.question(code), text, language)
        assert result.confirm and result.value == "yes", code


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "never worked"), ("fr", "je ne sais pas"), ("es", "no sé"), ("fr", "bof")],
)
def test_no_unsure_or_unclear_replies_are_not_implied_yes(language, text):
    result = parse_answer(QUESTIONNAIRE.question("bl_work_experience"), text, language)
    assert not (result.confirm and result.value == "yes")


def test_a_yes_no_question_without_the_flag_does_not_imply_yes():
    result = parse_answer(QUESTIONNAIRE.question("ex_recommend"), "since 2019", "en")
    assert not result.ok and not result.confirm


def test_failures_are_the_repeats_of_the_newest_step():
    assert failures_before([]) == 0
    assert failures_before(["q:b"]) == 0
    assert failures_before(["q:b", "q:b", "q:b", "q:a"]) == 2
    events = [
        {"event": "slot", "name": "step", "value": "q:a"},
        {"event": "slot", "name": "step", "value": "q:b"},
        {"event": "user", "text": "??"},
        {"event": "slot", "name": "answer", "value": None},
        {"event": "slot", "name": "step", "value": "q:b"},
    ]
    assert failures_before(step_history(events)) == 1


# -- through the engine ----------------------------------------------------------------------


def _chat(tmp_path, language: str, until: str) -> WaveChat:
    engine = survey_chat.make_engine(tmp_path, TODAY)
    chat = WaveChat(engine, language, until=until)
    chat.wave = "baseline"
    return chat


@pytest.mark.parametrize(
    ("language", "text", "asked", "yes", "noted"),
    [
        (
            "en",
            "I'm 19",
            "I understood {age} years old, so born in 2007 — is that right?",
            "yes",
            "Noted: {age} years old, so born in 2007",
        ),
        (
            "fr",
            "j'ai 19 ans",
            "J'ai compris {age} ans, donc né·e en 2007 — c'est bien ça ?",
            "oui",
            "Noté : {age} ans, donc né·e en 2007",
        ),
        (
            "es",
            "tengo 19 años",
            "Entendí {age} años, o sea nacido/a en 2007, ¿es correcto?",
            "sí",
            "Anotado: {age} años, o sea nacido/a en 2007",
        ),
    ],
)
def test_the_age_to_year_repair_is_confirmed_then_stored_as_the_year(
    tmp_path, language, text, asked, yes, noted
):
    chat = _chat(tmp_path, language, "bl_birth_year")
    age = date.today().year - 2007
    chat.send(text)
    assert chat.stored("bl_birth_year") is None
    prompt = prompt_for_step(chat.engine, chat.sender, chat.step, language)
    assert prompt.text == asked.format(age=age)
    result = chat.send(yes, "affirm")
    assert result.messages[0].startswith(noted.format(age=age))
    assert chat.stored("bl_birth_year") == 2007
    assert chat.step == "q:bl_education"


@pytest.mark.parametrize(
    ("language", "text", "yes"),
    [("en", "since 2019", "yes"), ("fr", "deux ans", "oui"), ("es", "desde 2020", "sí")],
)
def test_an_implied_yes_is_confirmed_and_stored_as_yes(tmp_path, language, text, yes):
    chat = _chat(tmp_path, language, "bl_work_experience")
    chat.send(text)
    assert chat.stored("bl_work_experience") is None
    assert chat.step.startswith("confirm:bl_work_experience")
    chat.send(yes, "affirm")
    assert chat.stored("bl_work_experience") == "yes"
    assert chat.step == "q:bl_enrol_reason"


@pytest.mark.parametrize(
    ("language", "example"),
    [("en", "for example 1977"), ("fr", "par exemple 1977"), ("es", "por ejemplo 1977")],
)
def test_the_hint_for_a_year_question_gives_a_year_as_example(tmp_path, language, example):
    chat = _chat(tmp_path, language, "bl_birth_year")
    result = chat.send("???")
    assert example in result.messages[0] and "25" not in result.messages[0]


@pytest.mark.parametrize(
    ("language", "first_option", "skip"),
    [
        ("en", "1. No schooling", None),
        ("fr", "1. Aucune scolarité", None),
        ("es", "1. Sin estudios", None),
    ],
)
def test_after_two_failed_tries_the_options_are_numbered(tmp_path, language, first_option, skip):
    chat = _chat(tmp_path, language, "bl_education")
    first = chat.send("zzz qqq")
    assert first_option not in first.messages[0]
    second = chat.send("zzz qqq")
    assert first_option in second.messages[0] and "6." in second.messages[0]
    chat.send("5")
    assert chat.stored("bl_education") == "tvet"


@pytest.mark.parametrize(
    ("language", "skip"),
    [("en", "type 'skip'"), ("fr", "« passer »"), ("es", "«saltar»")],
)
def test_after_two_failed_tries_an_optional_question_offers_skip(tmp_path, language, skip):
    chat = _chat(tmp_path, language, "bl_expected_months_to_job")
    assert skip not in chat.send("zzz qqq").messages[0]
    assert skip in chat.send("zzz qqq").messages[0]
