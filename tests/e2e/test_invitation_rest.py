"""An invitation code registers the trainee to their imported cohort, once."""

from __future__ import annotations

import json

import pytest

from bot.config import load_settings
from bot.security.crypto import keyed_hash, new_invite_code
from bot.storage.db import session_scope
from bot.storage.models import Invitation
from tests.conftest import choices, texts
from tests.outreach.helpers import add_programme, add_trainee

pytestmark = pytest.mark.e2e


def _invite(stack) -> tuple[int, int, str]:
    settings = load_settings(stack.env)
    cohort = add_programme(settings, f"inv-{new_invite_code().lower()}", {"c1": (None, None)})
    trainee_id = add_trainee(settings, cohort["c1"])
    code = new_invite_code()
    with session_scope(settings.database_url) as session:
        session.add(
            Invitation(
                trainee_id=trainee_id,
                code_hash=keyed_hash(settings.secret_key, code, purpose="invite"),
            )
        )
    return cohort["c1"], trainee_id, code


def test_invited_trainee_skips_the_programme_question_and_code_is_single_use(
    stack, stack_store, sender
):
    cohort_id, trainee_id, code = _invite(stack)
    stack.say(sender, "/greet" + json.dumps({"language": "en", "invite_code": code}))
    stack.say(sender, "yes")
    replies = stack.say(sender, "English")
    assert any("Question 1 of" in t for t in texts(replies))
    assert "demo" not in choices(replies)
    info = stack_store.find_trainee(sender)
    assert (info.id, info.cohort_id) == (trainee_id, cohort_id)

    other = sender + "-b"
    stack.say(other, "/greet" + json.dumps({"language": "en", "invite_code": code}))
    stack.say(other, "yes")
    replies = stack.say(other, "English")
    assert any("Which training programme" in t for t in texts(replies))
    assert stack_store.find_trainee(other).id != trainee_id


def test_a_code_typed_at_the_programme_question_registers_the_trainee(stack, stack_store, sender):
    cohort_id, trainee_id, code = _invite(stack)
    stack.say(sender, "hello")
    stack.say(sender, "yes")
    stack.say(sender, "English")
    replies = stack.say(sender, f"my code is {code.lower()}")
    assert any("Question 1 of" in t for t in texts(replies))
    info = stack_store.find_trainee(sender)
    assert (info.id, info.cohort_id) == (trainee_id, cohort_id)
