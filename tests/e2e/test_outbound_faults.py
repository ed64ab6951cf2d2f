"""Follow-ups exactly once through the real servers: a real Rasa + action server sending to the
fake Telegram Bot API, with the sender killed at each step of a send, and the Bot API's own log
checked for the rate limit on messages (a first contact is two messages: intro + question)."""

from __future__ import annotations

import socket
import threading
import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest
import requests
from sqlalchemy import select

from bot.config import Settings, load_settings
from bot.outreach.due import DueItem
from bot.outreach.pacing import Pacer, max_in_any_window
from bot.outreach.scope import Scope
from bot.outreach.sender import send_due
from bot.outreach.transport import Delivery, RasaTriggerTransport
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Outreach
from bot.storage.models import Trainee as TraineeRow
from bot.storage.repository import TracerStore
from bot.survey.engine import add_months
from tests.e2e import test_telegram_channel as telegram_e2e
from tests.e2e.test_telegram_channel import Trainee
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.outreach.helpers import add_programme, run_cli
from tests.stack import Stack

pytestmark = pytest.mark.e2e
INTRO = "It has been 6 months"


# The Telegram stack of the channel's own tests (module-scoped: this module gets its own).
fake_api = telegram_e2e.fake_api
tg_stack = telegram_e2e.tg_stack


class Killed(BaseException):
    """The sender process dies here (nothing after this point runs, nothing is recorded)."""


@pytest.fixture(scope="module")
def settings(tg_stack: Stack) -> Settings:
    """Settings of the stack, pointing the sender at its Rasa."""
    return load_settings(tg_stack.env).with_overrides(
        rasa_url=tg_stack.rasa_url, rasa_token=tg_stack.token
    )


def _graduates(settings: Settings, fake: FakeTelegramAPI, count: int) -> tuple[str, list]:
    """``count`` trainees registered on Telegram (paused after question 1), in a cohort that
    ended ten days ago; (programme code, trainees)."""
    programme = f"ob-{uuid.uuid4().hex[:6]}"
    cohort = add_programme(settings, programme, {"c": (date.today() - timedelta(10), "UTC")})
    store = TracerStore(settings)
    trainees = []
    for _ in range(count):
        trainee = Trainee(fake)
        trainee.register()
        before = trainee.seen
        fake.user_says(trainee.chat_id, "/pause")
        fake.wait_for(trainee.chat_id, lambda m: "answers are saved" in m.text, after=before)
        store.set_cohort(store.find_trainee(str(trainee.chat_id)).id, cohort["c"])
        trainees.append(trainee)
    return programme, trainees


def _six_months_on() -> datetime:
    return datetime.combine(add_months(date.today(), 6), datetime.min.time()) + timedelta(hours=12)


def _states(settings: Settings, programme: str) -> Counter:
    """States of the first contacts of ``programme``'s follow-up (reminders come later)."""
    with session_scope(settings.database_url) as session:
        trainees = Scope(programme).apply(
            select(TraineeRow.id).join(Cohort, Cohort.id == TraineeRow.cohort_id)
        )
        return Counter(
            session.execute(
                select(Outreach.state).where(
                    Outreach.attempt == 0, Outreach.trainee_id.in_(trainees.scalar_subquery())
                )
            ).scalars()
        )


