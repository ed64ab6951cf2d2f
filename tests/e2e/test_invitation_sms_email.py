"""From an imported cohort to answers: invitations by SMS (fake Twilio) and e-mail (real local
SMTP server); one trainee opens the web link, the other the Telegram link (fake Bot API); both
consent and answer; nothing is ever sent twice."""

from __future__ import annotations

import json
import re
import time
from datetime import date, timedelta

import pytest
import requests
from sqlalchemy import select

from bot.config import load_settings
from bot.storage.db import session_scope
from bot.storage.models import Invitation
from tests.conftest import texts
from tests.e2e.test_telegram_channel import TOKEN, Trainee, _telegram_env
from tests.fakes.sms_apis import FakeTwilio
from tests.fakes.smtp_server import SmtpTestServer
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.outreach.helpers import add_programme, run_cli
from tests.stack import free_port, running_stack

pytestmark = pytest.mark.e2e

HEADER = "cohort_code,end_date,timezone,trainee_ref,name,phone,email,language"
# Training still running (no start date: the baseline stays open until the end + 30 days).
_END = date.today() + timedelta(days=60)
ROWS = [
    f"R1,{_END},Africa/Dakar,T-1,Awa Diop,+221 77 111 22 33,,en",
    f"R1,{_END},Africa/Dakar,T-2,Fatou Sow,,fatou@example.org,fr",
]
LINK = re.compile(r"(http://\S+/webchat/\?code=([A-Z0-9]{10}))")
TELEGRAM_LINK = re.compile(r"https://t\.me/tracer_test_bot\?start=([A-Z0-9]{10})")
CREDENTIALS = """bot.channels.rest_guarded.GuardedRestInput:
bot.channels.webpage.WebChatPage:
bot.channels.delivery_receipts.DeliveryReceipts:
bot.channels.telegram.TelegramInput:
  mode: polling
  poll_timeout: 2
"""


@pytest.fixture(scope="module")
def reach(tmp_path_factory, model_path):
    """A stack whose Rasa knows the fake Twilio (for signed receipts) and an SMTP server."""
    port = free_port()
    with FakeTwilio() as twilio, SmtpTestServer() as smtp, FakeTelegramAPI(TOKEN) as telegram:
        extra = {
            **_telegram_env(telegram, "polling"),
            "TELEGRAM_BOT_USERNAME": "tracer_test_bot",
            "TRACER_RASA_PORT": str(port),  # as scripts/env.sh exports it for `make run`
            "TWILIO_ACCOUNT_SID": twilio.account_sid,
            "TWILIO_AUTH_TOKEN": twilio.auth_token,
            "TWILIO_FROM": "+15005550006",
            "TWILIO_API_BASE_URL": twilio.base_url,
            "TWILIO_STATUS_CALLBACK_URL": f"http://127.0.0.1:{port}/webhooks/receipts/twilio",
            "TRACER_SMTP_HOST": "127.0.0.1",
            "TRACER_SMTP_PORT": str(smtp.port),
            "TRACER_SMTP_USER": "tracer",
            "TRACER_SMTP_PASSWORD": "mail-secret",
            "TRACER_SMTP_TLS": "none",
            "TRACER_EMAIL_FROM": "tracer@example.org",
            "AFRICASTALKING_CALLBACK_TOKEN": "at-callback-token",
        }
        workdir = tmp_path_factory.mktemp("reach")
        credentials = workdir / "credentials.yml"
        credentials.write_text(CREDENTIALS, encoding="utf-8")
        with running_stack(
            workdir, model_path, extra_env=extra, rasa_port=port, credentials=credentials
        ) as stack:
            yield stack, twilio, smtp, telegram


def _send(env):
    return run_cli(env, "invite", "--programme", "reach", "--send", "auto", "--yes",
                   "--now", f"{date.today()}T12:00")  # fmt: skip


def _states(database_url: str) -> list[str]:
    with session_scope(database_url) as session:
        return sorted(s for (s,) in session.execute(select(Invitation.send_state)))


