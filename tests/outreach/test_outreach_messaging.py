"""SMS/e-mail transports against fake provider APIs and a real local SMTP server; segments."""

from __future__ import annotations

import pytest

from bot.config import load_settings
from bot.i18n import t
from bot.outreach.email_smtp import SmtpEmail
from bot.outreach.invite_send import compose
from bot.outreach.invites import web_link
from bot.outreach.messaging import transports_from_settings
from bot.outreach.segments import count_segments
from bot.outreach.sms_providers import AfricasTalkingSms, TwilioSms
from tests.fakes.sms_apis import FakeAfricasTalking, FakeTwilio
from tests.fakes.smtp_server import SmtpTestServer, self_signed_tls
from tests.outreach.helpers import outreach_env


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),  # 153 per concatenated segment
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # extension characters cost two septets
        ("€" * 81, "GSM-7", 2),
        ("Répondez à Moussa, señor Müller", "GSM-7", 1),  # é à ñ ü are GSM-7
        ("Une enquête" + "a" * 59, "UCS-2", 1),  # ê is not: 70 UCS-2 characters
        ("Une enquête" + "a" * 60, "UCS-2", 2),
        ("formación " * 14, "UCS-2", 3),  # 140 characters at 67 per segment
        ("", "GSM-7", 0),
    ],
)
def test_segment_counting_gsm7_and_ucs2(text, encoding, segments):
    count = count_segments(text)
    assert (count.encoding, count.segments) == (encoding, segments)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_invitation_sms_is_gsm7_carries_the_link_and_an_opt_out(tmp_path, language):
    settings = load_settings(outreach_env(tmp_path))
    _, text = compose(settings, "sms", language, "ABCDEFGH23")
    assert web_link(settings, "ABCDEFGH23") in text
    assert "https://t.me/tracer_test_bot?start=ABCDEFGH23" in text
    assert "STOP" in text
    count = count_segments(text)
    assert count.encoding == "GSM-7" and count.segments <= 2
    without_telegram = settings.with_overrides(telegram_bot_username="")
    assert count_segments(compose(without_telegram, "sms", language, "ABCDEFGH23")[1]).segments == 1


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_invitation_email_is_in_the_trainees_language(tmp_path, language):
    settings = load_settings(outreach_env(tmp_path))
    subject, body = compose(settings, "email", language, "ABCDEFGH23")
    assert subject == t("invite_email_subject", language)
    assert "https://tracer.example.org/webchat/?code=ABCDEFGH23" in body and "STOP" in body


def test_web_links_default_to_the_web_chat_served_on_the_rasa_port(tmp_path):
    env = outreach_env(tmp_path)
    del env["TRACER_WEB_BASE_URL"]
    assert web_link(load_settings(env), "X") == "http://127.0.0.1:5005/webchat/?code=X"
    env["TRACER_RASA_PORT"] = "5099"  # what scripts/env.sh exports for `make run`
    assert web_link(load_settings(env), "X") == "http://127.0.0.1:5099/webchat/?code=X"


def test_twilio_sends_with_basic_auth_and_reports_provider_reasons():
    with FakeTwilio() as fake:
        good = TwilioSms(fake.account_sid, fake.auth_token, "+15005550006", fake.base_url)
        result = good.send_text("+221771234567", "hello")
        assert result.accepted and result.reference == fake.sent[0].reference
        assert (fake.sent[0].to, fake.sent[0].body) == ("+221771234567", "hello")

        wrong = TwilioSms(fake.account_sid, "wrong", "+15005550006", fake.base_url)
        refused = wrong.send_text("+221771234567", "hello")
        assert not refused.accepted and not refused.retryable and "20003" in refused.reason

        fake.faults.rate_limited = 1
        limited = good.send_text("+221771234567", "hello")
        assert limited.retryable and "20429" in limited.reason

        fake.faults.bad_numbers.add("+221700000000")
        bad = good.send_text("+221700000000", "hello")
        assert not bad.retryable and "21211" in bad.reason
        assert "221700000000" not in bad.reason  # numbers are masked in recorded reasons
        assert len(fake.sent) == 1


