"""Echo ("Noted: 2 out of 5") and confirmation of ratings read from words, through the engine."""

from __future__ import annotations

from datetime import date

import pytest

from bot.survey.confirm import confirm_step, read_confirm_step
from bot.survey.turn import SurveyTurn, prompt_for_step
from tests.survey import helpers as survey_chat
from tests.survey.helpers import WaveChat

AFTER_TRAINING = date(2027, 1, 10)  # the demo cohort ends on 2026-12-18: exit wave is due


@pytest.fixture
def engine(tmp_path) -> SurveyTurn:
    return survey_chat.make_engine(tmp_path, AFTER_TRAINING)


NOTED = {"en": "Noted: {} out of 5", "fr": "Noté : {} sur 5", "es": "Anotado: {} de 5"}


@pytest.mark.parametrize(
    ("language", "text", "value"),
    [("en", "very satisfied", 5), ("fr", "très satisfaite", 5), ("es", "muy insatisfecho", 1)],
)
def test_a_rating_read_from_words_is_stored_and_echoed_with_its_number(
    engine, language, text, value
):
    chat = WaveChat(engine, language)
    result = chat.send(text)
    assert chat.step == "q:ex_usefulness"
    assert result.messages[0].startswith(NOTED[language].format(value))
    assert chat.stored("ex_satisfaction") == value


def test_a_rating_typed_as_digits_or_tapped_is_not_echoed(engine):
    chat = WaveChat(engine, "en")
    assert chat.send("4").messages == []
    assert chat.send('/inform{"choice":"3"}').messages == []
    assert (chat.stored("ex_satisfaction"), chat.stored("ex_usefulness")) == (4, 3)


def test_confirm_steps_carry_the_question_and_the_proposed_value():
    assert read_confirm_step(confirm_step("ex_satisfaction", 2)) == ("ex_satisfaction", 2)
    money = {"amount": 150000.0, "currency": "XOF"}
    assert read_confirm_step(confirm_step("fu_earnings", money)) == ("fu_earnings", money)
    assert read_confirm_step("confirm:ex_satisfaction:{broken") is None
    assert read_confirm_step("q:ex_satisfaction") is None


def test_a_confirm_step_is_asked_as_yes_no_with_the_value(engine):
    chat = WaveChat(engine, "fr")
    prompt = prompt_for_step(engine, chat.sender, confirm_step("ex_satisfaction", 2), "fr")
    assert prompt.text == "J'ai compris 2 sur 5 — c'est bien ça ?"
    assert [title for title, _ in prompt.buttons] == ["Oui", "Non"]


@pytest.mark.parametrize(
    ("language", "yes", "noted"),
    [
        ("en", "yes", "Noted: 2 out of 5"),
        ("fr", "oui", "Noté : 2 sur 5"),
        ("es", "sí", "Anotado: 2 de 5"),
    ],
)
def test_yes_to_a_confirmation_stores_the_proposed_value_and_echoes_it(
    engine, language, yes, noted
):
    chat = WaveChat(engine, language)
    chat.step = confirm_step("ex_satisfaction", 2)
    result = chat.send(yes, "affirm")
    assert chat.step == "q:ex_usefulness"
    assert result.messages[0].startswith(noted)
    assert chat.stored("ex_satisfaction") == 2


def test_no_to_a_confirmation_stores_nothing_and_asks_again_with_the_scale(engine):
    chat = WaveChat(engine, "en")
    chat.step = confirm_step("ex_satisfaction", 2)
    result = chat.send("no", "deny")
    assert chat.step == "q:ex_satisfaction"
    assert chat.stored("ex_satisfaction") is None
    assert "Type a number from 1 to 5" in result.messages[0]
    prompt = prompt_for_step(engine, chat.sender, chat.step, "en")
    assert [title for title, _ in prompt.buttons] == ["1", "2", "3", "4", "5"]


