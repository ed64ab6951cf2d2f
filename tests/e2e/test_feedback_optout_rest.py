"""Through Rasa and the action server: "no results" in each language turns results off,
is confirmed in the trainee's language, and the pending question is asked again."""

from __future__ import annotations

import pytest

from bot.feedback.optout import declined_results
from bot.i18n import t
from tests.conftest import texts
from tests.e2e.test_journey_rest import register

pytestmark = pytest.mark.e2e
WORDS = {"en": "no results", "fr": "pas de résultats", "es": "sin resultados"}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_no_results_in_the_chat_turns_results_off(stack, stack_store, sender, language):
    first = texts(register(stack, sender, language))
    trainee = stack_store.find_trainee(sender)
    assert declined_results(stack.database_url, [trainee.id]) == set()
    replies = texts(stack.say(sender, WORDS[language]))
    assert t("feedback_off", language) in replies, replies
    assert first[-1] in replies  # the question that was pending, asked again
    assert declined_results(stack.database_url, [trainee.id]) == {trainee.id}
