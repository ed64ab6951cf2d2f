"""Over REST and socket.io: a button payload answers only the question it was sent with.

(The web widget itself only shows the quick replies of the latest message; a client may still
send an old payload.)
"""

from __future__ import annotations

import pytest

from bot.channels.web_session import WebSessionSigner
from bot.config import load_settings
from bot.i18n import t
from bot.questionnaire.loader import default_questionnaire
from tests.conftest import choices, payload_for, texts
from tests.e2e.test_identity import _WebClient

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
    assert t("tap_changed", language, question=question, answer=t("no", language)) in texts(replies)
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


def _payloads(messages: list[dict], choice: str) -> str:
    """The payload of the button (socket.io: quick reply) answering ``choice``."""
    replies = [{"buttons": m.get("quick_replies") or m.get("buttons") or []} for m in messages]
    return payload_for(replies, choice)


def test_an_old_payload_over_socketio_changes_its_own_question_only(stack, stack_store):
    signer = WebSessionSigner(load_settings(stack.env).secret_key, 400)
    web = _WebClient(stack.rasa_url)
    try:
        token = web.request_session(None)

        def send(text: str) -> list[dict]:
            count = len(web.messages)
            web.say(text, token)
            return web.messages[count:]

        consent = send("hello")
        replies = send(_payloads(consent, "yes"))
        replies = send(_payloads(replies, "demo"))
        replies = send(_payloads(replies, "female"))
        replies = send("2001")
        replies = send(_payloads(replies, "tvet"))
        work_experience = send(_payloads(replies, "unemployed_looking"))
        pending = send("yes")  # typed
        replies = send(_payloads(work_experience, "no"))  # the old keyboard's "No"
        label = default_questionnaire().question("bl_work_experience").label_in("en")
        said = [str(m.get("text", "")) for m in replies]
        assert t("tap_changed", "en", question=label, answer="No") in said
        assert said[-1] == pending[-1]["text"]  # the pending question, asked again
        replies = send(_payloads(consent, "no"))  # the consent keyboard: answers nothing
        assert [str(m.get("text", "")) for m in replies][0] == t("tap_earlier_question", "en")
    finally:
        web.close()
    trainee = stack_store.find_trainee(signer.conversation_of(token), "socketio")
    answers = {c: a.value for c, a in stack_store.current_answers(trainee.id)["baseline"].items()}
    assert answers["bl_work_experience"] == "no" and "bl_enrol_reason" not in answers
    assert trainee.status == "active"
