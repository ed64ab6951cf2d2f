"""Keep secrets and personal data out of logs, at every level including DEBUG.

Rasa logs user texts, slot values and conversation ids (a Telegram chat id *is* the
conversation id) in plain messages (``Received user message '...'``) and in structlog JSON
events (``{"event": ..., "text": ..., "sender_id": ...}``). :class:`PersonalDataFilter` scrubs
both before any handler writes them: quoted strings and long digit runs in plain messages,
and the values of personal keys in JSON events. Bot tokens are always redacted.
"""

from __future__ import annotations

import json
import logging
import re

REDACTED = "<redacted>"
_BOT_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_QUOTED = re.compile(r"'[^'\n]{1,2000}'|\"[^\"\n]{1,2000}\"")
_LONG_NUMBER = re.compile(r"(?<!\w)-?\d{6,}(?!\w)")
_NOISY_LOGGERS = ("httpx", "httpcore", "telegram.ext", "apscheduler")
_PERSONAL_KEYS = {
    "text",
    "response_text",
    "user_text",
    "slot_values",
    "parse_data_text",
    "parse_data_entities",
    "prediction_events",
    "tracker_latest_message",
    "prefilled_slots",
    "message",
    "response",
    "slot_candidates",
    "rasa_event",
    "rasa_events",
    "tracker_states",
    "current_states",
    "old_states",
    "successes",
    "current_entity",
    "next_entity",
    "states",
    "entity",
    "token_text",
    "user_message",
    "json_message",
    "sender_id",
    "conversation_id",
    "sender",
    "recipient_id",
    "events",
    "slots",
    "value",
    "metadata",
    "tracker",
}
# Loggers whose plain messages may embed user content: scrub quoted text and long numbers.
_SCRUBBED_PREFIXES = (
    "rasa",
    "rasa_sdk",
    "sanic",
    "socketio",
    "engineio",
    "actions",
    "bot",
    "telegram",
    "root",
)


def _scrub_json_event(message: str) -> str | None:
    try:
        event = json.loads(message)
    except ValueError:
        return None
    if not isinstance(event, dict):
        return None
    for key in list(event):
        if key in _PERSONAL_KEYS:
            event[key] = REDACTED
    if isinstance(event.get("event"), str):
        event["event"] = _scrub_plain(event["event"])
    return json.dumps(event, ensure_ascii=False)


def _scrub_plain(message: str) -> str:
    message = _QUOTED.sub(lambda m: m.group(0)[0] + REDACTED + m.group(0)[0], message)
    return _LONG_NUMBER.sub(REDACTED, message)


def scrub(message: str, logger_name: str = "root") -> str:
    """The log message with tokens, quoted user content, ids and personal JSON keys redacted."""
    message = _BOT_TOKEN.sub(REDACTED, message)
    if message.startswith("{"):
        scrubbed = _scrub_json_event(message)
        if scrubbed is not None:
            return scrubbed
    if logger_name.split(".")[0] in _SCRUBBED_PREFIXES:
        return _scrub_plain(message)
    return message


class PersonalDataFilter(logging.Filter):
    """Rewrites each record's message through :func:`scrub`."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: drop its arguments rather than crash
            message = str(record.msg)
        scrubbed = scrub(message, record.name)
        if scrubbed != message or record.args:
            record.msg = scrubbed
            record.args = ()
        if record.exc_info and record.levelno < logging.ERROR:
            record.exc_info = None
        return True


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Add the filter to ``logger`` (root by default) and all its handlers; quieten HTTP logs."""
    logger = logger or logging.getLogger()
    redactor = PersonalDataFilter()
    if not any(isinstance(f, PersonalDataFilter) for f in logger.filters):
        logger.addFilter(redactor)
    for handler in logger.handlers:
        if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
            handler.addFilter(redactor)
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
