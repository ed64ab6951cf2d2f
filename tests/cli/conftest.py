"""Fixtures of the CLI tests: SMS and e-mail providers, and an imported cohort that uses them."""

from __future__ import annotations

import pytest

from bot.config import load_settings
from tests.cli.helpers import GOOD, import_cohort, write_cohort
from tests.fakes.sms_apis import FakeTwilio
from tests.fakes.smtp_server import SmtpTestServer
from tests.outreach.helpers import add_programme, outreach_env


@pytest.fixture
def providers():
    """A fake Twilio API and a local SMTP server."""
    with FakeTwilio() as twilio, SmtpTestServer() as smtp:
        yield twilio, smtp


@pytest.fixture
def env(tmp_path, providers):
    """Both providers configured and a cohort of 3 trainees imported (modules may override it)."""
    twilio, smtp = providers
    env = outreach_env(
        tmp_path,
        TWILIO_ACCOUNT_SID=twilio.account_sid,
        TWILIO_AUTH_TOKEN=twilio.auth_token,
        TWILIO_FROM="+15005550006",
        TWILIO_API_BASE_URL=twilio.base_url,
        TRACER_SMS_RATE="50",
        TRACER_SMTP_HOST="127.0.0.1",
        TRACER_SMTP_PORT=str(smtp.port),
        TRACER_SMTP_USER="tracer",
        TRACER_SMTP_PASSWORD="mail-secret",
        TRACER_SMTP_TLS="none",
        TRACER_EMAIL_FROM="tracer@example.org",
    )
    add_programme(load_settings(env), "solar", {})
    assert import_cohort(env, write_cohort(tmp_path, GOOD)).exit_code == 0
    return env
