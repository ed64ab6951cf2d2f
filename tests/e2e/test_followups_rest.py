"""Scheduled follow-ups end to end: real Rasa + action server, trainees registered over REST."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest

from bot.config import load_settings
from bot.outreach.scope import Scope
from bot.outreach.sender import send_due
from bot.outreach.status import response_table
from bot.outreach.transport import RasaTriggerTransport
from bot.survey.engine import add_months
from tests.conftest import button_choice, buttons, texts
from tests.outreach.helpers import add_programme

pytestmark = pytest.mark.e2e
PROGRAMME = "fu-e2e"
DONE = "Thank you very much"


def _register(stack, sender: str, pause: bool = True) -> None:
    """Consent, language, programme, two baseline answers, then (optionally) pause the survey."""
    stack.say(sender, "hi")
    stack.say(sender, "yes")
    stack.say(sender, "English")
    replies = stack.say(sender, '/inform{"choice":"demo"}')
    assert any("Question 1 of" in t for t in texts(replies))
    stack.say(sender, '/inform{"choice":"female"}')
    stack.say(sender, "2001")
    if pause:
        replies = stack.say(sender, "/pause")
        assert any("answers are saved" in t for t in texts(replies))


def _answer_wave(stack, sender: str, replies: list[dict]) -> bool:
    """Answer every question (the "no" button when there is one) until the wave is done."""
    for _ in range(40):
        if any(DONE in t for t in texts(replies)):
            return True
        options = buttons(replies)
        no = [p for p in options if button_choice(p) == "no"]
        answer = no[0] if no else options[-1] if options else "0"
        replies = stack.say(sender, answer)
    return False


def test_only_due_trainees_get_the_followup_and_status_counts_them(stack, stack_store):
    settings = load_settings(stack.env).with_overrides(
        rasa_url=stack.rasa_url, rasa_token=stack.token
    )
    today = date.today()
    cohorts = add_programme(
        settings,
        PROGRAMME,
        {"ended": (today - timedelta(days=10), "UTC"), "later": (today + timedelta(400), "UTC")},
    )
    senders = {name: f"fu-{name}-{uuid.uuid4().hex[:8]}" for name in ("a", "b", "later", "out")}
    ids = {}
    for name, sender in senders.items():
        _register(stack, sender)
        ids[name] = stack_store.find_trainee(sender).id
        stack_store.set_cohort(ids[name], cohorts["later" if name == "later" else "ended"])
    stack_store.opt_out(ids["out"])

    now = datetime.combine(add_months(today, 6), datetime.min.time()) + timedelta(hours=12)
    delivered: dict[int, list[str]] = {}
    report = send_due(
        settings,
        now,
        RasaTriggerTransport(settings),
        Scope(PROGRAMME),
        on_delivery=lambda item, d: delivered.setdefault(item.trainee_id, texts(d.messages)),
    )
    assert report.sent == 2 and report.failed == 0
    assert set(delivered) == {ids["a"], ids["b"]}
    for messages in delivered.values():
        assert any("It has been 6 months" in text for text in messages), messages
        assert any("Question 1 of" in text for text in messages)

    # a second run a minute later sends nothing again
    again = send_due(
        settings, now + timedelta(minutes=1), RasaTriggerTransport(settings), Scope(PROGRAMME)
    )
    assert again.sent == 0

    # trainee a answers the follow-up over REST
    first_question = stack.say(senders["a"], "no")
    assert _answer_wave(stack, senders["a"], first_question)
    assert stack_store.wave_progress(ids["a"])["followup_6"][1] is not None

    rows = {(r.cohort, r.wave): r for r in response_table(settings, Scope(PROGRAMME))}
    ended = rows[("ended", "followup_6")]
    assert (ended.trainees, ended.contacted, ended.answered, ended.opted_out) == (3, 2, 1, 1)
    assert rows[("later", "followup_6")].contacted == 0

    # three days later only the trainee who did not answer gets a reminder
    reminder = send_due(
        settings, now + timedelta(days=3, hours=1), RasaTriggerTransport(settings),
        Scope(PROGRAMME),
    )  # fmt: skip
    assert reminder.sent == 1


def test_followup_reaches_a_trainee_who_left_the_baseline_unfinished(stack, stack_store):
    """The survey form is still active (no pause): the follow-up must not be taken as an answer."""
    settings = load_settings(stack.env).with_overrides(
        rasa_url=stack.rasa_url, rasa_token=stack.token
    )
    today = date.today()
    cohort = add_programme(settings, "fu-e2e-open", {"c": (today - timedelta(days=10), None)})
    sender = f"fu-open-{uuid.uuid4().hex[:8]}"
    _register(stack, sender, pause=False)
    trainee_id = stack_store.find_trainee(sender).id
    stack_store.set_cohort(trainee_id, cohort["c"])
    now = datetime.combine(add_months(today, 6), datetime.min.time()) + timedelta(hours=12)
    delivered: list[str] = []
    send_due(
        settings, now, RasaTriggerTransport(settings), Scope("fu-e2e-open"),
        on_delivery=lambda item, d: delivered.extend(texts(d.messages)),
    )  # fmt: skip
    assert any("It has been 6 months" in text for text in delivered), delivered
