"""WhatsApp end to end: a real Rasa + action server talking to a fake WhatsApp Cloud API."""

from __future__ import annotations

import itertools
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable, Iterator

import pytest
import requests
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.channels.whatsapp.messages import BUTTON_TITLE, ROW_TITLE, titles_for
from bot.channels.whatsapp.signature import sign
from bot.cli.main import cli
from bot.config import load_settings
from bot.i18n import t
from bot.outreach.funnel import delivery_funnel, status_key
from bot.questionnaire.loader import default_questionnaire
from bot.questionnaire.model import Question
from bot.storage.db import session_scope
from bot.storage.models import Answer, Outreach, Setting
from bot.storage.repository import TracerStore
from bot.survey.steps import ButtonStamp, buttons_for
from tests.e2e.chat_user import ChatUser
from tests.e2e.test_telegram_channel import CHOSEN  # the same baseline choices
from tests.fakes.whatsapp_api import FakeWhatsAppAPI, SentMessage
from tests.stack import Stack, running_stack

pytestmark = pytest.mark.e2e

PHONE_ID = "109876543210"
TOKEN = "EAAG-fake-access-token-for-tests"
APP_SECRET = "app-secret-for-tests"
VERIFY = "verify-token-for-tests"
CREDENTIALS = """bot.channels.rest_guarded.GuardedRestInput:
bot.channels.whatsapp.WhatsAppInput:
"""
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}
GREETING = {"en": "hello", "fr": "Bonjour", "es": "Hola"}
_numbers = itertools.count(22_670_000_101)
TYPED = {
    "bl_birth_year": "2001",
    "bl_earnings": "150 000 FCFA",
    "bl_expected_months_to_job": "6",
    "bl_expected_earnings": "200 000 FCFA",
    "bl_desired_occupation": "solar technician",
}
QUIET = 0.8


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeWhatsAppAPI]:
    """The fake Graph API the Rasa server sends to."""
    with FakeWhatsAppAPI(PHONE_ID, TOKEN, APP_SECRET) as fake:
        for language in ("en", "fr", "es"):
            fake.approved_templates.add(("tracer_followup_6", language))
        yield fake


@pytest.fixture(scope="module")
def wa_stack(tmp_path_factory, model_path: Path, fake_api: FakeWhatsAppAPI) -> Iterator[Stack]:
    """Action server + Rasa with the WhatsApp channel (one stack for the whole module)."""
    workdir = tmp_path_factory.mktemp("wastack")
    credentials = workdir / "credentials.yml"
    credentials.write_text(CREDENTIALS, encoding="utf-8")
    env = {
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
        "WHATSAPP_ACCESS_TOKEN": TOKEN,
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY,
        "WHATSAPP_API_BASE_URL": fake_api.base_url,
    }
    with running_stack(workdir, model_path, extra_env=env, credentials=credentials) as running:
        fake_api.webhook_url = f"{running.rasa_url}/webhooks/whatsapp/webhook"
        yield running


@pytest.fixture(scope="module")
def store(wa_stack: Stack) -> TracerStore:
    """The repository on the stack's database."""
    return TracerStore(load_settings(wa_stack.env))


class Trainee(ChatUser[SentMessage]):
    """One WhatsApp user chatting with the bot through the fake API."""

    def __init__(self, fake: FakeWhatsAppAPI, language: str = "en") -> None:
        super().__init__(fake, str(next(_numbers)), language)
        self.wa_id = self.address

    def exchange(self, act: Callable[[], object]) -> list[SentMessage]:
        """Do ``act``; the bot's replies once it has answered and gone quiet."""
        before = self.seen
        act()
        self.fake.wait_for(self.wa_id, lambda m: True, after=before)
        count = self.seen
        while True:
            time.sleep(QUIET)
            if self.seen == count:
                return self.fake.messages_to(self.wa_id)[before:]
            count = self.seen

    def say(self, text: str) -> list[SentMessage]:
        """Type ``text``."""
        return self.exchange(lambda: self.fake.user_says(self.wa_id, text))

    def choose(self, title: str, message: SentMessage | None = None) -> list[SentMessage]:
        """Tap the button or list row titled ``title``."""
        message = message or self.last
        return self.exchange(lambda: self.fake.user_chooses(message, title))

    def register(self) -> list[SentMessage]:
        """Greeting, consent, language and programme: up to Question 1."""
        replies = self.say(GREETING[self.language])
        consent = replies[-1]
        assert consent.kind == "button"
        assert [title for title, _ in consent.choices][:2] == [
            t("yes", self.language),
            t("no", self.language),
        ]
        replies = self.choose(t("yes", self.language))
        if replies[-1].choices and LANGUAGE_NAMES[self.language] in dict(replies[-1].choices):
            replies = self.choose(LANGUAGE_NAMES[self.language])
        programme = replies[-1]
        assert programme.choices, programme.text
        return self.choose(programme.choices[0][0])