def test_twilio_unreachable_is_retryable():
    result = TwilioSms("AC1", "x", "+1", "http://127.0.0.1:9").send_text("+221771234567", "hi")
    assert not result.accepted and result.retryable and result.reason == "provider unreachable"


def test_africastalking_sends_with_api_key_and_reports_per_recipient_status():
    with FakeAfricasTalking() as fake:
        good = AfricasTalkingSms(fake.username, fake.api_key, "TRACER", fake.base_url)
        result = good.send_text("+254711000000", "hello")
        assert result.accepted and result.reference.startswith("ATXid_")
        assert fake.sent[0].sender == "TRACER"

        wrong = AfricasTalkingSms(fake.username, "nope", "", fake.base_url)
        refused = wrong.send_text("+254711000000", "hello")
        assert not refused.accepted and "401" in refused.reason

        fake.faults.server_errors = 1
        assert good.send_text("+254711000000", "hello").retryable

        fake.faults.bad_numbers.add("+254700000000")
        bad = good.send_text("+254700000000", "hello")
        assert not bad.accepted and not bad.retryable and "InvalidPhoneNumber" in bad.reason


def test_smtp_delivers_to_a_real_local_server_with_auth():
    with SmtpTestServer() as smtp:
        mailer = SmtpEmail("127.0.0.1", smtp.port, "tracer@example.org", "tracer", "mail-secret",
                           tls="none")  # fmt: skip
        result = mailer.send_text("awa@example.org", "Bonjour\nlien", "Enquête")
        assert result.accepted
        (message,) = smtp.messages
        assert message["To"] == "awa@example.org" and message["Subject"] == "Enquête"
        assert "lien" in message.get_content()

        smtp.refuse.add("nobody@example.org")
        refused = mailer.send_text("nobody@example.org", "x", "y")
        assert not refused.accepted and not refused.retryable and "550" in refused.reason

        smtp.temporary_failures = 1
        assert mailer.send_text("awa@example.org", "x", "y").retryable

        wrong = SmtpEmail("127.0.0.1", smtp.port, "t@example.org", "tracer", "bad", tls="none")
        assert "authentication failed" in wrong.send_text("awa@example.org", "x", "y").reason
        assert len(smtp.messages) == 1


def test_smtp_uses_starttls_and_checks_the_certificate(tmp_path):
    context, ca_file = self_signed_tls(tmp_path)
    with SmtpTestServer(tls=context) as smtp:
        trusted = SmtpEmail("127.0.0.1", smtp.port, "tracer@example.org", "tracer", "mail-secret",
                            tls="starttls", ca_file=ca_file)  # fmt: skip
        assert trusted.send_text("awa@example.org", "x", "y").accepted
        assert smtp.tls_used == [True]
        untrusted = SmtpEmail("127.0.0.1", smtp.port, "tracer@example.org", "tracer",
                              "mail-secret", tls="starttls")  # fmt: skip
        refused = untrusted.send_text("awa@example.org", "x", "y")
        assert not refused.accepted and "SSLCertVerificationError" in refused.reason
        plain = SmtpEmail("127.0.0.1", smtp.port, "tracer@example.org", "tracer", "mail-secret",
                          tls="none")  # fmt: skip
        assert "530" in plain.send_text("awa@example.org", "x", "y").reason
        assert len(smtp.messages) == 1


def test_transports_are_off_without_configuration(tmp_path):
    assert transports_from_settings(load_settings(outreach_env(tmp_path))) == {}
    env = outreach_env(tmp_path, TWILIO_ACCOUNT_SID="AC1", TWILIO_AUTH_TOKEN="x",
                       TWILIO_FROM="+1", TRACER_SMTP_HOST="localhost",
                       TRACER_EMAIL_FROM="t@example.org")  # fmt: skip
    found = transports_from_settings(load_settings(env))
    assert (found["sms"].name, found["email"].name) == ("twilio", "smtp")
