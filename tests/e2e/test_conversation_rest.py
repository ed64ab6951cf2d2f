"""The survey conversation driven through Rasa's REST channel, checked in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.storage.db import session_scope
from bot.storage.models import Answer, Consent, Contact, Trainee
from tests.conftest import choices, payload_for, texts

pytestmark = pytest.mark.e2e


def _answers(stack, store, sender) -> dict[str, object]:
    trainee = store.find_trainee(sender)
    assert trainee is not None
    current = store.current_answers(trainee.id)
    return {code: a.value for wave in current.values() for code, a in wave.items()}


def _register(stack, sender: str, language_reply: str = "English") -> list[dict]:
    first = stack.say(sender, "hello")
    assert any("agree" in t or "accord" in t or "acepta" in t for t in texts(first))
    stack.say(sender, "yes")
    stack.say(sender, language_reply)
    return stack.say(sender, '/inform{"choice":"demo"}')


def test_baseline_slice_stores_typed_and_tapped_answers(stack, stack_store, sender):
    replies = _register(stack, sender)
    assert any("Question 1 of" in t for t in texts(replies))
    assert "female" in choices(replies)

    stack.say(sender, payload_for(replies, "female"))  # tapped
    replies = stack.say(sender, "two thousand and one")  # typed in words
    assert any("Question 3 of" in t for t in texts(replies))

    answers = _answers(stack, stack_store, sender)
    assert answers["bl_sex"] == "female"
    assert answers["bl_birth_year"] == 2001


def _row_counts(stack) -> tuple[int, ...]:
    with session_scope(stack.database_url) as session:
        return tuple(
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (Trainee, Contact, Consent, Answer)
        )


def test_declined_consent_stores_nothing(stack, stack_store, sender):
    before = _row_counts(stack)
    stack.say(sender, "hi")
    replies = stack.say(sender, "no")
    assert any("Nothing about you has been kept" in t for t in texts(replies))
    assert _row_counts(stack) == before
    assert stack_store.find_trainee(sender) is None


def test_nonsense_is_reasked_in_the_chosen_language(stack, stack_store, sender):
    _register(stack, sender, language_reply="Français")
    stack.say(sender, '/inform{"choice":"male"}')
    replies = stack.say(sender, "banane bleue")
    joined = " ".join(texts(replies))
    assert "nombre" in joined and "En quelle année" in joined
    replies = stack.say(sender, "1890")
    joined = " ".join(texts(replies))
    assert "entre 1940 et 2015" in joined
    assert "bl_birth_year" not in _answers(stack, stack_store, sender)


def test_a_french_greeting_is_answered_in_french(stack, sender):
    replies = stack.say(sender, "Bonjour")
    assert any("Acceptez-vous de participer" in t for t in texts(replies))
    assert choices(replies) == ["yes", "no"]


def test_servers_logged_no_errors(stack, sender):
    """After the conversations above, neither server logged an error (e.g. a tracker store
    falling back to memory, which would silently lose conversation state)."""
    stack.say(sender, "hello")
    for name in ("rasa", "actions"):
        log = (stack.workdir / f"{name}.log").read_text(errors="replace")
        errors = [line for line in log.splitlines() if " ERROR " in line]
        assert not errors, f"{name}.log: {errors[:3]}"
