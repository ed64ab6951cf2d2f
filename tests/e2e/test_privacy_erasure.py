"""Logs and erasure, end to end on one real stack (REST, socket.io, Telegram via the fake API).

1. Random texts (quotes, apostrophes, newlines, 10 kB, emoji, nested JSON, button payloads),
   some of which make a custom action raise (tests/fakes/forced_failure), go through every
   channel with every logger at DEBUG: no log line holds a chat id, a typed text or a token.
2. A trainee invited by code answers the baseline on REST and also talks on Telegram; the
   database is backed up; they confirm "delete my data"; the backup is restored with
   ``tracer restore``: no table holds any of their values, their trackers included.

One stack serves the whole module (a start costs about 20 s of CPU); hypothesis is capped.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests
import socketio
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from bot.config import load_settings
from bot.i18n import catalog
from bot.security.crypto import keyed_hash, new_invite_code
from bot.storage.db import session_scope
from bot.storage.models import Invitation
from bot.storage.repository import TracerStore
from tests.conftest import texts
from tests.fakes.forced_failure.sitecustomize import FORCED_FAILURE
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.journeys import wave_script
from tests.ops.helpers import every_value
from tests.outreach.helpers import add_programme, add_trainee, run_cli
from tests.stack import ROOT, Stack, running_stack

pytestmark = pytest.mark.e2e

BOT_TOKEN = "5550004242:AAH-privacy_token_for_logs_0123456789ab"
CREDENTIALS = """bot.channels.rest_guarded.GuardedRestInput:
bot.channels.socketio_signed.SignedSocketIOInput:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
bot.channels.telegram.TelegramInput:
  mode: polling
  poll_timeout: 2