# -- an ambiguous answer: Rasa did the work, then the connection dropped ----------------------
class _HangUpProxy(BaseHTTPRequestHandler):
    """Forwards the trigger to Rasa, waits for Rasa to finish, then drops the connection."""

    target = ""

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        requests.post(
            self.target + self.path,
            data=body,
            headers={"Content-Type": "application/json"},
            timeout=120,
        )
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hang_up_proxy(settings: Settings) -> Iterator[str]:
    """URL of a proxy to Rasa that never returns Rasa's answer."""
    _HangUpProxy.target = settings.rasa_url
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HangUpProxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class FaultyTransport:
    """The real transport, with a fault per conversation: the process dies before the send, or
    right after the Bot API accepted the messages; or the connection drops (``hang up``)."""

    def __init__(self, settings: Settings, proxy_url: str, faults: dict[str, str]) -> None:
        self.real = RasaTriggerTransport(settings)
        self.hanging = RasaTriggerTransport(settings.with_overrides(rasa_url=proxy_url))
        self.faults = faults

    def send(self, channel: str, address: str, wave: str) -> Delivery:
        fault = self.faults.pop(address, None)
        if fault == "before send":
            raise Killed
        if fault == "hang up":
            return self.hanging.send(channel, address, wave)
        delivery = self.real.send(channel, address, wave)
        if fault == "after accepted":
            raise Killed
        return delivery


def test_killed_senders_and_lost_answers_neither_duplicate_nor_drop_a_followup(
    tg_stack, settings, fake_api, hang_up_proxy
):
    programme, trainees = _graduates(settings, fake_api, 5)
    killed_before, accepted, unmarked, lost, fine = (str(t.chat_id) for t in trainees)
    faults = {killed_before: "before send", accepted: "after accepted", lost: "hang up"}
    transport = FaultyTransport(settings, hang_up_proxy, faults)

    def before_marking(item: DueItem, delivery: Delivery) -> None:
        if delivery.ok and transports_marking.pop(item.trainee_id, False):
            raise Killed

    store = TracerStore(settings)
    transports_marking = {store.find_trainee(unmarked).id: True}
    now, scope = _six_months_on(), Scope(programme)
    pacer = Pacer(settings.send_rate_per_second)
    for _ in range(3):  # the sender is started again after each death
        with pytest.raises(Killed):
            send_due(settings, now, transport, scope, pacer=pacer, on_delivery=before_marking)
    last = send_due(settings, now, transport, scope, pacer=pacer, on_delivery=before_marking)
    assert (last.sent, last.unknown) == (1, 1)  # ``fine`` sent, ``lost`` unknown
    assert _states(settings, programme) == Counter({"sending": 3, "unknown": 1, "sent": 1})
    # nothing unsettled is ever sent again by a plain re-run
    assert send_due(settings, now + timedelta(minutes=1), transport, scope).sent == 0

    env = dict(tg_stack.env, TRACER_RASA_URL=settings.rasa_url, TRACER_RASA_TOKEN=tg_stack.token)
    later = (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    result = run_cli(env, "followups", "resolve", "--older-than", "0", "--now", later)
    assert result.exit_code == 0, result.output
    assert "Settled: 3 delivered (marked sent), 1 not delivered" in result.output
    after = send_due(settings, now + timedelta(hours=1, minutes=1), RasaTriggerTransport(settings),
                     scope)  # fmt: skip
    assert after.sent == 1  # only the trainee whose send never happened
    assert _states(settings, programme) == Counter({"sent": 5})

    for trainee in trainees:  # exactly one intro each: none twice, none dropped
        intros = [m for m in fake_api.messages_to(trainee.chat_id) if INTRO in m.text]
        assert len(intros) == 1, (trainee.chat_id, len(intros))


def test_the_bot_api_never_sees_more_than_the_rate_in_any_second(settings, fake_api):
    """Each first contact is intro + question: the pacer must count both.  At a low rate the
    real stack is fast enough that counting triggers instead would break the limit."""
    rate = 4
    programme, trainees = _graduates(settings, fake_api, 10)
    chats = {t.chat_id for t in trainees}
    first = len(fake_api.sent)
    report = send_due(
        settings, _six_months_on(), RasaTriggerTransport(settings), Scope(programme),
        pacer=Pacer(rate),
    )  # fmt: skip
    assert report.sent == 10
    wave = [m for m in fake_api.sent[first:] if m.chat_id in chats]
    assert len(wave) >= 20  # intro + question for each trainee
    assert max_in_any_window([m.at for m in wave]) <= rate
