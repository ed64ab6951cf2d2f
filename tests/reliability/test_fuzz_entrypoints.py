"""Bad input at every entry point: REST, socket.io and the Telegram webhook.

Random text (hypothesis, bounded and derandomised), control characters, a 100 kB message,
SQL/HTML/JS injection strings and malformed payloads must never produce a 5xx (except where
Rasa's own REST handler answers malformed JSON, see ``MALFORMED_REST``), never a traceback in a
reply, never a stored value that is not a parsed, typed answer, and must leave the conversation
able to go on normally.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests
import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.questionnaire.loader import default_questionnaire
from bot.storage.db import session_scope
from bot.storage.models import Answer
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.stack import Stack, running_stack

pytestmark = pytest.mark.e2e

TOKEN = "5550009876:AAH-faketoken_for_fuzz_0123456789abcd"
SECRET = "fuzz-webhook-secret"
CREDENTIALS = """bot.channels.rest_guarded.GuardedRestInput:
bot.channels.socketio_signed.SignedSocketIOInput:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
bot.channels.telegram.TelegramInput:
  mode: webhook
"""
INJECTIONS = [
    "'; DROP TABLE answer; --",
    "1 OR 1=1",
    '" OR ""="',
    "1); DELETE FROM contact; --",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(document.cookie)",
    "{{7*7}} ${7*7} #{7*7}",
    '/inform{"choice":"<script>"}',
    '/inform{"choice": {"$ne": null}}',
    "/inform{not json",
    '/stop{"x":' + "[" * 200,
    "\x00\x01\x02\x1b[31mred\x7f",
    "\u202e\u200b\ufeff zero width",
    "🙂" * 500,
    "../../etc/passwd",
]
HUGE = "lorem ipsum 12 " * 6_700  # about 100 kB
_chat_ids = itertools.count(8_800_000_001)
QUESTIONNAIRE = default_questionnaire()


@pytest.fixture(scope="module")
def fuzz_stack(tmp_path_factory, model_path: Path) -> Iterator[Stack]:
    """REST + socket.io + Telegram (webhook mode, fake Bot API) on one fresh SQLite file."""
    workdir = tmp_path_factory.mktemp("fuzz")
    credentials = workdir / "credentials.yml"
    credentials.write_text(CREDENTIALS, encoding="utf-8")
    with FakeTelegramAPI(TOKEN) as fake:
        extra = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": fake.base_url,
            "TELEGRAM_MODE": "webhook",
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_WEBHOOK_URL": "https://tracer.example.org/webhooks/telegram/webhook",
        }
        with running_stack(workdir, model_path, extra_env=extra, credentials=credentials) as stack:
            stack.fake_api = fake  # type: ignore[attr-defined]
            yield stack


def _post(stack: Stack, body: Any, raw: bytes | None = None) -> requests.Response:
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    if raw is not None:
        headers = {"Content-Type": "application/json"}
        return requests.post(url, data=raw, headers=headers, timeout=120)
    return requests.post(url, json=body, timeout=120)


def _assert_clean(response: requests.Response) -> list[dict]:
    assert response.status_code < 500, response.text[:300]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return (
        response.json()
        if response.headers.get("content-type", "").startswith("application/json")
        else []
    )


def _registered(stack: Stack) -> str:
    sender = f"fuzz-{uuid.uuid4().hex[:10]}"
    for message in ("hi", "yes", "English", '/inform{"choice":"demo"}'):
        _assert_clean(_post(stack, {"sender": sender, "message": message}))
    return sender


def _asks_something(replies: list[dict]) -> bool:
    return any((r.get("text") or "").strip() for r in replies)


def _assert_only_typed_answers(stack: Stack) -> None:
    with session_scope(stack.database_url) as session:
        rows = session.execute(select(Answer)).scalars().all()
    for row in rows:
        question = QUESTIONNAIRE.question(row.question_code)
        value = row.value_json
        if row.status == "skipped":
            assert value is None
        elif question.type in ("choice", "yes_no"):
            codes = question.choice_codes or ("yes", "no")
            assert value in codes, (row.question_code, value)
        elif question.type in ("integer", "rating", "duration"):
            assert isinstance(value, (int, float)) and not isinstance(value, bool)
            assert question.min is None or value >= question.min
            assert question.max is None or value <= question.max
        elif question.type == "money":
            assert isinstance(value, dict) and isinstance(value["amount"], (int, float))
        else:
            assert isinstance(value, str) and 0 < len(value) <= 4000


# -- REST ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rest_sender(fuzz_stack: Stack) -> str:
    return _registered(fuzz_stack)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300))
def test_random_text_over_rest(fuzz_stack: Stack, rest_sender: str, text: str) -> None:
    replies = _assert_clean(_post(fuzz_stack, {"sender": rest_sender, "message": text}))
    assert all("Traceback" not in (r.get("text") or "") for r in replies)


@pytest.mark.parametrize("text", [*INJECTIONS, HUGE], ids=lambda t: repr(t[:20]))
def test_injection_and_huge_messages_over_rest(fuzz_stack: Stack, rest_sender: str, text: str):
    started = time.monotonic()
    _assert_clean(_post(fuzz_stack, {"sender": rest_sender, "message": text}))
    assert time.monotonic() - started < 60


MALFORMED_REST: list[tuple[str, Any, bytes | None]] = [
    ("invalid json", None, b"{not json"),
    ("empty body", None, b""),
    ("json array", [1, 2, 3], None),
    ("missing sender", {"message": "hi"}, None),
    ("missing message", {"sender": "fuzz-missing-message"}, None),
    ("sender is a number", {"sender": 12345, "message": "hi"}, None),
    ("message is a list", {"sender": "fuzz-list", "message": ["hi"]}, None),
    ("message is an object", {"sender": "fuzz-obj", "message": {"a": 1}}, None),
    ("message is null", {"sender": "fuzz-null", "message": None}, None),
    ("metadata is a string", {"sender": "fuzz-meta", "message": "hi", "metadata": "x"}, None),
]
# Rasa's own REST channel (not Tracer code) answers 500 for an empty body and a JSON array: its
# handler calls request.json.get without validating (invalid JSON gets 400). They carry no
# traceback, store nothing and leave the server healthy: accepted here, see docs/security.md.
RASA_OWN_500 = {"empty body", "json array"}


@pytest.mark.parametrize("name,body,raw", MALFORMED_REST, ids=[m[0] for m in MALFORMED_REST])
def test_malformed_rest_payloads(fuzz_stack: Stack, name: str, body: Any, raw: bytes | None):
    response = _post(fuzz_stack, body, raw)
    assert "Traceback" not in response.text and 'File "' not in response.text
    if response.status_code >= 500:
        assert name in RASA_OWN_500, (name, response.status_code, response.text[:200])
    assert requests.get(f"{fuzz_stack.rasa_url}/", timeout=10).ok


def test_conversation_goes_on_normally_after_the_garbage(fuzz_stack: Stack, rest_sender: str):
    replies = _assert_clean(_post(fuzz_stack, {"sender": rest_sender, "message": "hi"}))
    assert _asks_something(replies)
    fresh = _registered(fuzz_stack)
    replies = _assert_clean(
        _post(fuzz_stack, {"sender": fresh, "message": '/inform{"choice":"male"}'})
    )
    assert any("In which year were you born" in (r.get("text") or "") for r in replies)
    _assert_only_typed_answers(fuzz_stack)


# -- socket.io ----------------------------------------------------------------------------------
SOCKET_GARBAGE: list[Any] = [
    None,
    "just a string",
    12345,
    [1, 2],
    {},
    {"message": None},
    {"message": 123},
    {"message": ["a"]},
    {"message": "<script>alert(1)</script>"},
    {"message": "'; DROP TABLE events; --"},
    {"message": HUGE},
    {"message": "hi", "session_id": 42},
    {"message": "hi", "customData": "not a dict"},
]


def test_malformed_socketio_events(fuzz_stack: Stack):
    received: list[Any] = []
    got_reply = threading.Event()
    client = socketio.Client(reconnection=False)

    @client.on("bot_uttered")
    def _on_bot(data: Any) -> None:  # noqa: ANN401 - whatever the server sends
        received.append(data)
        got_reply.set()

    client.connect(fuzz_stack.rasa_url, socketio_path="/socket.io", transports=["websocket"])
    try:
        session_id = uuid.uuid4().hex
        client.emit("session_request", {"session_id": session_id})
        for garbage in SOCKET_GARBAGE:
            payload = (
                {**garbage, "session_id": garbage.get("session_id", session_id)}
                if isinstance(garbage, dict)
                else garbage
            )
            client.emit("user_uttered", payload)
        time.sleep(3.0)
        assert requests.get(f"{fuzz_stack.rasa_url}/", timeout=10).ok
        assert all("Traceback" not in str(item) for item in received)
        got_reply.clear()
        received.clear()
        if not client.connected:  # the server may drop a client that sends garbage
            client.connect(fuzz_stack.rasa_url, socketio_path="/socket.io",
                           transports=["websocket"])  # fmt: skip
            client.emit("session_request", {"session_id": session_id})
        client.emit("user_uttered", {"message": "hi", "session_id": session_id})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(
            "agree" in str(item) or "Question" in str(item) for item in received
        ):
            got_reply.wait(1.0)
        assert any("agree" in str(i) or "Question" in str(i) for i in received), received[-3:]
    finally:
        client.disconnect()
    _assert_only_typed_answers(fuzz_stack)


# -- Telegram webhook ---------------------------------------------------------------------------
def _webhook(stack: Stack, body: Any, raw: bytes | None = None) -> requests.Response:
    url = f"{stack.rasa_url}/webhooks/telegram/webhook"
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    if raw is not None:
        return requests.post(url, data=raw, headers=headers, timeout=30)
    return requests.post(url, json=body, headers=headers, timeout=30)


def _message_update(update_id: Any, chat_id: Any, text: Any, **extra: Any) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Fuzz"},
            "text": text,
            **extra,
        },
    }


def test_malformed_telegram_updates(fuzz_stack: Stack):
    fake = fuzz_stack.fake_api  # type: ignore[attr-defined]
    chat_id = next(_chat_ids)
    update_ids = itertools.count(770_000_001)
    bad: list[tuple[Any, bytes | None]] = [
        (None, b"{not json"),
        (None, b""),
        ([1, 2], None),
        ({}, None),
        ({"update_id": "abc"}, None),
        ({"update_id": next(update_ids), "message": "not an object"}, None),
        ({"update_id": next(update_ids), "message": {"chat": None}}, None),
        (_message_update(next(update_ids), "not-a-number", "hi"), None),
        (_message_update(next(update_ids), chat_id, None), None),
        (_message_update(next(update_ids), chat_id, 12345), None),
        (_message_update(next(update_ids), chat_id, HUGE), None),
        (
            _message_update(next(update_ids), chat_id, "<script>x</script>'; DROP TABLE answer;"),
            None,
        ),  # fmt: skip
        (_message_update(next(update_ids), chat_id, "\x00\x1b\x7f"), None),
        ({"update_id": next(update_ids), "callback_query": {"id": "1", "data": "zzz"}}, None),
        ({"update_id": next(update_ids), "edited_message": {"text": "x"}}, None),
    ]
    for body, raw in bad:
        response = _webhook(fuzz_stack, body, raw)
        assert response.status_code < 500, (body, response.status_code, response.text[:200])
        assert "Traceback" not in response.text
    assert requests.get(f"{fuzz_stack.rasa_url}/", timeout=10).ok
    response = _webhook(fuzz_stack, _message_update(next(update_ids), chat_id, "hello"))
    assert response.status_code == 200
    replies = fake.wait_for(chat_id, lambda m: "Do you agree" in m.text or bool(m.buttons))
    assert all("Traceback" not in m.text for m in fake.messages_to(chat_id))
    assert replies
    _assert_only_typed_answers(fuzz_stack)