"""
FAULTS = ROOT / "tests" / "fakes" / "forced_failure"
_chat_ids = itertools.count(8_841_000_101)
# Everything that must never appear in a log: filled by the tests, checked at the end.
SECRETS: set[str] = {BOT_TOKEN}


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI(BOT_TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module")
def privacy_stack(tmp_path_factory, model_path: Path, fake_api: FakeTelegramAPI) -> Iterator[Stack]:
    """REST + socket.io + Telegram polling, every logger at DEBUG, faults injectable."""
    workdir = tmp_path_factory.mktemp("privacy")
    credentials = workdir / "credentials.yml"
    credentials.write_text(CREDENTIALS, encoding="utf-8")
    extra = {
        "TRACER_LOG_LEVEL": "DEBUG",
        "PYTHONPATH": f"{FAULTS}:{ROOT}",
        "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_BASE_URL": fake_api.base_url,
        "TELEGRAM_MODE": "polling",
    }
    with running_stack(
        workdir, model_path, extra_env=extra, credentials=credentials, rasa_args=("--debug",)
    ) as stack:
        SECRETS.add(stack.token)  # Rasa's --auth-token, sent as ?token= by trigger_intent
        yield stack


def _logs(stack: Stack) -> dict[str, str]:
    return {
        name: (stack.workdir / f"{name}.log").read_text(errors="replace")
        for name in ("rasa", "actions")
    }


def _assert_absent(stack: Stack, secrets: set[str]) -> None:
    for name, text in _logs(stack).items():
        for secret in secrets:
            assert secret not in text, f"{secret[:40]!r} found in {name}.log"


# -- the three channels --------------------------------------------------------------------------
class WebChat:
    """One socket.io conversation, as the web widget holds it."""

    def __init__(self, url: str) -> None:
        self.received: list[Any] = []
        self.arrived = threading.Event()
        self.confirmed = threading.Event()
        self.session_id = uuid.uuid4().hex
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self._on_bot)
        self.client.on("session_confirm", self._on_confirm)
        self.client.connect(url, socketio_path="/socket.io", transports=["websocket"])
        self.client.emit("session_request", {"session_id": self.session_id})
        self.confirmed.wait(10)

    def _on_bot(self, data: Any) -> None:
        self.received.append(data)
        self.arrived.set()

    def _on_confirm(self, data: Any) -> None:
        confirmed = data.get("session_id") if isinstance(data, dict) else data
        if isinstance(confirmed, str) and confirmed:  # the server issues its own signed id
            self.session_id = confirmed
        self.confirmed.set()

    @property
    def ids(self) -> set[str]:
        """The session token the browser keeps and the conversation id (Rasa's sender id)."""
        return {self.session_id, self.session_id.split(".")[0]}

    def say(self, text: str, timeout: float) -> bool:
        """Send ``text``; whether the bot answered within ``timeout`` s."""
        self.arrived.clear()
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        answered = self.arrived.wait(timeout)
        time.sleep(0.3)  # the rest of the bot's turn
        return answered

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture(scope="module")
def web_chat(privacy_stack: Stack) -> Iterator[WebChat]:
    chat = WebChat(privacy_stack.rasa_url)
    assert chat.confirmed.is_set(), "no socket.io session"
    SECRETS.update(chat.ids)
    yield chat
    chat.close()


def _send(stack: Stack, fake: FakeTelegramAPI, web: WebChat, channel: str, text: str) -> str:
    """Send ``text`` on ``channel``; the sender id used (a fresh one for REST and Telegram)."""
    wait = 8.0 if FORCED_FAILURE in text else 30.0
    if channel == "rest":
        sender = f"rest-{uuid.uuid4().hex[:12]}"
        response = requests.post(
            f"{stack.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=120,
        )
        assert response.status_code < 500
        return sender
    if channel == "socketio":
        answered = web.say(text, wait)
        assert answered or FORCED_FAILURE in text, "the bot did not answer on socket.io"
        return web.session_id.split(".")[0]
    chat_id = next(_chat_ids)
    fake.user_says(chat_id, text)
    try:
        fake.wait_for(chat_id, lambda m: True, timeout=wait)
    except TimeoutError:
        assert FORCED_FAILURE in text, "the bot did not answer on Telegram"
    time.sleep(0.3)
    return str(chat_id)


# -- 1. random texts through every channel -----------------------------------------------------
MARKER = st.text(alphabet="BCDFGHJKLMNPQRSTVWXZ", min_size=10, max_size=10)
NOISE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | NOISE,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NOISE, inner, max_size=3),
    max_leaves=6,
)
SHAPES = [
    lambda m, a, b, j: f"{a}{m}{b}",
    lambda m, a, b, j: f"I'm {m}'s \"friend\",\nfrom Côte d'Ivoire {a}",
    lambda m, a, b, j: '/inform{"choice":"' + m + '"}',
    lambda m, a, b, j: json.dumps({"a": [j, {"text": m, "raw": json.dumps({"x": [m, j]})}]}),
    lambda m, a, b, j: ("x'y\n" * 2500) + m,
    lambda m, a, b, j: "🙂🎉👩🏾‍🔧" * 10 + m + "\u202e" + b,
]


@st.composite
def typed_texts(draw: st.DrawFn) -> tuple[str, str]:
    """(marker, text): a text of some shape that holds a unique marker."""
    marker = draw(MARKER)
    shape = draw(st.sampled_from(SHAPES))
    return marker, shape(marker, draw(NOISE), draw(NOISE), draw(JSON_VALUE))


FAILING = ("QWXZPLMNKJ", f"{FORCED_FAILURE} QWXZPLMNKJ I'm \"Awa\"\n d'Ivoire")


