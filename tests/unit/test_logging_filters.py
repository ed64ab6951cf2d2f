"""Log lines never carry user texts, conversation ids or bot tokens."""

from __future__ import annotations

import json
import logging

from bot.logging_filters import PersonalDataFilter, scrub


def test_rasa_plain_messages_lose_quoted_text_and_chat_ids():
    line = "Received user message 'I earn 150000 FCFA' with intent '{'name': 'inform'}'"
    assert "150000" not in scrub(line, "rasa.core.processor")
    assert "I earn" not in scrub(line, "rasa.core.processor")
    assert "987654321" not in scrub("Starting a new session for ID 987654321.", "rasa.core")


def test_structlog_json_events_lose_personal_keys():
    event = {
        "event": "processor.message",
        "text": "my name is Ana",
        "sender_id": "4242424242",
        "intent": "inform",
    }
    scrubbed = json.loads(scrub(json.dumps(event), "rasa.core.processor"))
    assert scrubbed["text"] == "<redacted>" and scrubbed["sender_id"] == "<redacted>"
    assert scrubbed["intent"] == "inform"


def test_bot_tokens_are_redacted_everywhere():
    token = "123456789:AAHk3b4xT6y7z8w9v0u1t2s3r4q5p6o7n8m"
    assert token not in scrub(f"POST https://api.telegram.org/bot{token}/getUpdates", "httpx")


def test_filter_rewrites_records_with_arguments(caplog):
    logger = logging.getLogger("rasa.test.privacy")
    logger.addFilter(PersonalDataFilter())
    with caplog.at_level(logging.DEBUG, logger="rasa.test.privacy"):
        logger.debug("Predicted for conversation '%s' text '%s'", "555666777", "Ana Diallo")
    assert "Ana Diallo" not in caplog.text and "555666777" not in caplog.text