def test_a_number_typed_instead_of_yes_or_no_is_the_answer(engine):
    chat = WaveChat(engine, "es")
    chat.step = confirm_step("ex_satisfaction", 2)
    chat.send("3, en realidad")
    assert (chat.step, chat.stored("ex_satisfaction")) == ("q:ex_usefulness", 3)


def test_an_unclear_reply_to_a_confirmation_asks_for_yes_or_no(engine):
    chat = WaveChat(engine, "en")
    step = chat.step = confirm_step("ex_satisfaction", 2)
    result = chat.send("hmm what")
    assert chat.step == step and result.messages == ["Please answer yes or no."]
    assert chat.stored("ex_satisfaction") is None


def test_go_back_at_a_confirmation_asks_the_question_again(engine):
    chat = WaveChat(engine, "fr")
    chat.step = confirm_step("ex_satisfaction", 2)
    chat.send("retour", "go_back")
    assert chat.step == "q:ex_satisfaction" and chat.stored("ex_satisfaction") is None


@pytest.mark.parametrize(
    ("language", "text", "yes", "question", "value"),
    [
        ("en", "maybe quite good", "yes", "I understood 4 out of 5 — is that right?", 4),
        ("fr", "un peu déçue", "oui", "J'ai compris 2 sur 5 — c'est bien ça ?", 2),
        ("es", "no está mal", "sí", "Entendí 3 de 5, ¿es correcto?", 3),
    ],
)
def test_an_unsure_reading_is_confirmed_before_it_is_stored(
    engine, language, text, yes, question, value
):
    chat = WaveChat(engine, language)
    chat.send(text)
    assert chat.stored("ex_satisfaction") is None
    prompt = prompt_for_step(engine, chat.sender, chat.step, language)
    assert prompt.text == question and len(prompt.buttons) == 2
    result = chat.send(prompt.buttons[0][1])  # the Yes button
    assert result.messages[0].startswith(NOTED[language].format(value))
    assert (chat.step, chat.stored("ex_satisfaction")) == ("q:ex_usefulness", value)


def test_a_negated_rating_is_never_stored_as_praise_through_the_engine(engine):
    chat = WaveChat(engine, "en")
    result = chat.send("not very happy with it")
    assert chat.stored("ex_satisfaction") == 2
    assert result.messages[0].startswith("Noted: 2 out of 5")


def test_a_negated_number_is_asked_again_with_the_scale(engine):
    chat = WaveChat(engine, "fr")
    result = chat.send("pas 5")
    assert chat.step == "q:ex_satisfaction" and chat.stored("ex_satisfaction") is None
    assert "de 1 à 5" in result.messages[0]


FOLLOW_UP = date(2027, 7, 1)  # six months after the end of the demo cohort


@pytest.mark.parametrize(
    ("language", "text", "how", "code", "echo"),
    [
        ("en", "all the time", "stored", "often", "Noted: 'Often'"),
        ("fr", "je ne m'en sers jamais", "stored", "never", "Noté : « Jamais »"),
        ("es", "no muy a menudo", "confirm", "sometimes", "Entendí «A veces», ¿es correcto?"),
        ("fr", "pas souvent", "confirm", "sometimes", "J'ai compris « Parfois » — c'est bien ça ?"),
    ],
)
def test_frequencies_typed_in_words_are_read_with_their_negation(
    tmp_path, language, text, how, code, echo
):
    engine = survey_chat.make_engine(tmp_path, FOLLOW_UP)
    chat = WaveChat(engine, language, until="fu_skills_use")
    result = chat.send(text)
    if how == "confirm":
        assert chat.stored("fu_skills_use") is None
        assert prompt_for_step(engine, chat.sender, chat.step, language).text == echo
        result = chat.send({"en": "yes", "fr": "oui", "es": "sí"}[language], "affirm")
    else:
        assert result.messages[0].startswith(echo)
    assert chat.stored("fu_skills_use") == code
    assert chat.step == "q:fu_contract"
