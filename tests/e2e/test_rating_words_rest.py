"""Ratings and frequencies typed in words, through the REST channel (issue 24).

A rating read from words is echoed with the number stored; an unsure one is confirmed with
Yes/No buttons first; the database holds the value the trainee saw.
"""

from __future__ import annotations

import pytest

from tests.conftest import choices, texts
from tests.e2e.test_journey_rest import register
from tests.journeys import YES, wave_script

pytestmark = pytest.mark.e2e

YES_NO = ["yes", "no"]
CASES = {
    # language: (negated phrase, its echo, unsure phrase, its confirmation question, value)
    "en": (
        "not very happy with it",
        "Noted: 2 out of 5",
        "maybe quite useful",
        "I understood 4 out of 5 — is that right?",
        4,
    ),
    "fr": (
        "pas vraiment satisfaite",
        "Noté : 2 sur 5",
        "un peu déçue",
        "J'ai compris 2 sur 5 — c'est bien ça ?",
        2,
    ),
    "es": (
        "no estoy nada contento",
        "Anotado: 1 de 5",
        "no está mal",
        "Entendí 3 de 5, ¿es correcto?",
        3,
    ),
}
NEGATED_VALUE = {"en": 2, "fr": 2, "es": 1}


def _at_question(stack, sender: str, language: str, wave: str, code: str) -> None:
    """A new trainee who did the baseline and answered ``wave`` up to question ``code``."""
    register(stack, sender, language)
    for _code, turn in wave_script("baseline", language):
        stack.say(sender, turn.text)
    stack.trigger(sender, "EXTERNAL_followup", {"wave": wave})
    for scripted, turn in wave_script(wave.split("_")[0], language):
        if scripted == code:
            return
        stack.say(sender, turn.text)
    raise AssertionError(f"{code} is not asked in the {wave} wave")


def _current(store, sender: str, wave: str, code: str):
    answer = store.current_answers(store.find_trainee(sender).id)[wave].get(code)
    return None if answer is None else answer.value


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_ratings_in_words_are_echoed_or_confirmed_and_stored(stack, stack_store, sender, language):
    negated, echo, unsure, question, value = CASES[language]
    _at_question(stack, sender, language, "exit", "ex_satisfaction")

    replies = stack.say(sender, negated)
    assert any(t.startswith(echo) for t in texts(replies)), texts(replies)
    assert _current(stack_store, sender, "exit", "ex_satisfaction") == NEGATED_VALUE[language]

    replies = stack.say(sender, unsure)  # ex_usefulness
    assert question in texts(replies) and choices(replies) == YES_NO
    assert _current(stack_store, sender, "exit", "ex_usefulness") is None
    replies = stack.say(sender, YES[language])
    assert any(t.startswith(echo.split(":")[0]) for t in texts(replies))
    assert _current(stack_store, sender, "exit", "ex_usefulness") == value


def test_no_to_a_confirmation_asks_again_with_the_scale(stack, stack_store, sender):
    _at_question(stack, sender, "en", "exit", "ex_satisfaction")
    stack.say(sender, "a bit disappointed")
    replies = stack.say(sender, "no")
    joined = " ".join(texts(replies))
    assert "Type a number from 1 to 5" in joined and "very satisfied" in joined
    assert choices(replies)[:5] == list("12345")
    assert _current(stack_store, sender, "exit", "ex_satisfaction") is None
    stack.say(sender, "3")
    assert _current(stack_store, sender, "exit", "ex_satisfaction") == 3


def test_a_frequency_typed_with_a_negation_is_confirmed(stack, stack_store, sender):
    _at_question(stack, sender, "fr", "followup_6", "fu_skills_use")
    replies = stack.say(sender, "pas souvent")
    assert "J'ai compris « Parfois » — c'est bien ça ?" in texts(replies)
    replies = stack.say(sender, "oui")
    assert any(t.startswith("Noté : « Parfois »") for t in texts(replies))
    assert _current(stack_store, sender, "followup_6", "fu_skills_use") == "sometimes"
