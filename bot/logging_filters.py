"""Keep secrets and personal data out of logs: token redaction and quiet HTTP client loggers."""

from __future__ import annotations

import logging
import re

_BOT_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
_NOISY_LOGGERS = ("httpx", "httpcore", "telegram.ext", "apscheduler")


class RedactingFilter(logging.Filter):
    """Replaces Telegram bot tokens in any log record by ``<redacted>``."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _BOT_TOKEN.search(message):
            record.msg = _BOT_TOKEN.sub("<redacted>", message)
            record.args = ()
        return True


def install_log_redaction(logger: logging.Logger) -> None:
    """Add the redacting filter to ``logger``'s handlers and quieten HTTP client loggers."""
    redactor = RedactingFilter()
    logger.addFilter(redactor)
    for handler in logger.handlers:
        handler.addFilter(redactor)
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
