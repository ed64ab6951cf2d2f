"""Over REST: a button payload answers only the question it was sent with."""

from __future__ import annotations

import pytest

from bot.i18n import t
from bot.questionnaire.loader import default_questionnaire
from tests.conftest import choices, payload_for, texts

pytestmark = pytest.mark.e2e


def _current(store, sender: str) -> dict[str, object]:
    trainee = store.find_trainee(sender)
    return {c: a.value for c, a in store.current_answers(trainee.id).get("baseline", {}).items()}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_payload_of_an_earlier_question_changes_it_and_never_answers_the_pending_one(
    stack, stack_store, sender, language
):
    greeting = {"en": "hello", "fr": "bonjour", "es": "hola"}[language]
    consent = stack.say(sender, greeting)
    replies = stack.say(sender, payload_for(consent, "yes"))
    # the greeting's language is confirmed in passing: the next question is the programme
    assert language not in choices(replies)
    replies = stack.say(sender, payload_for(replies, "demo"))
    replies = stack.say(sender, payload_for(replies, "female"))
    replies = stack.say(sender, "2001")
    replies = stack.say(sender, payload_for(replies, "tvet"))
    replies = stack.say(sender, payload_for(replies, "unemployed_looking"))
    work_experience = replies  # a yes/no question: its keyboard stays in the history
    pending = stack.say(sender, {"en": "yes", "fr": "oui", "es": "sí"}[language])  # typed
    assert _current(stack_store, sender)["bl_work_experience"] == "yes"

    # the old "No" of the yes/no question, sent while "why did you enrol" is pending
    replies = stack.say(sender, payload_for(work_experience, "no"))
    question = default_questionnaire().question("bl_work_experience").label_in(language)
    assert t("tap_changed", language, question=question, answer=t("no", language)) in texts(
        replies
    )
    assert texts(replies)[-1] == texts(pending)[-1]  # the pending question, asked again
    answers = _current(stack_store, sender)
    assert answers["bl_work_experience"] == "no" and "bl_enrol_reason" not in answers

    # the consent "No" from the very first message answers nothing and ends nothing
    replies = stack.say(sender, payload_for(consent, "no"))
    assert texts(replies)[0] == t("tap_earlier_question", language)
    assert texts(replies)[-1] == texts(pending)[-1]
    assert _current(stack_store, sender) == answers
    assert stack_store.find_trainee(sender).status == "active"

    # the pending question's own button still answers it
    stack.say(sender, payload_for(pending, "get_job"))
    assert _current(stack_store, sender)["bl_enrol_reason"] == "get_job"
