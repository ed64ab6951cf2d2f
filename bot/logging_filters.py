"""Keep secrets and personal data out of logs, at every level including DEBUG, for every logger.

Rasa logs user texts, slot values and conversation ids (a Telegram chat id *is* the
conversation id) in plain messages (``Received user message '...'``) and in structlog JSON
events (``{"event": ..., "text": ..., "sender_id": ...}``); SQLAlchemy logs statement
parameters, httpx logs Bot API URLs (with the bot token), Sanic and rasa-sdk log tracebacks whose
exception text may quote a message.  :func:`install_log_redaction` makes every ``LogRecord`` of
the process pass through :func:`scrub_record` when it is *created* (a log-record factory), so no
logger, handler or propagation setting can bypass it:

- plain messages: everything from the first quote character to the last one is redacted
  (user text may itself hold quotes, apostrophes or newlines, and be of any length); ids after
  "sender"/"conversation"/"chat"/"session" words, long digit runs, long hex ids, secrets in URLs
  (``?token=``, ``/bot<TOKEN>/``) and bearer tokens are redacted;
- JSON messages (structlog events) and JSON embedded in strings: personal keys are redacted at
  any depth, string values holding a quote are redacted whole, the others are scrubbed as plain
  messages;
- exceptions: the traceback keeps its frames (file, line, code) and the exception text is
  scrubbed; structlog's dict tracebacks lose their ``locals``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
import traceback
from types import TracebackType
from typing import Any

REDACTED = "<redacted>"
_SCRUBBED_FLAG = "_tracer_scrubbed"
_BOT_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_URL_SECRET = re.compile(
    r"(?i)([?&;](?:token|access_token|auth_token|auth|secret|api_key|key|password|code|start"
    r"|session_id|sender|sig|signature)=)[^&;\s'\"#]*"
)
_BEARER = re.compile(r"(?i)\b(bearer|token|secret)(\s*[:= ]\s*)[A-Za-z0-9._~+/=-]{8,}")
_CONVERSATION_URL = re.compile(r"(/conversations/)[^/\s?'\"]+")
_ID_AFTER_WORD = re.compile(
    r"(?i)\b(sender(?:[ _-]?id)?|conversation(?:[ _-]?id)?|session(?:[ _-]?id)?"
    r"|chat(?:[ _-]?id)?|recipient(?:[ _-]?id)?|user[ _-]?id|for id|id)"
    r"(\s*[:=#]?\s*)(?=[^\s]*\d)([^\s,;)\]}>'\"]+)"
)
_LONG_NUMBER = re.compile(r"(?<![\w.])[-+]?\d[\d ]{5,}\d(?![\w.])|(?<!\w)-?\d{6,}(?!\w)")
_LONG_HEX = re.compile(r"(?i)(?<![0-9a-z])(?:[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?"
                       r"[0-9a-f]{4}-?[0-9a-f]{12}|[0-9a-f]{16,})(?![0-9a-z])")  # fmt: skip
_QUOTE = re.compile("['\"`\u2018\u2019\u201c\u201d\u00ab\u00bb]")
_NOISY_LOGGERS = ("httpx", "httpcore", "telegram.ext", "apscheduler")
# Loggers set to DEBUG too when TRACER_LOG_LEVEL=DEBUG (their output is scrubbed like any other).
_LIBRARY_LOGGERS = (
    *_NOISY_LOGGERS,
    "telegram",
    "sqlalchemy.engine",
    "sanic.root",
    "sanic.error",
    "sanic.access",
    "socketio",
    "engineio",
    "rasa",
    "rasa_sdk",
)
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
    "entities",
    "token_text",
    "user_message",
    "json_message",
    "sender_id",
    "conversation_id",
    "sender",
    "recipient_id",
    "chat_id",
    "session_id",
    "events",
    "slots",
    "value",
    "metadata",
    "tracker",
    "locals",
    "payload",
    "body",
    "token",
}
_MAX_DEPTH = 20


def _scrub_plain(message: str) -> str:
    """A free-text message with quoted content, ids and secrets redacted."""
    quotes = [m.start() for m in _QUOTE.finditer(message)]
    if quotes:
        first, last = quotes[0], quotes[-1]
        tail = message[last:] if last > first else ""
        message = message[: first + 1] + REDACTED + tail
    message = _CONVERSATION_URL.sub(r"\1" + REDACTED, message)
    message = _ID_AFTER_WORD.sub(lambda m: m.group(1) + m.group(2) + REDACTED, message)
    message = _LONG_HEX.sub(REDACTED, message)
    return _LONG_NUMBER.sub(REDACTED, message)


def _scrub_secrets(message: str) -> str:
    message = _BOT_TOKEN.sub(REDACTED, message)
    message = _URL_SECRET.sub(r"\1" + REDACTED, message)
    return _BEARER.sub(lambda m: m.group(1) + m.group(2) + REDACTED, message)


def _parse_json(text: str) -> Any:
    stripped = text.strip()
    if stripped[:1] not in ("{", "["):
        return None
    try:
        return json.loads(stripped)
    except ValueError:
        return None


def _scrub_value(value: Any, depth: int = 0) -> Any:
    """A JSON-like value with personal keys redacted and every string scrubbed, at any depth."""
    if depth > _MAX_DEPTH:
        return REDACTED
    if isinstance(value, dict):
        return {
            key: REDACTED if str(key).lower() in _PERSONAL_KEYS else _scrub_value(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_scrub_value(item, depth + 1) for item in value]
    if isinstance(value, str):
        nested = _parse_json(value)
        if isinstance(nested, (dict, list)):
            return json.dumps(_scrub_value(nested, depth + 1), ensure_ascii=False)
        if _QUOTE.search(value):  # a value holding quotes is free text: all of it goes
            return REDACTED
        return _scrub_plain(_scrub_secrets(value))
    return value


def scrub(message: str, logger_name: str = "root") -> str:
    """The log message with tokens, quoted user content, ids and personal JSON keys redacted.

    ``logger_name`` is kept for callers; every logger is scrubbed the same way.
    """
    message = _scrub_secrets(str(message))
    parsed = _parse_json(message)
    if isinstance(parsed, (dict, list)):
        return json.dumps(_scrub_value(parsed), ensure_ascii=False)
    return _scrub_plain(message)


def scrub_traceback(
    exc_type: type[BaseException] | None,
    exc_value: BaseException | None,
    exc_tb: TracebackType | None,
) -> str:
    """A formatted traceback whose frames are kept and whose exception texts are scrubbed."""
    if exc_type is None or exc_value is None:
        return ""
    summary = traceback.TracebackException(exc_type, exc_value, exc_tb)
    return "".join(_traceback_parts(summary, set())).rstrip("\n")


def _traceback_parts(summary: traceback.TracebackException, seen: set[int]) -> list[str]:
    seen.add(id(summary))
    parts: list[str] = []
    cause, context = summary.__cause__, summary.__context__
    if cause is not None and id(cause) not in seen:
        parts += _traceback_parts(cause, seen)
        parts.append("\nThe above exception was the direct cause of the following exception:\n\n")
    elif context is not None and not summary.__suppress_context__ and id(context) not in seen:
        parts += _traceback_parts(context, seen)
        parts.append("\nDuring handling of the above exception, another exception occurred:\n\n")
    if summary.stack:
        parts.append("Traceback (most recent call last):\n")
        for frame in summary.stack:
            parts.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n')
            if frame.line:  # source code is no personal data, but scrubbing it costs nothing
                parts.append(f"    {scrub(frame.line.strip())}\n")
    parts.append(scrub("".join(summary.format_exception_only())).rstrip("\n") + "\n")
    return parts


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """Rewrite ``record`` in place (once): scrubbed message, no args, scrubbed traceback."""
    if getattr(record, _SCRUBBED_FLAG, False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # a malformed record: drop its arguments rather than crash
        message = str(record.msg)
    record.msg = scrub(message, record.name)
    record.args = ()
    if record.exc_info:
        record.exc_text = scrub_traceback(*record.exc_info)
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = scrub(record.exc_text)
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)
    setattr(record, _SCRUBBED_FLAG, True)
    return record


_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def scrub_extras(record: logging.LogRecord) -> None:
    """Scrub the string attributes passed with ``extra=`` (e.g. Sanic's access-log URL).

    ``Logger.makeRecord`` sets them after the record factory ran, so they are scrubbed when a
    handler takes the record (see :func:`install_log_redaction`); scrubbing twice is harmless.
    """
    for key, value in list(vars(record).items()):
        if key not in _STANDARD_ATTRIBUTES and isinstance(value, str):
            setattr(record, key, scrub(value))


def _scrubbing_handle(handle: Any) -> Any:
    def handle_scrubbed(self: logging.Handler, record: logging.LogRecord) -> Any:
        scrub_record(record)
        scrub_extras(record)
        return handle(self, record)

    handle_scrubbed.tracer_scrubbing = True  # type: ignore[attr-defined]
    return handle_scrubbed


class PersonalDataFilter(logging.Filter):
    """Scrubs each record through :func:`scrub_record` (for handlers built before install)."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub_record(record)
        return True


class _ScrubbingFactory:
    """A log-record factory that scrubs every record of the process as it is created."""

    def __init__(self, base: Any) -> None:
        self.base = base

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub_record(self.base(*args, **kwargs))


def _log_uncaught(
    exc_type: type[BaseException], exc_value: BaseException, exc_tb: TracebackType | None
) -> None:
    logging.getLogger("tracer.uncaught").error(
        "uncaught exception", exc_info=(exc_type, exc_value, exc_tb)
    )


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    _log_uncaught(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)


def _set_library_levels() -> None:
    """Quieten HTTP client logs, unless TRACER_LOG_LEVEL=DEBUG asks for every logger at DEBUG."""
    if os.environ.get("TRACER_LOG_LEVEL", "").upper() == "DEBUG":
        for name in _LIBRARY_LOGGERS:
            logging.getLogger(name).setLevel(logging.DEBUG)
        return
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Scrub every log record of this process, whatever logger or handler it goes through.

    Installs the record factory and a scrubbing step in ``logging.Handler.handle`` (every
    handler, also those made later; idempotent), a filter on ``logger`` (root by default) and
    its handlers, routes warnings and uncaught exceptions through logging, and sets levels.
    """
    if not getattr(logging.Handler.handle, "tracer_scrubbing", False):
        logging.Handler.handle = _scrubbing_handle(logging.Handler.handle)  # type: ignore[method-assign]
    current = logging.getLogRecordFactory()
    if not isinstance(current, _ScrubbingFactory):
        logging.setLogRecordFactory(_ScrubbingFactory(current))
    logger = logger or logging.getLogger()
    redactor = PersonalDataFilter()
    if not any(isinstance(f, PersonalDataFilter) for f in logger.filters):
        logger.addFilter(redactor)
    for handler in logger.handlers:
        if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
            handler.addFilter(redactor)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread
    _set_library_levels()
