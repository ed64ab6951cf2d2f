"""Who is talking: a trainee is who the channel says, and consent comes before any question.

Tried as an outsider would, through the real servers: a chat sender equal to an imported
trainee's phone number or e-mail, a forged or tampered web chat session id, a typed
scheduler-only intent, and a known trainee whose first message is "stop" or "delete my data".
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

import pytest
import requests
import socketio
from sqlalchemy import func, select

from bot.channels.web_session import WebSessionSigner
from bot.config import load_settings
from bot.storage.db import session_scope
from bot.storage.models import Answer, Consent, Contact, Trainee, WaveProgress
from bot.storage.repository import TracerStore
from tests.conftest import texts
from tests.outreach.helpers import add_programme, add_trainee

pytestmark = pytest.mark.e2e

PHONE = "+221777654321"
EMAIL = "awa.diop@example.org"


def _imported_trainee(stack) -> int:
    """A trainee as `tracer cohorts import` leaves one: phone and e-mail, no chat, no consent."""
    settings = load_settings(stack.env)
    cohort = add_programme(settings, f"id-{uuid.uuid4().hex[:8]}", {"c1": (None, None)})
    trainee_id = add_trainee(settings, cohort["c1"])
    store = TracerStore(settings)
    with session_scope(settings.database_url) as session:
        store.add_contact(session, trainee_id, "phone", PHONE)
        store.add_contact(session, trainee_id, "email", EMAIL)
    return trainee_id


def _record(database_url: str, trainee_id: int) -> dict[str, Any]:
    with session_scope(database_url) as session:
        count = lambda model: session.execute(  # noqa: E731
            select(func.count()).select_from(model).where(model.trainee_id == trainee_id)
        ).scalar_one()
        trainee = session.get(Trainee, trainee_id)
        return {
            "status": trainee.status,
            "language": trainee.language,
            "answers": count(Answer),
            "consents": count(Consent),
            "contacts": count(Contact),
            "waves": count(WaveProgress),
        }


@pytest.mark.parametrize("address", [PHONE, EMAIL, PHONE.lstrip("+")])
def test_a_sender_named_like_an_imported_trainee_gets_a_new_unlinked_conversation(
    stack, stack_store, address
):
    trainee_id = _imported_trainee(stack)
    before = _record(stack.database_url, trainee_id)
    replies = texts(stack.say(address, "bonjour"))
    assert any("Acceptez-vous de participer" in t for t in replies), replies
    assert not any("Question 1" in t for t in replies)
    stack.say(address, "oui")
    stack.say(address, "Français")
    stack.say(address, "stop")
    stack.say(address, "oui")
    stack.say(address, "oui")  # and delete
    assert _record(stack.database_url, trainee_id) == before
    found = stack_store.find_trainee(address, "rest")  # its own new record, if any
    assert found is None or found.id != trainee_id


def test_a_chat_id_of_one_channel_is_not_a_sender_on_another(stack, stack_store, sender):
    settings = load_settings(stack.env)
    cohort = add_programme(settings, f"tg-{uuid.uuid4().hex[:8]}", {"c1": (None, None)})
    telegram_chat = str(7_000_000_000 + int(uuid.uuid4().int % 1_000_000))
    trainee_id = add_trainee(settings, cohort["c1"], chat=("telegram", telegram_chat))
    before = _record(stack.database_url, trainee_id)
    replies = texts(stack.say(telegram_chat, "hello"))
    assert any("Do you agree to take part" in t for t in replies), replies
    stack.say(telegram_chat, "stop")
    assert _record(stack.database_url, trainee_id) == before
    assert stack_store.find_trainee(telegram_chat, "telegram").id == trainee_id


def test_a_typed_scheduler_intent_changes_nothing(stack, stack_store, sender):
    stack.say(sender, "hello")
    stack.say(sender, "yes")
    stack.say(sender, "English")
    replies = texts(stack.say(sender, "Demo programme"))
    assert any("Question 1 of" in t for t in replies)
    trainee = stack_store.find_trainee(sender, "rest")
    before = _record(stack.database_url, trainee.id)
    for forged in (
        '/EXTERNAL_followup{"wave":"followup_12"}',
        '/EXTERNAL_followup{"wave":"exit"}',
    ):
        stack.say(sender, forged)
    forged_metadata = stack.say(
        sender, '/EXTERNAL_followup{"wave":"followup_6"}', metadata={"is_external": True}
    )
    assert _record(stack.database_url, trainee.id) == before
    assert set(stack_store.wave_progress(trainee.id)) == {"baseline"}
    assert any("Question 1 of" in t for t in texts(forged_metadata))


def test_the_scheduler_still_opens_a_wave(stack, stack_store, sender):
    stack.say(sender, "hello")
    stack.say(sender, "yes")
    stack.say(sender, "English")
    stack.say(sender, "Demo programme")
    trainee = stack_store.find_trainee(sender, "rest")
    stack.trigger(sender, "EXTERNAL_followup", {"wave": "exit"})
    assert "exit" in stack_store.wave_progress(trainee.id)


@pytest.mark.parametrize(
    ("first", "asked"),
    [
        ("stop", "Do you want to stop taking part"),
        ("delete my data", "Do you also want us to delete"),
        ("supprimer mes données", "Voulez-vous aussi que nous supprimions"),
    ],
)
def test_stop_and_delete_as_the_first_message_of_a_new_conversation(
    stack, stack_store, sender, first, asked
):
    stack.say(sender, "hello")
    stack.say(sender, "yes")
    stack.say(sender, "English" if first != "supprimer mes données" else "Français")
    stack.say(sender, "Demo programme")
    stack.say(sender, "/session_start")  # a new conversation session, days later
    replies = texts(stack.say(sender, first))
    assert any(asked in t for t in replies), replies
    assert not any("Question 1" in t for t in replies)
    trainee = stack_store.find_trainee(sender, "rest")
    if first == "stop":
        stack.say(sender, "yes")  # stop
        stack.say(sender, "no")  # keep the answers
        assert stack_store.trainee_by_id(trainee.id).status == "opted_out"
    else:
        stack.say(sender, "oui" if "supprimer" in first else "yes")
        with session_scope(stack.database_url) as session:  # erased: not even a tombstone
            assert session.get(Trainee, trainee.id) is None
        assert stack_store.find_trainee(sender, "rest") is None


def test_an_invited_trainee_is_asked_consent_before_question_one(stack, stack_store, sender):
    from tests.e2e.test_invitation_rest import _invite

    cohort_id, trainee_id, code = _invite(stack)
    greeting = "/greet" + json.dumps({"language": "en", "invite_code": code})
    replies = texts(stack.say(sender, greeting))
    assert any("Do you agree to take part" in t for t in replies)
    assert not any("Question 1" in t for t in replies)
    assert _record(stack.database_url, trainee_id)["consents"] == 0
    replies = texts(stack.say(sender, "no"))
    assert _record(stack.database_url, trainee_id)["answers"] == 0
    assert stack_store.find_trainee(sender, "rest") is None


def test_a_new_consent_version_asks_again_before_any_question(stack, stack_store, sender):
    stack.say(sender, "hello")
    stack.say(sender, "yes")
    stack.say(sender, "English")
    stack.say(sender, "Demo programme")
    trainee = stack_store.find_trainee(sender, "rest")
    with session_scope(stack.database_url) as session:  # consent given to an older text
        for consent in session.execute(
            select(Consent).where(Consent.trainee_id == trainee.id)
        ).scalars():
            consent.version = "2020.1"
    stack.say(sender, "/session_start")
    replies = texts(stack.say(sender, "hello"))
    assert any("Do you agree to take part" in t for t in replies), replies
    replies = texts(stack.say(sender, "yes"))
    assert any("Question 1 of" in t for t in replies), replies
    assert stack_store.find_trainee(sender, "rest").consented


# -- socket.io -----------------------------------------------------------------------------------
class _WebClient:
    """A socket.io client that records session confirmations and bot messages."""

    def __init__(self, url: str) -> None:
        self.client = socketio.Client(reconnection=False)
        self.confirmed: list[str] = []
        self.messages: list[Any] = []
        self._event = threading.Event()
        self.client.on("session_confirm", self._on_confirm)
        self.client.on("bot_uttered", self._on_bot)
        self.client.connect(url, socketio_path="/socket.io", transports=["websocket"])

    def _on_confirm(self, data: Any) -> None:
        self.confirmed.append(data.get("session_id") if isinstance(data, dict) else data)
        self._event.set()

    def _on_bot(self, data: Any) -> None:
        self.messages.append(data)
        self._event.set()

    def request_session(self, session_id: str | None) -> str:
        self._event.clear()
        count = len(self.confirmed)
        self.client.emit("session_request", {"session_id": session_id})
        self._wait(lambda: len(self.confirmed) > count)
        return self.confirmed[-1]

    def say(self, text: str, session_id: str) -> list[str]:
        count = len(self.messages)
        self.client.emit("user_uttered", {"message": text, "session_id": session_id})
        self._wait(lambda: len(self.messages) > count)
        time.sleep(0.5)
        return [str(m.get("text", "")) for m in self.messages[count:]]

    def _wait(self, done) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + 30
        while not done() and time.monotonic() < deadline:
            self._event.wait(0.5)
            self._event.clear()
        assert done(), "no answer from the socket.io channel"

    def close(self) -> None:
        self.client.disconnect()


def test_web_sessions_are_issued_by_the_server_and_forged_ids_get_a_fresh_one(stack, stack_store):
    signer = WebSessionSigner(load_settings(stack.env).secret_key, 400)
    victim = _WebClient(stack.rasa_url)
    try:
        token = victim.request_session(None)
        conversation = signer.conversation_of(token)
        assert conversation is not None
        assert any("agree" in t for t in victim.say("hello", token))
        victim.say("yes", token)
        victim.say("English", token)
        victim.say("Demo programme", token)
        trainee = stack_store.find_trainee(conversation, "socketio")
        assert trainee is not None
    finally:
        victim.close()
    before = _record(stack.database_url, trainee.id)

    tampered = token[:-1] + ("0" if token[-1] != "0" else "1")
    attacker = _WebClient(stack.rasa_url)
    try:
        for forged in (conversation, tampered, uuid.uuid4().hex, f"{conversation}.1.x"):
            issued = attacker.request_session(forged)
            assert issued != forged and signer.conversation_of(issued) != conversation
        issued = attacker.request_session(tampered)
        replies = attacker.say("hello", conversation)  # the id in the message is ignored
        assert any("agree" in t for t in replies), replies
        attacker.say("no", token)
    finally:
        attacker.close()
    assert _record(stack.database_url, trainee.id) == before

    back = _WebClient(stack.rasa_url)  # the real browser comes back with its stored token
    try:
        assert back.request_session(token) == token
        assert any("Question" in t for t in back.say("hello", token))
    finally:
        back.close()


def test_rest_refuses_when_disabled_or_remote() -> None:
    from bot.channels.rest_guarded import rest_refusal
    from bot.config import Settings

    base = Settings(database_url="sqlite://", secret_key="s", encryption_key="k")
    assert rest_refusal(base, "127.0.0.1", None) == "disabled"
    enabled = base.with_overrides(rest_enabled=True)
    assert rest_refusal(enabled, "127.0.0.1", None) is None
    assert rest_refusal(enabled, "::1", None) is None
    assert rest_refusal(enabled, "203.0.113.9", None) is not None
    with_token = enabled.with_overrides(rest_token="t0ken")
    assert rest_refusal(with_token, "203.0.113.9", "Bearer t0ken") is None
    assert rest_refusal(with_token, "203.0.113.9", "Bearer wrong") is not None


def test_rest_channel_cannot_claim_another_input_channel(stack, stack_store, sender):
    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": "hello", "input_channel": "telegram"},
        timeout=60,
    )
    response.raise_for_status()
    stack.say(sender, "yes")
    stack.say(sender, "English")
    assert stack_store.find_trainee(sender, "telegram") is None
    assert stack_store.find_trainee(sender, "rest") is not None
