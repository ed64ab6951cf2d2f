"""Choice answers: codes, payloads, option numbers and labels typed in any language."""

from __future__ import annotations

import pytest

from bot.answers import parse_answer
from tests.answers.helpers import ACTIVITY, COMPLETED, SEX, question

SEX_Q = question("choice", choices=SEX)
COMPLETED_Q = question("choice", choices=COMPLETED)
ACTIVITY_Q = question("choice", choices=ACTIVITY)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "female", "female"),
        ("en", "/male", "male"),
        ("en", '/answer{"value": "other"}', "other"),
        ("en", "1", "female"),
        ("en", "2.", "male"),
        ("en", "3)", "other"),
        ("en", "2. Man", "male"),
        ("en", "two", "male"),
        ("en", "the first one", "female"),
        ("en", "option 3", "other"),
        ("en", "last", "other"),
        ("en", "Woman", "female"),
        ("en", "WOMAN", "female"),
        ("en", "I'm a woman", "female"),
        ("en", "womn", "female"),
        ("en", "man", "male"),
        ("en", "other", "other"),
        ("en", "I prefer not to say", "other"),
        ("en", "femme", "female"),
        ("fr", "Femme", "female"),
        ("fr", "je suis une femme", "female"),
        ("fr", "homme", "male"),
        ("fr", "deux", "male"),
        ("fr", "le premier", "female"),
        ("fr", "autre", "other"),
        ("fr", "je préfère ne pas répondre", "other"),
        ("fr", "hombre", "male"),
        ("es", "mujer", "female"),
        ("es", "Hombre", "male"),
        ("es", "la segunda", "male"),
        ("es", "dos", "male"),
        ("es", "otro", "other"),
        ("es", "prefiero no decir", "other"),
        ("es", "woman", "female"),
    ],
)
def test_sex(language, text, expected):
    result = parse_answer(SEX_Q, text, language)
    assert result.ok, result
    assert result.value == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "completed", "completed"),
        ("en", "completd", "completed"),
        ("en", "I dropped out", "dropped_out"),
        ("en", "dropped_out", "dropped_out"),
        ("fr", "terminé", "completed"),
        ("fr", "Terminée", "completed"),
        ("fr", "j'ai abandonné", "dropped_out"),
        ("es", "terminada", "completed"),
        ("es", "la deje", "dropped_out"),
        ("es", "La dejé", "dropped_out"),
    ],
)
def test_completed(language, text, expected):
    assert parse_answer(COMPLETED_Q, text, language).value == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "self employed", "self_employed"),
        ("en", "I have my own business", "self_employed"),
        ("en", "studying", "studying"),
        ("en", "looking for a job", "looking"),
        ("en", "I am not working", "not_working"),
        ("en", "5", "not_working"),
        ("fr", "salariée", "wage_employed"),
        ("fr", "études", "studying"),
        ("fr", "à la recherche d'un emploi", "looking"),
        ("fr", "mon entreprise", "self_employed"),
        ("es", "asalariado", "wage_employed"),
        ("es", "buscando trabajo", "looking"),
        ("es", "negocio", "self_employed"),
        ("es", "cinco", "not_working"),
    ],
)
def test_activity(language, text, expected):
    assert parse_answer(ACTIVITY_Q, text, language).value == expected


@pytest.mark.parametrize(
    ("question_", "language", "text", "error"),
    [
        (SEX_Q, "en", "4", "not_a_choice"),
        (SEX_Q, "en", "0", "not_a_choice"),
        (SEX_Q, "en", "woman or man", "not_a_choice"),
        (SEX_Q, "en", "not a man", "not_a_choice"),
        (SEX_Q, "en", "banana", "not_a_choice"),
        (SEX_Q, "en", "men", "not_a_choice"),
        (SEX_Q, "fr", "bonjour", "not_a_choice"),
        (SEX_Q, "es", "hola", "not_a_choice"),
        (SEX_Q, "es", "", "empty"),
        (COMPLETED_Q, "en", "not completed", "not_a_choice"),
        (COMPLETED_Q, "en", "yes", "not_a_choice"),
        (COMPLETED_Q, "fr", "oui", "not_a_choice"),
        (ACTIVITY_Q, "en", "employed", "not_a_choice"),
        (ACTIVITY_Q, "en", "working", "not_a_choice"),
        (ACTIVITY_Q, "fr", "2 enfants", "not_a_choice"),
        (ACTIVITY_Q, "es", "a" * 1001, "too_long"),
    ],
)
def test_choice_rejections(question_, language, text, error):
    result = parse_answer(question_, text, language)
    assert not result.ok and result.error == error


def test_out_of_range_number_gives_the_option_range():
    result = parse_answer(SEX_Q, "7", "en")
    assert dict(result.details) == {"min": 1, "max": 3}


@pytest.mark.parametrize(
    "language, text",
    [
        ("en", "what does this mean"),
        ("en", "what does this mean?"),
        ("fr", "ça veut dire quoi"),
        ("es", "qué significa esto"),
    ],
)
def test_a_question_about_the_question_is_not_read_as_a_label(language, text):
    """A long message sharing one word-ish token with a short label ("mean"/"man") is no match."""
    assert not parse_answer(SEX_Q, text, language).ok
