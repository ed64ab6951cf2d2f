"""Through Rasa and the action server: "no results" in each language turns results off,
is confirmed in the trainee's language, and the pending question is asked again; Rasa serves
the public results page at /results/<token>."""

from __future__ import annotations

import pytest
import requests

from analytics.feedback_figures import Figure, Summary
from bot.config import load_settings
from bot.feedback.message import percent, summary_token
from bot.feedback.optout import declined_results
from bot.feedback.recipients import Recipients
from bot.feedback.send import Prepared, publish
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


def test_the_results_page_is_served_by_rasa_next_to_the_web_chat(stack):
    settings = load_settings(stack.env)
    summary = Summary("demo", "Demo programme", "c1", "followup_6", "cohort",
                      [Figure("working", "Employment rate (employed / respondents)", 61.7, 40)],
                      respondents=40)  # fmt: skip
    token = summary_token(settings, "demo", "c1", "followup_6")
    publish(settings, Prepared(summary, token, Recipients()))
    page = requests.get(f"{stack.rasa_url}/results/{token}?lang=es", timeout=30)
    assert page.status_code == 200
    assert (
        f"{percent(61.7, 'es')} de su cohorte trabajaba" in page.text and 'lang="es"' in page.text
    )
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert requests.get(f"{stack.rasa_url}/results/{'0' * 24}", timeout=30).status_code == 404
    assert requests.get(f"{stack.rasa_url}/results/..%2Fetc", timeout=30).status_code == 404
