"""Choice answers described in free text (issue 16): examples, held-out test set, the engine."""

from __future__ import annotations

import copy
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.answers import parse_answer
from bot.questionnaire.loader import DEFAULT_PATH, default_questionnaire, parse_questionnaire
from bot.questionnaire.model import QuestionnaireError
from bot.survey.turn import prompt_for_step
from tests.survey import helpers as survey_chat
from tests.survey.helpers import WaveChat

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_choices  # noqa: E402

QUESTIONNAIRE = default_questionnaire()
CASES = bench_choices.cases()


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def test_the_held_out_set_has_forty_descriptions_per_language_over_several_questions():
    for language in ("en", "fr", "es"):
        mine = [case for case in CASES if case[0] == language]
        assert len(mine) >= 40
        assert len({code for _, code, _, _ in mine}) >= 8


def test_no_held_out_description_is_copied_from_the_examples_or_labels():
    taught = {
        _normal(text)
        for question in QUESTIONNAIRE.questions
        for choice in question.choices
        for texts in (*choice.examples.values(), tuple(choice.label.values()))
        for text in texts
    }
    copied = [text for _, _, _, text in CASES if _normal(text) in taught]
    assert copied == []


def test_every_held_out_case_names_a_real_choice():
    for _, code, expected, _ in CASES:
        assert expected in QUESTIONNAIRE.question(code).choice_codes


def test_held_out_descriptions_are_read_right_and_rarely_need_confirmation():
    stats = bench_choices.measure()
    for language in ("en", "fr", "es"):
        row = stats[language]
        assert row["correct"] / row["accepted"] >= 0.90, (language, row)
        assert row["confirm"] / row["n"] <= 0.20, (language, row)


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        ("bl_activity_status", "je cherche du travail", "unemployed_looking"),
        ("bl_activity_status", "I'm back at school", "studying"),
        ("bl_activity_status", "trabajo en una panadería", "employee"),
        ("bl_education", "bac pro", "tvet"),
        ("bl_education", "j'ai le bac", "upper_secondary"),
        ("ex_dropout_reason", "me mudé de ciudad", "moved"),
    ],
)
def test_issue_descriptions_are_stored_or_offered_as_the_right_choice(code, text, expected):
    result = parse_answer(QUESTIONNAIRE.question(code), text, "en")
    assert (result.ok or result.confirm) and result.value == expected


@pytest.mark.parametrize(
    "text", ["banana", "what does this mean", "je ne sais pas", "no sé", "asdfgh", "merci"]
)
def test_off_topic_messages_are_not_read_as_a_choice(text):
    result = parse_answer(QUESTIONNAIRE.question("ex_dropout_reason"), text, "en")
    assert not result.ok and not result.confirm


def test_labels_and_option_numbers_are_still_read_without_an_echo():
    question = QUESTIONNAIRE.question("bl_activity_status")
    for text in ("Looking for work", "3", "en recherche d'emploi"):
        result = parse_answer(question, text, "fr")
        assert result.ok and result.value == "unemployed_looking" and not result.echo


def _raw_with(**choice_fields):
    raw = copy.deepcopy(yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8")))
    raw["questions"][0]["choices"][0].update(choice_fields)
    return raw


@pytest.mark.parametrize(
    ("examples", "fault"),
    [
        ({"de": ["Frau"]}, "unknown language 'de'"),
        ({"en": "a woman"}, "must be a non-empty list"),
        ({"en": [""]}, "empty text"),
        ({"en": ["a man"], "fr": ["Homme"]}, "also names male"),
    ],
)
def test_the_loader_rejects_bad_examples_and_names_the_question(examples, fault):
    with pytest.raises(QuestionnaireError, match=rf"bl_sex.*{fault}"):
        parse_questionnaire(_raw_with(examples=examples))


def test_the_loader_rejects_an_example_that_is_another_choices_example():
    raw = _raw_with(examples={"en": ["a man"]})
    raw["questions"][0]["choices"][1]["examples"] = {"en": ["A  man"]}
    with pytest.raises(QuestionnaireError, match="also names"):
        parse_questionnaire(raw)


# -- through the engine: echo, confirmation, control intents ------------------------------------

BASELINE_DAY = date(2026, 10, 1)
NOTED = {"en": "Noted: '{}'", "fr": "Noté : « {} »", "es": "Anotado: «{}»"}


@pytest.mark.parametrize(
    ("language", "text", "label"),
    [
        ("en", "im searching for a job", "Looking for work"),
        ("fr", "je cherche du travail", "En recherche d'emploi"),
        ("es", "ando buscando chamba", "Buscando trabajo"),
    ],
)
def test_a_description_is_stored_and_echoed_with_the_choice_label(tmp_path, language, text, label):
    engine = survey_chat.make_engine(tmp_path, BASELINE_DAY)
    chat = WaveChat(engine, language, until="bl_activity_status")
    chat.wave = "baseline"
    result = chat.send(text)
    assert result.messages[0].startswith(NOTED[language].format(label))
    assert chat.stored("bl_activity_status") == "unemployed_looking"
    assert chat.step == "q:bl_work_experience"


def test_an_unsure_description_is_confirmed_before_it_is_stored(tmp_path):
    engine = survey_chat.make_engine(tmp_path, BASELINE_DAY)
    chat = WaveChat(engine, "es", until="bl_activity_status")
    chat.wave = "baseline"
    chat.send("arreglo celulares por mi cuenta")
    assert chat.stored("bl_activity_status") is None
    prompt = prompt_for_step(engine, chat.sender, chat.step, "es")
    assert prompt.text == "Entendí «Negocio propio / autónomo», ¿es correcto?"
    result = chat.send(prompt.buttons[0][1])
    assert result.messages[0].startswith("Anotado: «Negocio propio / autónomo»")
    assert chat.stored("bl_activity_status") == "self_employed"


def test_a_confident_help_intent_wins_over_a_free_text_reading(tmp_path):
    engine = survey_chat.make_engine(tmp_path, BASELINE_DAY)
    chat = WaveChat(engine, "en", until="bl_activity_status")
    chat.wave = "baseline"
    result = chat.send("help", "help")
    assert chat.step == "q:bl_activity_status"
    assert result.messages == [QUESTIONNAIRE.question("bl_activity_status").help_in("en")]
