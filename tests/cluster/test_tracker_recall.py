"""A saved tracker handed back on the conversation's next message (``bot/storage/tracker_recall``)
is always what reading the database would give: whatever another Rasa process, an erasure, a
failed turn or a new session did in between."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from sqlalchemy import event

from bot.storage.rasa_tracker_store import TracerSQLTrackerStore


@pytest.fixture(scope="module", autouse=True)
def rasa_as_shipped_afterwards() -> Iterator[None]:
    """The store installs Tracer's Rasa speed-ups; other modules' tests expect them absent."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    patched = [(RemoteAction, "_validate_action_result"), (Event, "resolve_by_type"),
               (DialogueStateTracker, "applied_events")]  # fmt: skip
    shipped = [(owner, name, owner.__dict__[name]) for owner, name in patched]
    yield
    for owner, name, original in shipped:
        setattr(owner, name, original)


DOMAIN = Domain.from_dict({"slots": {"step": {"type": "any", "mappings": [{"type": "custom"}]}}})


def _store(path: Path) -> TracerSQLTrackerStore:
    return TracerSQLTrackerStore(domain=DOMAIN, url=f"sqlite:///{path}")


def _turn(label: str) -> list:
    return [UserUttered(label, {"name": "inform"}), SlotSet("step", label),
            ActionExecuted("action_listen")]  # fmt: skip


def _form_turn(label: str) -> list:
    """A message answered inside the survey form (Rasa undoes such loop turns on replay)."""
    return [UserUttered(label, {"name": "inform"}), ActionExecuted("survey_form"),
            SlotSet("step", label), ActionExecuted("action_listen")]  # fmt: skip


def _form_starts(label: str) -> list:
    return [UserUttered(label, {"name": "affirm"}), ActionExecuted("survey_form"),
            ActiveLoop("survey_form"), ActionExecuted("action_listen")]  # fmt: skip


def _new_session() -> list:
    return [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
    ]


def _state(tracker: Any) -> Any:
    return None if tracker is None else tracker.current_state(EventVerbosity.ALL)


def _answer(store: TracerSQLTrackerStore, sender: str, events: list) -> Any:
    """One message as Rasa handles it: load (or start) the tracker, add the events, save."""
    tracker = asyncio.run(store.retrieve(sender)) or DialogueStateTracker(sender, DOMAIN.slots)
    for new in events:
        tracker.update(new)
    asyncio.run(store.save(tracker))
    return tracker


def _erase(store: TracerSQLTrackerStore, sender: str) -> None:
    """What the action server does to another conversation of an erased trainee."""
    asyncio.run(store._erase_conversation(sender))


def test_the_next_message_gets_the_saved_tracker_without_reading_the_session(
    tmp_path: Path,
) -> None:
    store = _store(tmp_path / "t.db")
    _answer(store, "s", _new_session() + _turn("a"))
    _answer(store, "s", _turn("b"))  # loaded from the database, then kept
    saved = _answer(store, "s", _turn("c"))
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    recalled = asyncio.run(store.retrieve("s"))
    assert recalled is saved
    assert len(statements) == 1 and "count(events.id)" in statements[0]
    assert _state(recalled) == _state(asyncio.run(_store(tmp_path / "t.db").retrieve("s")))


def test_another_process_answering_in_between_is_read_from_the_database(tmp_path: Path) -> None:
    one, other = _store(tmp_path / "t.db"), _store(tmp_path / "t.db")
    _answer(one, "s", _new_session() + _turn("a"))
    _answer(one, "s", _turn("b"))
    _answer(other, "s", _turn("c"))  # the next message went to the other Rasa process
    tracker = asyncio.run(one.retrieve("s"))
    assert tracker.get_slot("step") == "c"
    assert _state(tracker) == _state(asyncio.run(other.retrieve("s")))


def test_an_erased_conversation_is_not_handed_back(tmp_path: Path) -> None:
    one, action_server = _store(tmp_path / "t.db"), _store(tmp_path / "t.db")
    _answer(one, "s", _new_session() + _turn("a"))
    _answer(one, "s", _turn("b"))
    _erase(action_server, "s")
    assert asyncio.run(one.retrieve("s")) is None


def test_an_erasure_racing_a_save_is_seen(tmp_path: Path) -> None:
    one, action_server = _store(tmp_path / "t.db"), _store(tmp_path / "t.db")
    _answer(one, "s", _new_session() + _turn("a"))
    tracker = asyncio.run(one.retrieve("s"))
    _erase(action_server, "s")  # between this process's load and its save
    for new in _turn("b"):
        tracker.update(new)
    asyncio.run(one.save(tracker))
    fresh = asyncio.run(_store(tmp_path / "t.db").retrieve("s"))
    assert len(fresh.events) == 3  # only the turn saved after the erasure
    assert _state(asyncio.run(one.retrieve("s"))) == _state(fresh)


@pytest.mark.parametrize("when", ["a turn crashed before its save", "after the save"])
def test_a_tracker_with_unsaved_events_is_not_handed_back(tmp_path: Path, when: str) -> None:
    store = _store(tmp_path / "t.db")
    _answer(store, "s", _new_session() + _turn("a"))
    saved = _answer(store, "s", _turn("b"))
    changed = asyncio.run(store.retrieve("s")) if when.startswith("a turn") else saved
    changed.update(UserUttered("unsaved", {"name": "inform"}))
    again = asyncio.run(store.retrieve("s"))
    assert again is not changed
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["a", "b"]


def test_a_new_session_is_read_back_as_rasa_reads_it(tmp_path: Path) -> None:
    store = _store(tmp_path / "t.db")
    _answer(store, "s", _new_session() + _turn("a"))
    _answer(store, "s", _turn("b"))
    time.sleep(0.01)
    _answer(store, "s", _new_session() + _turn("c"))  # the old session expired
    tracker = asyncio.run(store.retrieve("s"))
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["c"]


OPERATIONS = st.lists(
    st.sampled_from(
        [
            "answer",
            "form_starts",
            "form_answer",
            "other_answers",
            "erase",
            "crash",
            "new_session",
            "api_read",
        ]  # fmt: skip
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=40, deadline=None)
@given(OPERATIONS)
def test_whatever_happens_in_between_the_next_message_sees_the_database(
    tmp_path_factory: Any, operations: list[str]
) -> None:
    path = tmp_path_factory.mktemp("recall") / "t.db"
    one, other = _store(path), _store(path)
    for number, operation in enumerate(operations):
        label = f"{operation}-{number}"
        if operation == "answer":
            _answer(one, "s", _turn(label))
        elif operation == "form_starts":
            _answer(one, "s", _form_starts(label))
        elif operation == "form_answer":
            _answer(one, "s", _form_turn(label))
        elif operation == "other_answers":
            _answer(other, "s", _turn(label))
        elif operation == "erase":
            _erase(other, "s")
        elif operation == "crash":
            tracker = asyncio.run(one.retrieve("s"))
            if tracker is not None:
                tracker.update(UserUttered(label, {"name": "inform"}))
        elif operation == "new_session":
            time.sleep(0.002)
            _answer(one, "s", _new_session() + _turn(label))
        else:
            asyncio.run(one.retrieve_full_tracker("s"))
        assert _state(asyncio.run(one.retrieve("s"))) == _state(
            asyncio.run(_store(path).retrieve("s"))
        )
