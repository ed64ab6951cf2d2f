"""Results back to trainees: the consent says it, and a word in each language turns it off."""

from __future__ import annotations

from datetime import date

import pytest

from bot.feedback.optout import declined_results, says_no_results, says_results_again
from bot.i18n import t
from tests.survey.helpers import Chat, make_engine


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no results", True),
        ("No results!", True),
        ("stop results", True),
        ("pas de résultats", True),
        ("Pas de resultats", True),
        ("plus de résultats", True),
        ("sin resultados", True),
        ("No resultados", True),
        ("results", False),
        ("no", False),
        ("I have no results yet", False),
        ("resultados", False),
    ],
)
def test_the_no_results_words_in_three_languages(text: str, expected: bool):
    assert says_no_results(text) is expected


@pytest.mark.parametrize(
    ("language", "word"),
    [("en", "no results"), ("fr", "pas de résultats"), ("es", "sin resultados")],
)
def test_consent_announces_the_results_and_the_word_that_stops_them(language: str, word: str):
    assert word in t("consent", language).lower()


@pytest.mark.parametrize(
    ("language", "word", "reply"),
    [
        ("English", "no results", "we will not send you the results"),
        ("Français", "Pas de résultats", "nous ne vous enverrons plus les résultats"),
        ("Español", "sin resultados", "ya no le enviaremos los resultados"),
    ],
)
def test_typing_the_word_mid_survey_turns_results_off_and_keeps_the_question(
    tmp_path, language: str, word: str, reply: str
):
    engine = make_engine(tmp_path, date(2026, 3, 1))
    chat = Chat(engine)
    chat.send("hello", "greet", active=False)
    chat.send("yes", "affirm")
    chat.send(language, "change_language")
    assert chat.send("demo").step == "q:bl_sex"
    trainee = engine.store.find_trainee(chat.sender)
    assert declined_results(engine.settings.database_url, [trainee.id]) == set()

    result = chat.send(word, "out_of_scope")
    assert any(reply in m for m in result.messages)
    assert result.step == "q:bl_sex"  # the pending question stays
    assert declined_results(engine.settings.database_url, [trainee.id]) == {trainee.id}
    assert engine.store.current_answers(trainee.id).get("baseline", {}) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("send results", True),
        ("Send me the results please", True),
        ("results on", True),
        ("Envoyez les résultats", True),
        ("envoyez-moi les résultats", True),
        ("enviar resultados", True),
        ("Envíenme los resultados", True),
        ("sí resultados", True),
        ("results", False),
        ("no results", False),
        ("I sent my results to my boss", False),
    ],
)
def test_the_words_that_turn_results_back_on(text: str, expected: bool):
    assert says_results_again(text) is expected


@pytest.mark.parametrize(
    ("language", "off", "on", "reply"),
    [
        ("English", "no results", "send results", "we will send you the results"),
        ("Français", "pas de résultats", "envoyez les résultats", "nous vous enverrons les"),
        ("Español", "sin resultados", "enviar resultados", "le enviaremos los resultados"),
    ],
)
def test_results_turned_off_can_be_turned_back_on_and_the_question_stays(
    tmp_path, language: str, off: str, on: str, reply: str
):
    engine = make_engine(tmp_path, date(2026, 3, 1))
    chat = Chat(engine)
    chat.send("hello", "greet", active=False)
    chat.send("yes", "affirm")
    chat.send(language, "change_language")
    assert chat.send("demo").step == "q:bl_sex"
    trainee = engine.store.find_trainee(chat.sender)
    said_off = chat.send(off, "out_of_scope")
    assert any(on in m.lower() for m in said_off.messages)  # the way back is told
    assert declined_results(engine.settings.database_url, [trainee.id]) == {trainee.id}

    result = chat.send(on, "out_of_scope")
    assert any(reply in m for m in result.messages)
    assert result.step == "q:bl_sex"
    assert declined_results(engine.settings.database_url, [trainee.id]) == set()
