"""Telegram end to end: a real Rasa + action server talking to a fake Telegram Bot API."""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests
from sqlalchemy import func, select

from bot.config import load_settings
from bot.i18n import language_kept, t
from bot.questionnaire.loader import default_questionnaire
from bot.questionnaire.model import Question
from bot.storage.db import session_scope
from bot.storage.models import Answer
from bot.storage.repository import TracerStore
from bot.survey.buttons import digest
from tests.conftest import button_choice
from tests.e2e.chat_user import ChatUser
from tests.fakes.telegram_api import FakeTelegramAPI, SentMessage
from tests.stack import Stack, running_stack

pytestmark = pytest.mark.e2e

TOKEN = "5550001234:AAH-faketoken_for_tests_0123456789abcd"
SECRET = "webhook-secret-for-tests"
CREDENTIALS = """bot.channels.rest_guarded.GuardedRestInput:
bot.channels.telegram.TelegramInput:
  mode: polling
  poll_timeout: 2
"""
_chat_ids = itertools.count(7_731_000_101)
# What the baseline walk answers: tapped choices, typed numbers and text.
CHOSEN = {
    "bl_sex": "female",
    "bl_education": "tvet",
    "bl_activity_status": "employee",
    "bl_work_experience": "yes",
    "bl_enrol_reason": "get_job",
    "bl_expectation_main": "get_job",
}
TYPED = {
    "bl_birth_year": "2001",
    "bl_earnings": "150 000 FCFA",
    "bl_expected_months_to_job": "6 months",
    "bl_expected_earnings": "200 000 FCFA",
    "bl_desired_occupation": "solar technician",
}


# -- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeTelegramAPI]:
    """The fake Bot API both Rasa servers of this module talk to."""
    with FakeTelegramAPI(TOKEN) as fake:
        yield fake


def _telegram_env(fake: FakeTelegramAPI, mode: str) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "TELEGRAM_MODE": mode,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_WEBHOOK_URL": "https://tracer.example.org/webhooks/telegram/webhook",
    }


@pytest.fixture(scope="module")
def tg_stack(tmp_path_factory, model_path: Path, fake_api: FakeTelegramAPI) -> Iterator[Stack]:
    """Action server + Rasa with the Telegram channel polling the fake API."""
    workdir = tmp_path_factory.mktemp("tgstack")
    credentials = workdir / "credentials.yml"
    credentials.write_text(CREDENTIALS, encoding="utf-8")
    with running_stack(
        workdir, model_path, extra_env=_telegram_env(fake_api, "polling"), credentials=credentials
    ) as running:
        yield running


@pytest.fixture(scope="module")
def webhook_stack(tmp_path_factory, tg_stack: Stack, fake_api: FakeTelegramAPI) -> Iterator[Stack]:
    """A second Rasa server in webhook mode, sharing the first one's database and actions."""
    workdir = tmp_path_factory.mktemp("tgwebhook")
    env = dict(tg_stack.env, **_telegram_env(fake_api, "webhook"))
    running = Stack(
        workdir=workdir,
        model=tg_stack.model,
        env=env,
        actions_port=tg_stack.actions_port,
        credentials=tg_stack.credentials,
    )
    try:
        running.start_rasa()
        yield running
    finally:
        running.stop_all()


@pytest.fixture(scope="module")
def store(tg_stack: Stack) -> TracerStore:
    """The repository on the stack's database."""
    return TracerStore(load_settings(tg_stack.env))


# -- a trainee on Telegram -----------------------------------------------------------------------
def ends_turn(message: SentMessage) -> bool:
    """The bot's turn is over once it asks something (buttons or "Question n of") or thanks."""
    return bool(
        message.buttons
        or message.text.startswith("Question ")
        or message.text.startswith(t("wave_done_baseline", "en")[:20])
    )