@settings(
    max_examples=18,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(channel=st.sampled_from(["rest", "socketio", "telegram"]), typed=typed_texts())
@example(channel="rest", typed=FAILING)
@example(channel="socketio", typed=FAILING)
@example(channel="telegram", typed=FAILING)
@example(channel="telegram", typed=("HUGEMARKER", "x'y\n" * 2500 + "HUGEMARKER"))
def test_random_texts_on_every_channel_leave_no_trace_in_debug_logs(
    privacy_stack: Stack, fake_api: FakeTelegramAPI, web_chat: WebChat, channel: str, typed
):
    marker, text = typed
    sender = _send(privacy_stack, fake_api, web_chat, channel, text)
    SECRETS.update({marker, sender})
    _assert_absent(privacy_stack, {marker, sender, BOT_TOKEN, privacy_stack.token})


def test_the_forced_failure_did_happen_and_was_logged(privacy_stack: Stack):
    logs = _logs(privacy_stack)
    assert "DEBUG" in logs["rasa"] and "DEBUG" in logs["actions"]
    assert "RuntimeError" in logs["actions"] and "Traceback" in logs["actions"]
    assert "sqlalchemy.engine" in logs["actions"], "SQLAlchemy did not log at DEBUG"


# -- 2. erasure survives a restore ---------------------------------------------------------------
OCCUPATION = "Zinder-welder-Kabore"


def _invite(settings) -> tuple[int, str]:
    cohort = add_programme(settings, f"er-{new_invite_code().lower()}", {"c1": (None, None)})
    trainee_id = add_trainee(settings, cohort["c1"])
    store = TracerStore(settings)
    code = new_invite_code()
    with session_scope(settings.database_url) as session:
        store.add_contact(session, trainee_id, "phone", "+221777654321")
        store.add_contact(session, trainee_id, "email", "awa.ndiaye@example.org")
        session.add(
            Invitation(
                trainee_id=trainee_id,
                code_hash=keyed_hash(settings.secret_key, code, purpose="invite"),
            )
        )
    return trainee_id, code


def test_erased_trainee_stays_erased_after_restoring_an_older_backup(
    privacy_stack: Stack, fake_api: FakeTelegramAPI, tmp_path: Path
):
    stack = privacy_stack
    settings = load_settings(stack.env)
    store = TracerStore(settings)
    trainee_id, code = _invite(settings)
    sender = f"rest-erase-{uuid.uuid4().hex[:8]}"
    stack.say(sender, "/greet" + json.dumps({"language": "en", "invite_code": code}))
    stack.say(sender, "yes")
    stack.say(sender, "English")
    typed = []
    replies: list[dict] = []
    for question_code, turn in wave_script("baseline", "en"):
        text = OCCUPATION if question_code == "bl_desired_occupation" else turn.text
        if question_code.endswith("_isco"):  # tap the first ISCO-08 proposal for the title
            text = replies[-1]["buttons"][0]["payload"]
        typed.append(text)
        replies = stack.say(sender, text)
    assert catalog()["wave_done_baseline"]["en"] in texts(replies)
    pseudo_id = store.trainee_by_id(trainee_id).pseudo_id
    chat_id = next(_chat_ids)  # the same trainee also reached on Telegram
    with session_scope(settings.database_url) as session:
        store.add_contact(session, trainee_id, "telegram", str(chat_id))
    fake_api.user_says(chat_id, "hello again")
    fake_api.wait_for(chat_id, lambda m: True)
    needles = [sender, str(chat_id), code, pseudo_id, OCCUPATION, "+221777654321",
               "awa.ndiaye@example.org", "hello again"]  # fmt: skip
    SECRETS.update({sender, str(chat_id), code, OCCUPATION})
    database = Path(make_url(settings.database_url).database)
    deadline = time.monotonic() + 15  # Rasa stores the tracker just after replying
    while str(chat_id) not in (before := every_value(database)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for needle in (sender, str(chat_id), code, OCCUPATION, "hello again"):
        assert needle in before or needle == code, f"{needle!r} was never stored"
    backup = tmp_path / "before-erasure.bak"
    assert run_cli(stack.env, "backup", "--out", str(backup)).exit_code == 0

    assert stack.trigger(sender, "EXTERNAL_followup", {"wave": "exit"})  # the next wave opens
    assert stack.say(sender, "stop")  # "do you want to stop?"
    assert stack.say(sender, "yes")  # "... and delete your answers too?"
    replies = stack.say(sender, "yes")

    assert catalog()["deleted"]["en"] in texts(replies)
    time.sleep(0.5)
    after_erasure = every_value(database)
    stack.stop_all()
    result = run_cli(stack.env, "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.output
    restored = every_value(database)
    for needle in needles:
        assert needle not in after_erasure, f"{needle!r} left after the erasure"
        assert needle not in restored, f"{needle!r} back after the restore"
    assert store.find_trainee(sender) is None and store.find_trainee(str(chat_id)) is None
    assert "1 erased trainees" in result.output


def test_no_log_holds_any_chat_id_typed_text_or_token(privacy_stack: Stack):
    privacy_stack.stop_all()  # flush and close every log
    _assert_absent(privacy_stack, SECRETS)
