"""Rasa's SQL tracker store on Tracer's own database (``TRACER_DATABASE_URL``).

Rasa's ``SQLTrackerStore`` takes dialect/host/db pieces and sets no busy timeout on SQLite;
this subclass builds them from the one database URL Tracer uses and adds WAL + a busy
timeout, so Rasa and the action server can share one SQLite file under concurrent chats.
"""

from __future__ import annotations

from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import event
from sqlalchemy.engine import make_url

from bot.config import get_settings
from bot.logging_filters import install_log_redaction
from bot.storage import rasa_speedups
from bot.storage.db import SQLITE_BUSY_TIMEOUT_MS, _prepare_sqlite

# Rasa imports this module while loading its endpoints, after configuring logging: from here on
# every Rasa log line (DEBUG included) is scrubbed of user texts and conversation ids.
install_log_redaction()
# ... and Rasa's per-response schema check stops re-validating its own schema (rasa_speedups).
rasa_speedups.install()


class TracerSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` configured from Tracer's settings."""

    def __init__(
        self, domain: Any = None, host: Any = None, event_broker: Any = None, **kwargs: Any
    ) -> None:
        url_text = kwargs.pop("url", None) or get_settings().database_url
        url = make_url(url_text)
        if url.drivername.startswith("sqlite"):
            _prepare_sqlite(url_text)
        super().__init__(
            domain=domain,
            dialect=url.drivername,
            host=url.host,
            port=url.port,
            db=url.database or "",
            username=url.username,
            password=url.password,
            event_broker=event_broker,
            query=dict(url.query) or None,
            **kwargs,
        )
        if url.drivername.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
            self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()
