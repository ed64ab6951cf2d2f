"""The trackers a Rasa process loaded and saved, kept to skip work on the conversation's next
message.

Rasa reads, parses and replays the whole session from the database on every message, and
counts the session's stored rows on every save: together about a fifth of the Rasa process's
time on a baseline at one chat, growing with the session. ``TracerSQLTrackerStore`` keeps,
per conversation, the tracker it last saved and a :class:`Stamp` of the rows the database
held for its session just after that save. On the next message one ``COUNT``/``MAX`` query
over those rows decides:

- the rows are exactly the stamped ones: the kept tracker is what reading them would rebuild
  (Rasa rebuilds a tracker by applying its events in order, ``from_events``, which is what
  happened to the kept one as its turns ran), and it is handed back;
- anything else (another Rasa process answered, the trainee's data was erased, the rows were
  edited over Rasa's HTTP API): the session is read from the database, as Rasa does.

A tracker is only kept when the save wrote exactly its new events after the rows it was loaded
with (the count checked against the stamp, so an erasure that raced the save is seen), when
those new events stay in the same session (no ``SessionStarted``, no time before the session's
start: Rasa selects a session's rows by time), and it is handed out once: a second reader
during the turn (the HTTP API) reads the database.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterable

from rasa.shared.core.events import SessionStarted


@dataclass(frozen=True)
class Stamp:
    """The stored rows of one session: from its first row's id, how many, and the last id."""

    first_id: int
    count: int
    last_id: int


@dataclass(frozen=True)
class Loaded:
    """A tracker of the latest session as this store handed it out: how many of its events are
    stored, and their stamp."""

    tracker: weakref.ref
    stored_events: int
    stamp: Stamp


@dataclass(frozen=True)
class Kept:
    """A saved tracker, its length at the save, the stamp of its rows, and the domain whose
    slots it was built with."""

    tracker: Any
    length: int
    stamp: Stamp
    domain: Any


class KeptTrackers:
    """At most ``capacity`` saved trackers, the least recently saved forgotten first."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._kept: OrderedDict[str, Kept] = OrderedDict()

    def keep(self, sender_id: str, kept: Kept) -> None:
        """Remember ``kept`` as the conversation's latest saved tracker."""
        self._kept.pop(sender_id, None)
        self._kept[sender_id] = kept
        while len(self._kept) > self.capacity:
            self._kept.popitem(last=False)

    def take(self, sender_id: str, domain: Any) -> Kept | None:
        """The kept tracker, removed from the book; None when there is none, when events were
        added to it after its save (a turn that failed before saving), or when the domain
        changed (a new model)."""
        kept = self._kept.pop(sender_id, None)
        if kept is None or kept.domain is not domain:
            return None
        if len(kept.tracker.events) != kept.length:
            return None
        return kept

    def forget(self, sender_id: str) -> None:
        """Drop whatever is kept for the conversation."""
        self._kept.pop(sender_id, None)


def stays_in_session(tracker: Any, new_events: Iterable[Any]) -> bool:
    """True when reading the session back would return ``new_events`` after the stored ones:
    none starts a session, and none is older than the session's start (Rasa reads a session
    as the rows from its latest ``SessionStarted`` time on)."""
    started = next(
        (e.timestamp for e in reversed(tracker.events) if isinstance(e, SessionStarted)), None
    )
    for new in new_events:
        if isinstance(new, SessionStarted):
            return False
        if started is not None and new.timestamp < started:
            return False
    return True