class Trainee(ChatUser[SentMessage]):
    """One Telegram user chatting with the bot through the fake API."""

    def __init__(self, fake: FakeTelegramAPI, language: str = "en") -> None:
        super().__init__(fake, next(_chat_ids), language)
        self.chat_id = self.address

    def say(self, text: str) -> list[SentMessage]:
        """Type ``text``; the bot's replies up to its next question."""
        before = self.seen
        self.fake.user_says(self.chat_id, text, self.language)
        return self.fake.wait_for(self.chat_id, ends_turn, after=before)

    def tap(self, title: str, message: SentMessage | None = None) -> list[SentMessage]:
        """Tap the button titled ``title`` on ``message`` (default: the latest one)."""
        message = message or self.last
        data = dict(message.buttons)[title]
        before = self.seen
        self.fake.user_taps(message, data, self.language)
        return self.fake.wait_for(self.chat_id, ends_turn, after=before)

    def tap_choice(self, choice: str, message: SentMessage | None = None) -> list[SentMessage]:
        """Tap the button that answers ``choice`` on ``message`` (default: the latest one)."""
        message = message or self.last
        wanted = (choice, digest(choice))
        titles = [title for title, data in message.buttons if button_choice(data) in wanted]
        assert len(titles) == 1, (choice, message.buttons)
        return self.tap(titles[0], message)

    def tap_old(self, message: SentMessage, data: str) -> list[SentMessage]:
        """Tap a button that ``message`` showed earlier (its keyboard may be gone since)."""
        before = self.seen
        self.fake.user_taps(message, data, self.language)
        return self.fake.wait_for(self.chat_id, ends_turn, after=before)

    def register(self) -> list[SentMessage]:
        """/start, consent typed, language and programme tapped: up to Question 1."""
        replies = self.say("/start")
        assert any("Do you agree" in m.text for m in replies)
        replies = self.say("yes")  # the language is known: confirmed in passing, not asked
        assert language_kept("en") in [m.text for m in replies]
        return self.tap("Demo programme")


def _question_asked(text: str) -> Question:
    for question in default_questionnaire().for_wave("baseline"):
        if question.text_in("en").split("{")[0][:40] in text:
            return question
    raise AssertionError(f"unknown question: {text[:80]}")


# -- tests --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def graduate(tg_stack: Stack, fake_api: FakeTelegramAPI) -> Trainee:
    """A trainee who played the whole baseline on Telegram: taps for choices, typing otherwise."""
    trainee = Trainee(fake_api)
    replies = trainee.register()
    assert replies[-1].text.startswith("Question 1 of")
    for _ in range(20):
        message = trainee.last
        if _thanked(trainee):
            break
        if message.text == t("isco_question", "en"):  # ISCO-08 proposals after the job title
            trainee.tap(message.buttons[0][0])
            continue
        question = _question_asked(message.text)
        if question.type in ("choice", "yes_no"):
            trainee.tap_choice(CHOSEN[question.code])
        else:
            trainee.say(TYPED[question.code])
    return trainee


def _thanked(trainee: Trainee) -> bool:
    """The bot's last words are the baseline thanks (and, when known, the next contact date)."""
    recent = [m.text for m in trainee.fake.messages_to(trainee.chat_id)[-2:]]
    return t("wave_done_baseline", "en") in recent


def test_whole_baseline_over_telegram(graduate, store):
    trainee = graduate
    assert _thanked(trainee)

    info = store.find_trainee(str(trainee.chat_id))
    answers = {c: a.value for c, a in store.current_answers(info.id)["baseline"].items()}
    assert answers == {
        **CHOSEN,
        "bl_birth_year": 2001,
        "bl_earnings": {
            "amount": 150000.0,
            "currency": "XOF",
            "period": "month",
            "follow_up": None,
            "monthly": 150000.0,
        },
        "bl_expected_months_to_job": 6,
        "bl_expected_earnings": {
            "amount": 200000.0,
            "currency": "XOF",
            "period": "month",
            "follow_up": None,
            "monthly": 200000.0,
        },
        "bl_desired_occupation": "solar technician",
        "bl_desired_occupation_isco": "3119",
    }
    assert info.cohort_id is not None and info.language == "en"


def test_start_with_code_and_french_user_language(tg_stack, fake_api):
    trainee = Trainee(fake_api, language="fr")
    replies = trainee.say("/start ABCDEFGH23")
    assert any("Acceptez-vous de participer" in m.text for m in replies)
    assert [title for title, _ in replies[-1].buttons] == ["Oui", "Non"]
    assert replies[-1].rows == [["Oui", "Non"]]


