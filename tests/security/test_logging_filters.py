"""Log lines never carry user texts, conversation ids or bot tokens, whatever the logger."""

from __future__ import annotations

import io
import json
import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.logging_filters import PersonalDataFilter, install_log_redaction, scrub

TOKEN = "123456789:AAHk3b4xT6y7z8w9v0u1t2s3r4q5p6o7n8m"
RECEIVED = "Received user message '{}' with intent 'inform'"
HEX = "6c1f9a0d2b7e4e0f9a3c5d7e9f1a2b3c"
LONG_TEXT = "Ana works at the solar plant near Thiès. " * 60  # about 2,500 characters
# (logger, format, user text): how Rasa, Sanic, SQLAlchemy, httpx, PTB and rasa-sdk log things.
LEAKY_LINES = [
    ("rasa.core.processor", RECEIVED, "I'm from Côte d'Ivoire"),
    ("rasa.core.processor", RECEIVED, "line one\nline 'two'"),
    ("rasa.core.processor", RECEIVED, LONG_TEXT),
    ("rasa.core.processor", 'Received user message "{}"', 'she said "stop" then left'),
    ("rasa_sdk.executor", "Received slot values {}", "{'answer': \"Ouedraogo's shop\"}"),
    ("sqlalchemy.engine.Engine", "[generated in 0.00012s] {}", "('Ouedraogo welder', 731945286)"),
    ("sanic.error", "Exception occurred while handling uri: {}", "'http://x/webhook?text=Ana'"),
    ("root", "payload {}", json.dumps({"a": [{"b": json.dumps({"text": "Ana Diallo"})}]})),
    ("bot.survey", "tracker {}", "`Ana Diallo`"),
]
# (logger, message, secret): identifiers and secrets that are not quoted.
IDS_AND_SECRETS = [
    ("rasa.core.tracker_store", "Starting a new session for ID 987654321.", "987654321"),
    ("rasa.core.lock_store", "Acquired lock for conversation web-3f9a2c7e11d0", "web-3f9a2c7e11d0"),
    ("socketio.server", f"emitting event to {HEX}", HEX),
    ("sanic.access", "POST /conversations/x/trigger_intent?token=s3cret-t0ken", "s3cret-t0ken"),
    ("sanic.access", "POST /conversations/test-0042abc/trigger_intent", "test-0042abc"),
    ("httpx", f"HTTP Request: POST https://api.telegram.org/bot{TOKEN}/getUpdates", TOKEN),
    ("telegram.ext", "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc", "eyJhbGciOiJIUzI1NiJ9"),
    ("rasa.core.channels", "at https://x/webchat/?session=1&sig=9f8e7d6c5b4a", "9f8e7d6c5b4a"),
]


@pytest.mark.parametrize("name,template,text", LEAKY_LINES, ids=lambda v: str(v)[:24])
def test_quoted_user_text_is_redacted_whatever_its_shape(name, template, text):
    line = template.format(text)
    scrubbed = scrub(line, name)
    for fragment in ("Ivoire", "Côte", "line one", "two", "Thiès", "stop", "Ouedraogo", "Ana"):
        if fragment in text:
            assert fragment not in scrubbed, (fragment, scrubbed)
    assert "731945286" not in scrubbed


@pytest.mark.parametrize("name,line,secret", IDS_AND_SECRETS, ids=lambda v: str(v)[:24])
def test_ids_tokens_and_url_secrets_are_redacted(name, line, secret):
    assert secret not in scrub(line, name)


def test_structlog_json_events_lose_personal_keys_at_any_depth():
    event = {
        "event": "processor.message",
        "text": "my name is Ana",
        "sender_id": "4242424242",
        "intent": "inform",
        "nested": {"deeper": [{"slots": {"answer": "Ana"}}, "Ana's 'quoted' shop"]},
        "exception": [{"exc_value": "forced 'Ana Diallo'", "frames": [{"locals": {"x": "Ana"}}]}],
    }
    scrubbed = scrub(json.dumps(event), "rasa.core.processor")
    assert "Ana" not in scrubbed and "4242424242" not in scrubbed
    decoded = json.loads(scrubbed)
    assert decoded["intent"] == "inform" and decoded["event"] == "processor.message"


def _handler_output(logger: logging.Logger) -> io.StringIO:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False  # like sanic's own handlers: nothing reaches the root logger
    logger.setLevel(logging.DEBUG)
    return stream


def test_every_logger_and_handler_is_scrubbed_even_without_propagation():
    install_log_redaction()
    for name in ("sqlalchemy.engine.Engine", "sanic.error", "httpx", "telegram.ext", "x.y"):
        logger = logging.getLogger(f"{name}.privacytest")
        stream = _handler_output(logger)
        logger.info("params %r chat %s url %s", ("Ana Diallo", "x"), 731945286,
                    f"https://api.telegram.org/bot{TOKEN}/sendMessage?token=abc")  # fmt: skip
        text = stream.getvalue()
        assert text.startswith(f"{name}.privacytest"), text
        assert "Ana" not in text and "731945286" not in text and TOKEN not in text, text
        assert "token=abc" not in text


def test_exception_text_and_traceback_are_scrubbed_but_frames_kept():
    install_log_redaction()
    logger = logging.getLogger("rasa_sdk.endpoint.privacytest")
    stream = _handler_output(logger)

    def failing_action(text: str) -> None:
        raise RuntimeError(f"forced failure for 731945286 on {text!r}")

    try:
        try:
            failing_action("I'm Ana,\nfrom d'Ivoire")
        except RuntimeError as error:
            raise ValueError(f"wrapped: {error}") from error
    except ValueError:
        logger.exception("action failed")
    text = stream.getvalue()
    assert "Traceback (most recent call last)" in text and "failing_action" in text
    assert "direct cause" in text and "RuntimeError" in text and "ValueError" in text
    for fragment in ("Ana", "Ivoire", "731945286"):
        assert fragment not in text, text


def test_filter_rewrites_records_with_arguments(caplog):
    logger = logging.getLogger("rasa.test.privacy")
    logger.addFilter(PersonalDataFilter())
    with caplog.at_level(logging.DEBUG, logger="rasa.test.privacy"):
        logger.debug("Predicted for conversation '%s' text '%s'", "555666777", "Ana Diallo")
    assert "Ana Diallo" not in caplog.text and "555666777" not in caplog.text


MARKER = "Zq9Kx"
_texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


TEMPLATES = [
    "Received user message '%s' with intent '{'name': 'inform'}'",
    'Tracker "%s" saved',
    "[generated in 0.00012s] ('%s', 731945286)",
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(before=_texts, after=_texts, template=st.sampled_from(TEMPLATES), as_json=st.booleans())
def test_no_random_text_survives_in_any_template(before, after, template, as_json):
    text = before + MARKER + after
    line = template % text
    if as_json:  # a structlog event, or JSON nested in a string value
        line = json.dumps({"event": "x", "data": {"raw": [json.dumps({"note": line})]}})
    assert MARKER not in scrub(line, "rasa")


def test_values_passed_as_extra_are_scrubbed_like_sanic_access_logs():
    install_log_redaction()
    logger = logging.getLogger("sanic.access.privacytest")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(request)s %(status)d"))
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.info(
        "", extra={"request": "GET /conversations/55501/tracker?token=s3cr3t", "status": 200}
    )
    assert stream.getvalue().strip() == "GET /conversations/<redacted>/tracker?token=<redacted> 200"
