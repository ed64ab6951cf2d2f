"""Rasa's SQL tracker store on Tracer's own database (``TRACER_DATABASE_URL``).

Rasa's ``SQLTrackerStore`` takes dialect/host/db pieces and sets no busy timeout on SQLite;
this subclass builds them from the one database URL Tracer uses and adds WAL + a busy
timeout, so Rasa and the action server can share one SQLite file under concurrent chats.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import weakref
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Iterator, TypeVar

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from bot import rasa_speedups
from bot.config import get_settings
from bot.gc_freeze import freeze_when_loop_is_free
from bot.logging_filters import install_log_redaction
from bot.storage.db import SQLITE_BUSY_TIMEOUT_MS, _prepare_sqlite

OUTCOME_SLOT = "outcome"
ERASED_OUTCOME = "deleted"  # set by validate_survey_form when "delete my data" is confirmed

# Rasa imports this module while loading its endpoints, after configuring logging: from here on
# every Rasa log line (DEBUG included) is scrubbed of user texts and conversation ids.
install_log_redaction()


class TracerSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` configured from Tracer's settings."""

    engine: Engine

    def __init__(
        self, domain: Any = None, host: Any = None, event_broker: Any = None, **kwargs: Any
    ) -> None:
        # Rasa creates its tracker store once, at start-up: the moment to install the speed-up
        # of its per-response schema check (refused, with a warning, on another Rasa version).
        rasa_speedups.install()
        freeze_when_loop_is_free("Rasa start-up (model loaded)")
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
            self._use_pooled_sqlite_engine()
        # sender → (the tracker last loaded for it, how many stored events it was loaded with)
        self._loaded: OrderedDict[str, tuple[weakref.ref, int]] = OrderedDict()

    def _use_pooled_sqlite_engine(self) -> None:
        """Replace Rasa's SQLite engine (a new connection, and its pragmas, for every read and
        every save: 5 % of the Rasa process's time) with a small pool of open connections set
        up like the action server's (WAL, busy timeout, ``synchronous=NORMAL``)."""
        url = self.engine.url
        self.engine.dispose()
        pooled: dict[str, Any] = {}
        if url.database and url.database != ":memory:":
            pooled = {"poolclass": QueuePool, "pool_size": 5, "max_overflow": 10}
        self.engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            **pooled,
        )
        event.listen(self.engine, "connect", _sqlite_pragmas)
        self.sessionmaker = sessionmaker(bind=self.engine)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> Any:
        tracker: Any = await _with_retries(
            lambda: super(TracerSQLTrackerStore, self)._retrieve(
                sender_id, fetch_events_from_all_sessions
            )
        )
        self._loaded.pop(sender_id, None)
        if tracker is not None and not fetch_events_from_all_sessions:
            self._loaded[sender_id] = (weakref.ref(tracker), len(tracker.events))
            while len(self._loaded) > LOADED_TRACKERS_KEPT:
                self._loaded.popitem(last=False)
        return tracker

    def _additional_events(self, session: Any, tracker: Any) -> Iterator:
        """The events of ``tracker`` not stored yet: those after the ones it was loaded with
        (Rasa counts the stored events of the session with a query on every save). A tracker
        this store did not load for this save (or loaded across sessions) is counted Rasa's way.
        """
        events = tracker.events
        loaded = self._loaded.pop(tracker.sender_id, None)
        if loaded is None or loaded[0]() is not tracker:
            return super()._additional_events(session, tracker)
        return itertools.islice(events, loaded[1], len(events))

    async def save(self, tracker: Any) -> None:
        await _with_retries(lambda: super(TracerSQLTrackerStore, self).save(tracker))
        if erased_in_last_turn(tracker):
            await _with_retries(lambda: self._erase_conversation(tracker.sender_id))

    async def _erase_conversation(self, sender_id: str) -> None:
        """Delete every event of a conversation whose trainee was just erased.

        The action server erased the trainee (their other conversations included) while Rasa
        was serving this one; Rasa then re-writes the session's events on ``save``, so they are
        deleted here, after that write (idempotent; the next message starts a fresh tracker).
        """
        with self.session_scope() as session:
            session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete(
                synchronize_session=False
            )
            session.commit()


def erased_in_last_turn(tracker: Any) -> bool:
    """True when the actions answering the latest user message erased this trainee."""
    for tracker_event in reversed(tracker.events):
        if isinstance(tracker_event, UserUttered):
            return False
        if (
            isinstance(tracker_event, SlotSet)
            and tracker_event.key == OUTCOME_SLOT
            and tracker_event.value == ERASED_OUTCOME
        ):
            return True
    return False


T = TypeVar("T")
LOADED_TRACKERS_KEPT = 4096  # loads not followed by a save (API reads) are forgotten oldest first
log = logging.getLogger(__name__)
RETRY_DELAYS = (0.2, 0.5, 1.0, 2.0, 3.0)


async def _with_retries(call: Callable[[], Awaitable[T]]) -> T:
    """Retry a tracker read or write through a short database outage (about 7 s in all).

    Rasa's fail-safe wrapper would otherwise keep a failed save in memory only, or start a
    fresh tracker on a failed load, and the conversation would step back one question.
    """
    for delay in RETRY_DELAYS:
        try:
            return await call()
        except (OperationalError, DBAPIError) as error:
            if (
                isinstance(error, DBAPIError)
                and not error.connection_invalidated
                and not isinstance(error, OperationalError)
            ):
                raise
            log.warning(
                "tracker store unavailable (%s); retrying in %.1f s",
                error.__class__.__name__,
                delay,
            )
            await asyncio.sleep(delay)
    return await call()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