def test_redelivered_update_is_handled_once(tg_stack, fake_api):
    trainee = Trainee(fake_api)
    trainee.register()
    question_1 = trainee.last
    before = trainee.seen
    update = fake_api.user_taps(question_1, '/inform{"choice":"male"}')
    fake_api.wait_for(trainee.chat_id, ends_turn, after=before)
    before = trainee.seen
    fake_api.push(update, force=True)  # Telegram delivers the same update again
    replies = trainee.say("1999")
    assert [m.text.split("\n")[0] for m in fake_api.messages_to(trainee.chat_id)[before:]] == [
        m.text.split("\n")[0] for m in replies
    ]
    assert replies[-1].text.startswith("Question 3 of")
    store = TracerStore(load_settings(tg_stack.env))
    info = store.find_trainee(str(trainee.chat_id))
    with session_scope(tg_stack.database_url) as session:
        rows = session.execute(
            select(func.count())
            .select_from(Answer)
            .where(Answer.trainee_id == info.id, Answer.question_code == "bl_sex")
        ).scalar_one()
    assert rows == 1


def test_flood_control_delays_but_does_not_drop_the_reply(tg_stack, fake_api):
    trainee = Trainee(fake_api)
    trainee.register()
    calls_before = len(fake_api.calls_of("sendMessage"))
    fake_api.flood_retry_after = 1
    fake_api.flood_errors = 2
    started = time.monotonic()
    replies = trainee.tap("Woman")
    elapsed = time.monotonic() - started
    assert replies[-1].text.startswith("Question 2 of")
    assert elapsed >= 1.9  # waited retry_after twice
    assert len(fake_api.calls_of("sendMessage")) - calls_before == len(replies) + 2


def test_tapped_keyboard_is_removed(tg_stack, fake_api):
    trainee = Trainee(fake_api)
    trainee.register()
    question_1 = trainee.last
    assert question_1.buttons
    trainee.tap("Man")
    edits = [c for c in fake_api.calls_of("editMessageReplyMarkup")]
    assert any(int(c["message_id"]) == question_1.message_id for c in edits)
    assert question_1.reply_markup is None  # the fake applied the edit
    assert fake_api.calls_of("answerCallbackQuery")


