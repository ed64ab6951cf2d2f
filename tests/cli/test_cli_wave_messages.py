"""``tracer followups message``: due waves and reminders by SMS / e-mail for unlinked trainees."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.config import load_settings
from bot.storage.db import session_scope
from bot.storage.models import Contact, Invitation, Outreach, Trainee, utcnow
from bot.storage.repository import TracerStore
from tests.outreach.helpers import run_cli

CODE = re.compile(r"code=([A-Z0-9]{10})")


def _message(env, now, *extra):
    return run_cli(env, "followups", "message", "--programme", "solar", "--yes", "--now", now,
                   *extra)  # fmt: skip


def _rows(env) -> list[tuple]:
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        rows = session.execute(
            select(Outreach.wave, Outreach.attempt, Outreach.state, Outreach.result).order_by(
                Outreach.id
            )
        )
        return [tuple(row) for row in rows]


def test_due_waves_and_reminders_go_by_sms_and_email_once_each(env, providers):
    twilio, smtp = providers
    first = _message(env, "2027-01-05T12:00")
    assert first.exit_code == 0, first.output + first.stderr
    assert "SMS (fr): 1 segment" not in first.output and "SMS to send: 2" in first.output
    # 2026A ended 2026-06-30: followup_6 is due; 2026B ended 2026-09-30: the exit wave.
    assert sorted(_rows(env)) == [
        ("exit", 0, "sent", "email: accepted"),
        ("followup_6", 0, "sent", "sms: queued"),
        ("followup_6", 0, "sent", "sms: queued"),
    ]
    assert all("quelques questions sur votre parcours" in sms.body for sms in twilio.sent)
    assert smtp.messages[0]["Subject"] == "A few questions on how you are doing since your training"

    again = _message(env, "2027-01-05T15:00")
    assert "next reminder not due yet: 3" in again.output and len(twilio.sent) == 2

    reminders = _message(env, "2027-01-08T12:00")  # TRACER_REMINDER_DAYS 3,7
    assert "sent by SMS (accepted by the provider): 2" in reminders.output
    assert sorted(r[:3] for r in _rows(env) if r[1] == 1) == [
        ("exit", 1, "sent"),
        ("followup_6", 1, "sent"),
        ("followup_6", 1, "sent"),
    ]
    assert len(smtp.messages) == 2 and len(twilio.sent) == 4
    assert len({CODE.search(sms.body)[1] for sms in twilio.sent}) == 4  # a fresh link each


def test_a_trainee_who_links_a_chat_gets_no_more_sms_and_one_code_closes_the_others(
    env,
    providers,
):
    twilio, _ = providers
    _message(env, "2027-01-05T12:00")
    _message(env, "2027-01-08T12:00")
    settings = load_settings(env)
    awa_code = CODE.search(twilio.sent[0].body)[1]
    store = TracerStore(settings)
    with session_scope(settings.database_url) as session:
        trainee = store._redeem(session, awa_code, utcnow())
        store.add_contact(session, trainee.id, "telegram", "777")
        trainee_id = trainee.id
    with session_scope(settings.database_url) as session:
        open_codes = session.execute(
            select(Invitation.id).where(
                Invitation.trainee_id == trainee_id, Invitation.used_at.is_(None)
            )
        ).all()
        assert open_codes == []  # the reminder's code died with the first one used
        assert session.get(Trainee, trainee_id).status == "active"
        assert session.execute(select(Contact.id).where(Contact.channel == "telegram")).first()
    later = _message(env, "2027-01-12T12:00")
    assert "linked a chat (use 'tracer followups send'): 1" in later.output
    assert "sent by SMS (accepted by the provider): 1" in later.output  # Moussa only