def question_asked(message: SentMessage, language: str, wave: str = "baseline") -> Question:
    """The questionnaire question ``message`` asks (the longest wording it contains)."""
    asked = [
        q
        for q in default_questionnaire().for_wave(wave)
        if q.text_in(language).split("{")[0].strip() in message.text
    ]
    if not asked:
        raise AssertionError(f"unknown question: {message.text[:80]}")
    return max(asked, key=lambda q: len(q.text_in(language).split("{")[0]))


def title_of(question: Question, code: str, language: str, kind: str) -> str:
    """The title the channel shows for choice ``code`` (labels shortened like the channel)."""
    buttons = buttons_for(question, language, ButtonStamp("any-secret", "baseline"))
    limit = BUTTON_TITLE if kind == "button" else ROW_TITLE
    titles = titles_for([title for title, _ in buttons], limit)
    index = list(question.choice_codes or ("yes", "no")).index(code)  # buttons follow choices
    return titles[index]


def walk_baseline(trainee: Trainee) -> set[str]:
    """Answer the whole baseline: tap choices, type the rest; the kinds of messages seen."""
    thanks = t("wave_done_baseline", trainee.language)
    kinds: set[str] = set()
    for _ in range(25):
        if any(m.text == thanks for m in trainee.fake.messages_to(trainee.wa_id)[-3:]):
            return kinds
        message = trainee.last
        kinds.add(message.kind)
        if message.text == t("isco_question", trainee.language):  # ISCO-08 job proposals
            trainee.choose(message.choices[0][0])
            continue
        question = question_asked(message, trainee.language)
        if question.code in CHOSEN:
            code = CHOSEN[question.code]
            if message.kind in ("button", "list"):
                trainee.choose(title_of(question, code, trainee.language, message.kind))
            else:
                trainee.say(str(question.choice_codes.index(code) + 1))
        else:
            trainee.say(TYPED[question.code])
    recent = [m.text[:50] for m in trainee.fake.messages_to(trainee.wa_id)[-6:]]
    raise AssertionError(f"the baseline did not end: {recent}")