def _eventually(check, timeout: float = 10.0) -> bool:
    """True once ``check()`` holds (the keyboard edit follows the message it waits for)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _baseline_and_exit(store: TracerStore, chat_id: int) -> tuple[dict, dict]:
    info = store.find_trainee(str(chat_id))
    current = store.current_answers(info.id)
    return tuple(
        {code: a.value for code, a in current.get(wave, {}).items()}
        for wave in ("baseline", "exit")
    )


def _history(database_url: str, chat_id: int, store: TracerStore, code: str) -> list[tuple]:
    info = store.find_trainee(str(chat_id))
    with session_scope(database_url) as session:
        return [
            tuple(row)
            for row in session.execute(
                select(Answer.value_json, Answer.is_current)
                .where(Answer.trainee_id == info.id, Answer.question_code == code)
                .order_by(Answer.id)
            )
        ]


def test_old_keyboards_never_answer_the_pending_question(tg_stack, fake_api, store):
    """Typed answers to yes/no questions, then taps on their old keyboards: in this wave the
    tap changes its own question (history kept); from last wave it changes nothing."""
    trainee = Trainee(fake_api)
    trainee.register()
    trainee.tap_choice("female")
    trainee.say("2001")
    trainee.tap_choice("tvet")
    trainee.tap_choice("unemployed_looking")
    work = trainee.last  # "Have you ever had a paid job?" (yes/no)
    old_no = dict(work.buttons)["No"]
    trainee.say("yes")  # typed, not tapped
    assert _eventually(lambda: work.reply_markup is None)  # its keyboard is removed all the same
    trainee.tap_choice("get_job")
    trainee.tap_choice("get_job")
    trainee.say("6 months")
    trainee.say("200 000 FCFA")
    trainee.say("solar technician")  # typed over the Skip keyboard of an optional question
    trainee.tap(trainee.last.buttons[0][0])  # the first ISCO-08 proposal for that job title
    assert _thanked(trainee)
    assert _eventually(
        lambda: not [m for m in fake_api.messages_to(trainee.chat_id) if m.reply_markup]
    )  # the wave ended with a typed answer: no keyboard left to tap

    before = trainee.seen
    tg_stack.trigger(str(trainee.chat_id), "EXTERNAL_followup", {"wave": "exit"}, "telegram")
    fake_api.wait_for(trainee.chat_id, ends_turn, after=before)
    trainee.tap_choice("completed")
    certificate = trainee.last  # "Did you receive a certificate?" (yes/no), pending
    replies = trainee.tap_old(work, old_no)  # last wave's "No"
    assert [m.text for m in replies] == [t("tap_earlier_question", "en"), certificate.text]
    baseline, exit_wave = _baseline_and_exit(store, trainee.chat_id)
    assert baseline["bl_work_experience"] == "yes"
    assert exit_wave == {"ex_completed": "completed"}

    trainee.say("yes")  # certificate, typed
    trainee.say("6 months")
    trainee.tap_choice("about_half")
    workplace = trainee.last  # "...learning in a workplace?" (yes/no)
    old_workplace_no = dict(workplace.buttons)["No"]
    trainee.say("yes")  # typed
    trainee.tap("4")
    trainee.tap("5")
    trainee.tap_choice("equipment")
    recommend = trainee.last  # "Would you recommend...?" (yes/no), pending
    assert _eventually(lambda: workplace.reply_markup is None) and recommend.buttons
    replies = trainee.tap_old(workplace, old_workplace_no)
    label = default_questionnaire().question("ex_workplace_learning").label_in("en")
    assert replies[0].text == t("tap_changed", "en", question=label, answer="No")
    assert replies[-1].text == recommend.text  # the pending question, asked again
    _, exit_wave = _baseline_and_exit(store, trainee.chat_id)
    assert exit_wave["ex_workplace_learning"] == "no" and "ex_recommend" not in exit_wave
    assert exit_wave["ex_certificate"] == "yes"
    history = _history(tg_stack.database_url, trainee.chat_id, store, "ex_workplace_learning")
    assert history == [("yes", False), ("no", True)]


def test_sticker_gets_a_polite_reply(tg_stack, fake_api):
    trainee = Trainee(fake_api)
    before = trainee.seen
    fake_api.user_sends_sticker(trainee.chat_id)
    replies = fake_api.wait_for(trainee.chat_id, lambda m: "only read text" in m.text, before)
    assert len(replies) == 1


def _update(chat_id: int, update_id: int, text: str) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "T", "language_code": "en"},
            "text": text,
        },
    }


def test_webhook_checks_the_secret_then_processes(webhook_stack, fake_api):
    deadline = time.monotonic() + 15
    while fake_api.webhook is None and time.monotonic() < deadline:
        time.sleep(0.1)  # setWebhook runs in the background once the server is up
    assert fake_api.webhook is not None and fake_api.webhook["secret_token"] == SECRET
    assert fake_api.webhook["url"].endswith("/webhooks/telegram/webhook")
    url = f"{webhook_stack.rasa_url}/webhooks/telegram/webhook"
    chat_id = next(_chat_ids)
    update = _update(chat_id, 990_001, "hello")
    for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
        response = requests.post(url, json=update, headers=headers, timeout=10)
        assert response.status_code == 403
    time.sleep(1.0)
    assert fake_api.messages_to(chat_id) == []
    tracker = requests.get(
        f"{webhook_stack.rasa_url}/conversations/{chat_id}/tracker",
        params={"token": webhook_stack.token},
        timeout=10,
    ).json()
    assert not [e for e in tracker.get("events", []) if e.get("event") == "user"]

    response = requests.post(
        url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}, timeout=10
    )
    assert response.status_code == 200
    replies = fake_api.wait_for(chat_id, ends_turn)
    assert any("Do you agree" in m.text for m in replies)


def test_trigger_intent_reaches_the_trainee_on_telegram(tg_stack, fake_api, graduate):
    trainee = graduate
    before = trainee.seen
    tg_stack.trigger(str(trainee.chat_id), "EXTERNAL_followup", {"wave": "exit"}, "telegram")
    replies = fake_api.wait_for(trainee.chat_id, ends_turn, after=before)
    exit_question = default_questionnaire().question("ex_completed").text_in("en")
    assert any(exit_question in m.text for m in replies)
    assert replies[-1].buttons  # the exit question's keyboard, ready to tap


def test_logs_hold_no_chat_id_or_token(tg_stack, webhook_stack, fake_api):
    chat_ids = {str(chat_id) for _, params in fake_api.calls for chat_id in [params.get("chat_id")]}
    chat_ids.discard("None")
    assert chat_ids
    for stack in (tg_stack, webhook_stack):
        for log in stack.workdir.glob("*.log"):
            text = log.read_text(errors="replace")
            assert TOKEN not in text and TOKEN.split(":")[1] not in text, log.name
            leaked = [c for c in chat_ids if c in text]
            assert not leaked, f"{log.name} mentions chat ids {leaked}"


def test_scheduled_followup_reaches_only_due_trainees_on_telegram(tg_stack, fake_api, store):
    """`followups send` at a simulated date: due Telegram trainees get the wave and answer it."""
    from datetime import date, datetime, timedelta

    from bot.outreach.scope import Scope
    from bot.outreach.sender import send_due
    from bot.outreach.status import response_table
    from bot.outreach.transport import RasaTriggerTransport
    from bot.survey.engine import add_months
    from tests.outreach.helpers import add_programme

    settings = load_settings(tg_stack.env).with_overrides(
        rasa_url=tg_stack.rasa_url, rasa_token=tg_stack.token
    )
    today = date.today()
    cohorts = add_programme(
        settings,
        "tg-fu",
        {
            "ended": (today - timedelta(days=5), "UTC"),
            "later": (today + timedelta(days=400), "UTC"),
        },
    )
    due, later, opted = Trainee(fake_api), Trainee(fake_api), Trainee(fake_api)
    for trainee, cohort in ((due, "ended"), (later, "later"), (opted, "ended")):
        trainee.register()
        before = trainee.seen
        fake_api.user_says(trainee.chat_id, "/pause")
        fake_api.wait_for(trainee.chat_id, lambda m: "answers are saved" in m.text, after=before)
        info = store.find_trainee(str(trainee.chat_id))
        store.set_cohort(info.id, cohorts[cohort])
    store.opt_out(store.find_trainee(str(opted.chat_id)).id)
    seen = {t.chat_id: t.seen for t in (due, later, opted)}

    now = datetime.combine(add_months(today, 6), datetime.min.time()) + timedelta(hours=12)
    report = send_due(settings, now, RasaTriggerTransport(settings), Scope("tg-fu"))
    assert report.sent == 1 and report.failed == 0

    replies = fake_api.wait_for(due.chat_id, ends_turn, after=seen[due.chat_id])
    assert any("It has been 6 months" in m.text for m in replies)
    assert later.seen == seen[later.chat_id] and opted.seen == seen[opted.chat_id]

    thanks = t("wave_done_followup", "en")
    for _ in range(25):  # answer with the first button, or a number, until thanked
        message = due.last
        if any(m.text == thanks for m in fake_api.messages_to(due.chat_id)):
            break
        if message.buttons:
            due.tap(
                message.buttons[-1][0] if "Skip" in dict(message.buttons) else message.buttons[0][0]
            )
        else:
            kind = next(
                (
                    q.type
                    for q in default_questionnaire().for_wave("followup")
                    if q.text_in("en").split("{")[0][:40] in message.text
                ),
                message.text,
            )
            due.say("electrician" if kind == "text" else "40" if kind == "integer" else "3")
    assert any(m.text == thanks for m in fake_api.messages_to(due.chat_id))
    rows = {(r.cohort, r.wave): r for r in response_table(settings, Scope("tg-fu"))}
    ended = rows[("ended", "followup_6")]
    assert (ended.trainees, ended.contacted, ended.answered, ended.opted_out) == (2, 1, 1, 1)


def test_a_typed_scheduler_intent_on_telegram_opens_no_wave(tg_stack, fake_api, store):
    trainee = Trainee(fake_api)
    trainee.register()
    info = store.find_trainee(str(trainee.chat_id), "telegram")
    before = trainee.seen
    fake_api.user_says(trainee.chat_id, '/EXTERNAL_followup{"wave":"followup_12"}', "en")
    replies = fake_api.wait_for(trainee.chat_id, ends_turn, after=before)
    assert replies[-1].text.startswith("Question 1 of")  # the pending question, again
    assert set(store.wave_progress(info.id)) == {"baseline"}


def test_stop_as_the_first_message_on_telegram_asks_to_confirm(tg_stack, fake_api, store):
    trainee = Trainee(fake_api)
    trainee.register()
    info = store.find_trainee(str(trainee.chat_id), "telegram")
    trainee.say("/stop")
    assert trainee.last.text == t("confirm_stop", "en")
    trainee.tap("Yes")
    assert trainee.last.text == t("confirm_delete", "en")
    before = trainee.seen
    fake_api.user_taps(trainee.last, dict(trainee.last.buttons)["No"], "en")  # keep the answers
    fake_api.wait_for(trainee.chat_id, lambda m: m.text == t("opted_out", "en"), after=before)
    assert store.trainee_by_id(info.id).status == "opted_out"
