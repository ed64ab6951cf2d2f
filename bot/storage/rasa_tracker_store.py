"""Rasa's SQL tracker store on Tracer's own database (``TRACER_DATABASE_URL``).

Rasa's ``SQLTrackerStore`` takes dialect/host/db pieces and sets no busy timeout on SQLite;
this subclass builds them from the one database URL Tracer uses and adds WAL + a busy
timeout, so Rasa and the action server can share one SQLite file under concurrent chats.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import weakref
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Iterator, TypeVar

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import bindparam, create_engine, event, func, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import QueuePool

from bot import rasa_speedups
from bot.config import get_settings
from bot.gc_freeze import freeze_when_loop_is_free
from bot.logging_filters import install_log_redaction
from bot.storage.db import SQLITE_BUSY_TIMEOUT_MS, _prepare_sqlite
from bot.storage.tracker_recall import Kept, KeptTrackers, Loaded, Stamp, stays_in_session

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
        # sender → the tracker last handed out for it, how many of its events are stored
        self._loaded: OrderedDict[str, Loaded] = OrderedDict()
        # sender → the tracker last saved for it, handed back while its rows are unchanged
        self._kept = KeptTrackers(TRACKERS_KEPT_FOR_RECALL)
        table = self.SQLEvent.__table__
        self._stamp_query = select(func.count(table.c.id), func.max(table.c.id)).where(
            table.c.sender_id == bindparam("sender_id"), table.c.id >= bindparam("first_id")
        )

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
        self._loaded.pop(sender_id, None)
        if fetch_events_from_all_sessions:
            every_session, _stamp = await _with_retries(lambda: self._read(sender_id, True))
            return every_session
        tracker: Any = None
        stamp: Stamp | None = None
        kept = self._kept.take(sender_id, self.domain)
        if kept is not None and await _with_retries(lambda: self._still_stored(sender_id, kept)):
            tracker, stamp = kept.tracker, kept.stamp
        else:
            tracker, stamp = await _with_retries(lambda: self._read(sender_id, False))
        if tracker is not None and stamp is not None:  # a tracker read has its rows' stamp
            self._loaded[sender_id] = Loaded(weakref.ref(tracker), len(tracker.events), stamp)
            while len(self._loaded) > LOADED_TRACKERS_KEPT:
                self._loaded.popitem(last=False)
        return tracker

    async def _read(self, sender_id: str, all_sessions: bool) -> tuple[Any, Stamp | None]:
        """Rasa's ``_retrieve`` (the session's rows, parsed and replayed), and their stamp."""
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id, all_sessions).all()
            if not self.domain or not rows:
                return None, None
            events = [json.loads(row.data) for row in rows]
            stamp = Stamp(rows[0].id, len(rows), rows[-1].id)
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots), stamp

    def _stamp_now(self, sender_id: str, first_id: int) -> tuple[int, int | None]:
        """How many rows the conversation has from ``first_id`` on, and the last one's id
        (one Core statement on a pooled connection: no ORM session for two numbers)."""
        with self.engine.connect() as connection:
            count, last = connection.execute(
                self._stamp_query, {"sender_id": sender_id, "first_id": first_id}
            ).one()
        return count, last

    async def _still_stored(self, sender_id: str, kept: Kept) -> bool:
        stamp = kept.stamp
        return self._stamp_now(sender_id, stamp.first_id) == (stamp.count, stamp.last_id)

    def _additional_events(self, session: Any, tracker: Any) -> Iterator:
        """The events of ``tracker`` not stored yet: those after the ones it was loaded with
        (Rasa counts the stored events of the session with a query on every save). A tracker
        this store did not load for this save (or loaded across sessions) is counted Rasa's way.
        """
        events = tracker.events
        loaded = self._loaded.pop(tracker.sender_id, None)
        if loaded is None or loaded.tracker() is not tracker:
            return super()._additional_events(session, tracker)
        return itertools.islice(events, loaded.stored_events, len(events))

    async def save(self, tracker: Any) -> None:
        sender_id = tracker.sender_id
        self._kept.forget(sender_id)
        loaded = self._loaded.get(sender_id)
        await _with_retries(lambda: super(TracerSQLTrackerStore, self).save(tracker))
        if erased_in_last_turn(tracker):
            await _with_retries(lambda: self._erase_conversation(sender_id))
        elif loaded is not None and loaded.tracker() is tracker:
            await _with_retries(lambda: self._keep(tracker, loaded))

    async def _keep(self, tracker: Any, loaded: Loaded) -> None:
        """Keep the saved tracker for the next message when the database holds exactly the
        rows it was loaded with plus the events just saved (see ``tracker_recall``)."""
        new_events = list(itertools.islice(tracker.events, loaded.stored_events, None))
        if not stays_in_session(tracker, new_events):
            return
        count, last = self._stamp_now(tracker.sender_id, loaded.stamp.first_id)
        if last is None or count != loaded.stamp.count + len(new_events):
            return
        stamp = Stamp(loaded.stamp.first_id, count, last)
        self._kept.keep(tracker.sender_id, Kept(tracker, len(tracker.events), stamp, self.domain))

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
TRACKERS_KEPT_FOR_RECALL = 1024  # about 50 kB each at the end of a baseline
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