# -- tests --------------------------------------------------------------------------------------
def test_verification_handshake(wa_stack):
    url = f"{wa_stack.rasa_url}/webhooks/whatsapp/webhook"
    ok = requests.get(
        url,
        params={"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "1158201444"},
        timeout=10,
    )
    assert (ok.status_code, ok.text) == (200, "1158201444")
    wrong = requests.get(
        url,
        params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
        timeout=10,
    )
    assert (wrong.status_code, wrong.content) == (403, b"")


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_consent_and_baseline_over_whatsapp(wa_stack, fake_api, store, language):
    trainee = Trainee(fake_api, language)
    replies = trainee.register()
    assert (
        any(m.text.startswith(("Question 1", "Pregunta 1")) for m in replies) or replies[-1].choices
    )
    kinds = walk_baseline(trainee)
    assert {"button", "list"} <= kinds  # Yes/No and Woman/Man as buttons, education as a list

    info = store.find_trainee(trainee.wa_id, "whatsapp")
    assert info is not None and info.language == language and info.consented
    assert store.find_trainee(trainee.wa_id, "telegram") is None  # bound to its channel
    answers = {c: a.value for c, a in store.current_answers(info.id)["baseline"].items()}
    assert {code: answers[code] for code in CHOSEN} == CHOSEN
    assert answers["bl_birth_year"] == 2001
    assert answers["bl_desired_occupation"] == "solar technician"
    assert not fake_api.refused  # everything inside the window, every shape accepted


def test_forged_signature_is_refused_without_a_body(wa_stack, fake_api):
    wa_id = str(next(_numbers))
    delivery = fake_api._envelope(
        {
            "messages": [
                {"from": wa_id, "id": "wamid.FORGED", "type": "text", "text": {"body": "hi"}}
            ]
        }
    )
    import json

    raw = json.dumps(delivery).encode()
    for signature in ("sha256=" + "0" * 64, sign("wrong-secret", raw), ""):
        response = requests.post(
            fake_api.webhook_url,
            data=raw,
            headers={"X-Hub-Signature-256": signature, "Content-Type": "application/json"},
            timeout=10,
        )
        assert (response.status_code, response.content) == (403, b"")
    time.sleep(1.0)
    assert fake_api.messages_to(wa_id) == []
    tracker = requests.get(
        f"{wa_stack.rasa_url}/conversations/{wa_id}/tracker",
        params={"token": wa_stack.token},
        timeout=10,
    ).json()
    assert not [e for e in tracker.get("events", []) if e.get("event") == "user"]


def test_replayed_delivery_is_handled_once(wa_stack, fake_api):
    trainee = Trainee(fake_api)
    trainee.register()
    question_1 = trainee.last
    before = trainee.seen
    delivery = fake_api.user_chooses(
        question_1, title_of(question_asked(question_1, "en"), "male", "en", question_1.kind)
    )
    fake_api.wait_for(trainee.wa_id, lambda m: True, after=before)
    time.sleep(QUIET)
    assert fake_api.post(delivery) == 200  # Meta delivers the same wamid again
    replies = trainee.say("1999")
    assert question_asked(replies[-1], "en").code == "bl_education"
    info = TracerStore(load_settings(wa_stack.env)).find_trainee(trainee.wa_id, "whatsapp")
    with session_scope(wa_stack.database_url) as session:
        rows = session.execute(
            select(func.count())
            .select_from(Answer)
            .where(Answer.trainee_id == info.id, Answer.question_code == "bl_sex")
        ).scalar_one()
    assert rows == 1


@pytest.mark.parametrize("language", ["en", "fr"])
def test_image_gets_a_polite_reply_in_the_trainees_language(wa_stack, fake_api, language):
    trainee = Trainee(fake_api, language)
    trainee.register()
    replies = trainee.exchange(lambda: fake_api.user_sends_image(trainee.wa_id))
    expected = {"en": "only read text", "fr": "ne lis que le texte"}[language]
    assert len(replies) == 1 and expected in replies[0].text


def _status(database_url: str, outreach_id: int) -> str | None:
    with session_scope(database_url) as session:
        row = session.get(Setting, status_key(outreach_id))
        return row.value if row is not None else None


def test_followup_six_months_later_goes_out_as_a_template(wa_stack, fake_api, store):
    """`followups send` at a simulated date: outside the 24-hour window the follow-up is the
    approved template; the trainee answers it and the wave completes; receipts are recorded."""
    from bot.outreach.scope import Scope
    from bot.outreach.sender import send_due
    from bot.outreach.status import response_table
    from bot.outreach.transport import RasaTriggerTransport
    from bot.survey.engine import add_months
    from tests.outreach.helpers import add_programme

    settings = load_settings(wa_stack.env).with_overrides(
        rasa_url=wa_stack.rasa_url, rasa_token=wa_stack.token
    )
    today = date.today()
    cohorts = add_programme(settings, "wa-fu", {"ended": (today - timedelta(days=5), "UTC")})
    due, unreachable, no_template = (
        Trainee(fake_api, "fr"),
        Trainee(fake_api),
        Trainee(fake_api, "es"),
    )
    fake_api.approved_templates.discard(("tracer_followup_6", "es"))  # not approved in Spanish
    for trainee in (due, unreachable, no_template):
        trainee.register()
        trainee.say("/pause")
        store.set_cohort(store.find_trainee(trainee.wa_id, "whatsapp").id, cohorts["ended"])
    fake_api.not_on_whatsapp.add(unreachable.wa_id)
    seen = due.seen

    fake_api.advance(183 * 24 * 3600)  # six months on: the window closed long ago
    now = datetime.combine(add_months(today, 6), datetime.min.time()) + timedelta(hours=12)
    report = send_due(settings, now, RasaTriggerTransport(settings), Scope("wa-fu"))
    assert report.sent == 2 and report.failed == 1

    template = fake_api.wait_for(due.wa_id, lambda m: m.kind == "template", after=seen)[-1]
    assert template.body["template"]["name"] == "tracer_followup_6"
    assert template.body["template"]["language"] == {"code": "fr"}
    assert (due.wa_id, 131047) in fake_api.refused  # free-form refused as by the real API
    assert due.seen == seen + 1  # nothing else until the trainee answers the template

    with session_scope(wa_stack.database_url) as session:
        rows = {
            r.trainee_id: r
            for r in session.execute(select(Outreach).where(Outreach.wave == "followup_6"))
            .scalars()
            .all()
        }
    due_row = rows[store.find_trainee(due.wa_id, "whatsapp").id]
    refused_row = rows[store.find_trainee(no_template.wa_id, "whatsapp").id]
    assert refused_row.state == "failed" and "WhatsApp 132001" in refused_row.result
    gone_row = rows[store.find_trainee(unreachable.wa_id, "whatsapp").id]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (
        _status(wa_stack.database_url, due_row.id) != "delivered"
        or not (_status(wa_stack.database_url, gone_row.id) or "").startswith("failed")
    ):
        time.sleep(0.2)
    assert _status(wa_stack.database_url, due_row.id) == "delivered"
    assert "131026" in _status(wa_stack.database_url, gone_row.id)
    fake_api.read(template)

    replies = due.exchange(lambda: fake_api.user_presses_template_button(template, "Continuer"))
    assert any("6 mois" in m.text for m in replies)
    thanks = t("wave_done_followup", "fr")
    for _ in range(25):  # answer with the first choice, or a number/word, until thanked
        if any(m.text == thanks for m in fake_api.messages_to(due.wa_id)):
            break
        message = due.last
        if message.choices:
            due.choose(message.choices[0][0])
        else:
            kind = next(
                (
                    q.type
                    for q in default_questionnaire().for_wave("followup")
                    if q.text_in("fr").split("{")[0][:30] in message.text
                ),
                "text",
            )
            due.say("électricien" if kind == "text" else "40" if kind == "integer" else "3")
    assert any(m.text == thanks for m in fake_api.messages_to(due.wa_id))
    assert _status(wa_stack.database_url, due_row.id) == "read"
    table = {(r.cohort, r.wave): r for r in response_table(settings, Scope("wa-fu"))}
    ended = table[("ended", "followup_6")]
    assert (ended.contacted, ended.answered) == (2, 1)
    funnel = [r for r in delivery_funnel(settings, Scope("wa-fu")) if r.wave == "followup_6"]
    assert [(r.channel, r.sent, r.delivered, r.read, r.failed, r.answered) for r in funnel] == [
        ("whatsapp", 2, 1, 1, 1, 1)
    ]
    shown = CliRunner().invoke(
        cli, ["--database-url", wa_stack.database_url, "status", "--programme", "wa-fu"]
    )
    assert shown.exit_code == 0, shown.output
    line = next(x for x in shown.output.splitlines() if "followup_6" in x and "whatsapp" in x)
    assert line.split()[-5:] == ["2", "1", "1", "1", "1"]


def test_rate_limits_and_server_errors_delay_but_do_not_drop_replies(wa_stack, fake_api):
    trainee = Trainee(fake_api)
    fake_api.rate_limit_errors = 1
    fake_api.server_errors = 1
    replies = trainee.say("hello")
    assert fake_api.rate_limit_errors == 0 and fake_api.server_errors == 0
    assert replies[-1].kind == "button"  # the consent question arrived after the retries
    assert any("agree" in m.text for m in replies)


def test_logs_hold_no_phone_number_or_token(wa_stack, fake_api):
    numbers = {m.to for m in fake_api.sent}
    assert numbers
    for log in wa_stack.workdir.glob("*.log"):
        text = log.read_text(errors="replace")
        assert TOKEN not in text and APP_SECRET not in text, log.name
        leaked = [n for n in numbers if n in text]
        assert not leaked, f"{log.name} mentions numbers {leaked}"


def test_messages_of_one_chat_are_handled_in_order(wa_stack, fake_api, store):
    trainee = Trainee(fake_api)
    trainee.register()
    question_1 = trainee.last
    woman = title_of(question_asked(question_1, "en"), "female", "en", question_1.kind)
    replies = trainee.exchange(
        lambda: (
            fake_api.user_chooses(question_1, woman),
            fake_api.user_says(trainee.wa_id, "1998"),
        )
    )
    assert question_asked(replies[-1], "en").code == "bl_education"
    info = store.find_trainee(trainee.wa_id, "whatsapp")
    answers = {c: a.value for c, a in store.current_answers(info.id)["baseline"].items()}
    assert answers == {"bl_sex": "female", "bl_birth_year": 1998}


def test_a_typed_scheduler_intent_on_whatsapp_opens_no_wave(wa_stack, fake_api, store):
    trainee = Trainee(fake_api)
    trainee.register()
    question_1 = trainee.last
    info = store.find_trainee(trainee.wa_id, "whatsapp")
    replies = trainee.say('/EXTERNAL_followup{"wave":"followup_12"}')
    assert replies[-1].text == question_1.text  # the pending question, again
    assert set(store.wave_progress(info.id)) == {"baseline"}
