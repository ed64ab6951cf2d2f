"""Small moments where a trainee stumbled: a greeting at the consent question, and no word on
when Tracer writes again after a wave."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import pytest
from babel.dates import format_date

from bot.config import load_settings
from bot.i18n import language_kept, t
from tests.conftest import texts
from tests.journeys import LANGUAGE_REPLY, YES, wave_script
from tests.outreach.helpers import add_programme

pytestmark = pytest.mark.e2e
HELLO = {"en": "hello", "fr": "bonjour", "es": "hola"}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_greeting_at_the_consent_question_repeats_it_kindly(stack, sender, language):
    first = texts(stack.say(sender, HELLO[language]))
    assert t("consent", language) in first
    again = texts(stack.say(sender, HELLO[language]))
    assert t("welcome", language) in again and t("consent", language) in again
    assert t("consent_help", language) not in again
    assert any("Question" in x or "Pregunta" in x for x in texts(stack.say(sender, "x"))) is False


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_after_the_baseline_the_trainee_is_told_when_tracer_writes_again(stack, sender, language):
    end = date.today() + timedelta(days=120)
    code = f"nc{uuid.uuid4().hex[:6]}"
    add_programme(load_settings(stack.env), code, {"c1": (end, None)})
    stack.say(sender, HELLO[language])
    stack.say(sender, YES[language])
    stack.say(sender, LANGUAGE_REPLY[language])
    stack.say(sender, "/inform" + json.dumps({"choice": code}))
    replies: list[dict] = []
    for _code, turn in wave_script("baseline", language):
        replies = stack.say(sender, turn.text)
    said = texts(replies)
    month = format_date(end, "MMMM y", locale=language)
    assert t("wave_done_baseline", language) in said
    assert t("next_contact_date", language, when=month) in said, said


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_language_already_said_is_confirmed_in_passing_not_asked(stack, sender, language):
    stack.say(sender, HELLO[language])
    replies = texts(stack.say(sender, YES[language]))
    assert language_kept(language) in replies, replies
    assert t("language_question", language) not in replies
    assert t("programme_question", language) in replies


def test_a_page_language_is_confirmed_in_passing(stack, sender):
    stack.say(sender, '/greet{"language":"es"}')  # what the web page sends for ?lang=es
    replies = texts(stack.say(sender, "ok"))
    assert language_kept("es") in replies, replies


def test_the_language_is_asked_when_nothing_says_it(stack, sender):
    stack.say(sender, "👋")
    replies = texts(stack.say(sender, "ok"))
    assert t("language_question", "en") in replies, replies