def _join_and_answer(stack, sender: str, code: str) -> list[str]:
    stack.say(sender, "/greet" + json.dumps({"language": "en", "invite_code": code}))
    stack.say(sender, "yes")
    assert any("Question 1 of" in t for t in texts(stack.say(sender, "English")))
    return texts(stack.say(sender, '/inform{"choice":"female"}'))


def test_imported_trainees_are_invited_by_sms_and_email_and_answer(reach, tmp_path):
    stack, twilio, smtp, telegram = reach
    env = stack.env
    add_programme(load_settings(env), "reach", {})
    cohort = tmp_path / "cohort.csv"
    cohort.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    imported = run_cli(env, "cohorts", "import", str(cohort), "--programme", "reach",
                       "--region-code", "SN")  # fmt: skip
    assert imported.exit_code == 0, imported.output + imported.stderr

    twilio.faults.server_errors = 1  # the provider fails once: retried within limits
    sent = _send(env)
    assert sent.exit_code == 0, sent.output + sent.stderr
    assert "SMS (en): 2 segments (GSM-7" in sent.output  # shown before sending (two links)
    assert "retries after a temporary failure: 1" in sent.output
    (sms,) = twilio.sent
    (mail,) = smtp.messages
    assert sms.to == "+221771112233" and sms.body.startswith("Tracer: your training centre")
    assert mail["To"] == "fatou@example.org" and mail["Subject"].startswith("Votre centre")

    # The SMS link opens the real web chat page served by this Rasa server.
    sms_link, sms_code = LINK.search(sms.body).groups()
    assert sms_link.startswith(stack.rasa_url + "/webchat/")
    page = requests.get(sms_link, timeout=10)
    assert page.status_code == 200 and "<html" in page.text.lower()

    # Twilio's signed status callback reached Rasa and marked the SMS delivered.
    deadline = time.monotonic() + 20
    while "delivered" not in _states(stack.database_url) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert twilio.callbacks == [(sms.reference, 204)]
    assert _states(stack.database_url) == ["accepted", "delivered"]

    assert any("Question 2 of" in t for t in _join_and_answer(stack, "sms-trainee", sms_code))
    # The e-mail's Telegram link: /start with the code, consent, then the first answers.
    mail_code = TELEGRAM_LINK.search(mail.get_content())[1]
    assert LINK.search(mail.get_content())[2] == mail_code
    trainee = Trainee(telegram, language="fr")
    trainee.say(f"/start {mail_code}")
    replies = trainee.say("oui")
    assert any(m.text.startswith("Question 1 ") for m in replies), [m.text for m in replies]
    replies = trainee.tap_choice("female")
    assert replies[-1].text.startswith("Question 2 ")

    again = _send(env)
    assert again.exit_code == 0 and "already joined: 2" in again.output
    assert len(twilio.sent) == 1 and len(smtp.messages) == 1  # nothing sent twice
    status = run_cli(env, "status", "--programme", "reach")
    funnel = next(line.split() for line in status.output.splitlines()
                  if line.startswith("reach") and len(line.split()) == 9)  # fmt: skip
    assert funnel[2:] == ["2", "2", "2", "1", "0", "2", "0"]


def test_forged_receipts_are_refused(reach):
    stack, _, _, _ = reach
    url = f"{stack.rasa_url}/webhooks/receipts/twilio"
    forged = requests.post(url, data={"MessageSid": "SM1", "MessageStatus": "delivered"},
                           headers={"X-Twilio-Signature": "bad"}, timeout=10)  # fmt: skip
    assert forged.status_code == 403
    at_url = f"{stack.rasa_url}/webhooks/receipts/africastalking"
    report = {"id": "ATXid_unknown", "status": "Success"}
    wrong = requests.post(at_url, params={"token": "guess"}, data=report, timeout=10)
    assert wrong.status_code == 403
    right = requests.post(at_url, params={"token": "at-callback-token"}, data=report, timeout=10)
    assert right.status_code == 204
