"""The lean hot path: one survey turn reads each row once and stores an answer exactly once."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import pytest
from sqlalchemy import event

from bot import rasa_speedups
from bot.config import load_settings
from bot.devseed import seed_demo_programme
from bot.questionnaire.loader import default_questionnaire
from bot.storage.db import engine_for
from bot.storage.migrate import upgrade_database
from bot.storage.repository import TracerStore
from bot.survey.reads import turn_reads
from bot.survey.turn import Incoming, SurveyTurn, TurnResult, prompt_for_step
from tests.journeys import wave_script

KEY = "M2R0ZXN0a2V5LXRlc3RrZXktdGVzdGtleS10ZXN0a2U="


@pytest.fixture
def turn(tmp_path: Path) -> SurveyTurn:
    url = f"sqlite:///{tmp_path / 'hot.db'}"
    upgrade_database(url)
    seed_demo_programme(url)
    settings = load_settings(
        {
            "TRACER_DATABASE_URL": url,
            "TRACER_SECRET_KEY": "k",
            "TRACER_ENCRYPTION_KEY": KEY,
            "TRACER_ENV_FILE": str(tmp_path / "none.env"),
        }
    )
    return SurveyTurn(settings, default_questionnaire(), TracerStore(settings))


def _messages() -> list[tuple[str, str]]:
    script = [
        ("hello", "greet"),
        ("yes", "affirm"),
        ("English", "inform"),
        ('/inform{"choice":"demo"}', "inform"),
    ]
    return script + [(t.text, t.intent) for _code, t in wave_script("baseline", "en")[:6]]


def _converse(turn: SurveyTurn, sender: str, statements: list[int]) -> list[TurnResult]:
    """Run the scripted messages as the action does; SQL statements per turn appended."""
    counter = [0]
    event.listen(
        engine_for(turn.settings.database_url),
        "before_cursor_execute",
        lambda *_args: counter.__setitem__(0, counter[0] + 1),
    )
    step, language, results = None, None, []
    for index, (text, intent) in enumerate(_messages()):
        entities = json.loads(text[len("/inform") :]) if text.startswith("/inform") else {}
        incoming = Incoming(
            sender,
            "rest",
            text,
            intent,
            0.99,
            entities,
            f"{sender}:{index}",
            step,
            language,
            answers_step=step is not None,
        )
        before = counter[0]
        with turn_reads():
            result = turn.run(incoming)
            if result.step:
                prompt_for_step(turn, sender, result.step, result.language)
        statements.append(counter[0] - before)
        results.append(result)
        step, language = result.step, result.language
    return results


def test_an_answer_turn_takes_few_statements_and_stores_every_answer(turn: SurveyTurn) -> None:
    statements: list[int] = []
    results = _converse(turn, "hot-1", statements)
    assert results[-1].step and results[-1].step.startswith("q:")
    answer_turns = statements[5:]  # plain answers after registration and the first question
    assert max(answer_turns) <= 6, statements  # was 17 before the per-turn read memo
    trainee = turn.store.find_trainee("hot-1")
    stored = turn.store.current_answers(trainee.id)["baseline"]
    assert len(stored) == 6


def test_find_trainee_matches_the_full_lookup(turn: SurveyTurn) -> None:
    _converse(turn, "hot-2", [])
    store = turn.store
    quick = store.find_trainee("hot-2")
    assert quick == store.trainee_by_id(quick.id)
    assert quick.consented and quick.cohort_end is not None
    store.opt_out(quick.id)
    assert store.find_trainee("hot-2").consented is False
    assert store.find_trainee("nobody") is None


def test_a_stored_message_is_never_stored_twice(turn: SurveyTurn) -> None:
    _converse(turn, "hot-3", [])
    store = turn.store
    trainee = store.find_trainee("hot-3")
    code = next(iter(store.current_answers(trainee.id)["baseline"]))
    assert store.store_answer(
        trainee.id, "baseline", code, "x", raw_text="x", source_message_id="m-1"
    )
    assert not store.store_answer(
        trainee.id, "baseline", code, "y", raw_text="y", source_message_id="m-1"
    )
    assert store.current_answers(trainee.id)["baseline"][code].value == "x"


def test_reads_inside_a_turn_see_the_turns_own_writes(turn: SurveyTurn) -> None:
    _converse(turn, "hot-4", [])
    trainee = turn.store.find_trainee("hot-4")
    with turn_reads():
        before = turn.store.current_answers(trainee.id)["baseline"]
        turn.store.store_answer(
            trainee.id, "baseline", "bl_extra_test", 1, raw_text=None, source_message_id="m-2"
        )
        after = turn.store.current_answers(trainee.id)["baseline"]
        assert "bl_extra_test" in after and "bl_extra_test" not in before
        turn.store.set_language(trainee.id, "fr")
        assert turn.store.find_trainee("hot-4").language == "fr"


class _ActionServer(BaseHTTPRequestHandler):
    """A stand-in action server answering every call with ``reply`` (set by the test)."""

    reply: dict = {}

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps(self.reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def action_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ActionServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/webhook"
    server.shutdown()
    server.server_close()


@pytest.fixture
def unpatched_rasa(monkeypatch: pytest.MonkeyPatch) -> type:
    """Rasa's ``RemoteAction`` as Rasa ships it, restored after the test."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

    original = RemoteAction.__dict__["_validate_action_result"]
    if original is rasa_speedups.validate_action_result:
        pytest.fail("the speed-up was installed by an import, not explicitly at start-up")
    monkeypatch.setattr(RemoteAction, "_validate_action_result", original)
    monkeypatch.setattr(Event, "resolve_by_type", Event.__dict__["resolve_by_type"])
    tracker_class = DialogueStateTracker
    monkeypatch.setattr(tracker_class, "applied_events", tracker_class.__dict__["applied_events"])
    monkeypatch.setattr(rasa_speedups, "_validator", None)
    monkeypatch.setattr(rasa_speedups, "_event_types", {})
    return RemoteAction


def _run_remote_action(url: str, reply: dict) -> list:
    """Rasa's own ``RemoteAction.run`` against the stand-in action server."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    _ActionServer.reply = reply
    action = RemoteAction("validate_survey_form", EndpointConfig(url))
    run = action.run(
        CollectingOutputChannel(),
        TemplatedNaturalLanguageGenerator({}),
        DialogueStateTracker("hot-rasa", []),
        Domain.empty(),
    )
    return asyncio.run(run)


def test_rasa_calls_the_patched_response_check_on_a_real_action_call(
    unpatched_rasa: type, action_server: str
) -> None:
    from jsonschema import ValidationError
    from rasa.shared.core.events import BotUttered, SlotSet

    assert rasa_speedups.install()
    assert unpatched_rasa._validate_action_result is rasa_speedups.validate_action_result
    good = {
        "events": [{"event": "slot", "name": "step", "value": "q:x"}],
        "responses": [{"text": "hi", "buttons": [{"title": "a", "payload": "/b"}]}],
    }
    events = _run_remote_action(action_server, good)
    # The cached validator exists only if Rasa called the patched check on this call.
    assert rasa_speedups._validator is not None
    assert [e.text for e in events if isinstance(e, BotUttered)] == ["hi"]
    assert [(e.key, e.value) for e in events if isinstance(e, SlotSet)] == [("step", "q:x")]
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        _run_remote_action(action_server, {"events": [{"event": 5}]})


def test_the_speedup_refuses_another_rasa_version(
    unpatched_rasa: type, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import rasa.version

    shipped = unpatched_rasa._validate_action_result
    monkeypatch.setattr(rasa.version, "__version__", "3.7.0")
    with caplog.at_level(logging.WARNING, logger="bot.rasa_speedups"):
        assert not rasa_speedups.install()
    assert unpatched_rasa._validate_action_result is shipped
    assert "Rasa 3.7.0 is not 3.6.21" in caplog.text


def test_the_tracker_store_installs_the_speedup_at_start_up(
    unpatched_rasa: type, tmp_path: Path
) -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.storage.rasa_tracker_store import TracerSQLTrackerStore

    assert unpatched_rasa._validate_action_result is not rasa_speedups.validate_action_result
    assert Event.resolve_by_type is not rasa_speedups.resolve_event_type
    assert DialogueStateTracker.applied_events is not rasa_speedups.applied_events
    TracerSQLTrackerStore(url=f"sqlite:///{tmp_path / 'tracker.db'}")
    assert unpatched_rasa._validate_action_result is rasa_speedups.validate_action_result
    assert Event.resolve_by_type is rasa_speedups.resolve_event_type
    assert DialogueStateTracker.applied_events is rasa_speedups.applied_events


def test_stored_events_resolve_to_the_classes_rasa_resolves_them_to(unpatched_rasa: type) -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    rasas = Event.resolve_by_type
    names = {cls.type_name for cls in all_subclasses(Event)} | {"topic"}
    assert rasa_speedups.install()
    assert len(names) > 20
    for name in names:
        assert Event.resolve_by_type(name) is rasas(name), name
    assert Event.resolve_by_type("no-such-event", Event) is Event
    with pytest.raises(ValueError, match="Unknown event name 'no-such-event'"):
        Event.resolve_by_type("no-such-event")
    # a tracker read back from its stored form is the tracker that was stored
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

    events = [ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet"}),
              SlotSet("step", "q:x"), ActionExecuted("survey_form")]  # fmt: skip
    stored = DialogueStateTracker.from_events("s", events).current_state(EventVerbosity.ALL)
    assert list(DialogueStateTracker.from_dict("s", stored["events"]).events) == events

    class LaterEvent(SlotSet):  # imported after the table was built
        type_name = "tracer_test_later_event"

    assert Event.resolve_by_type("tracer_test_later_event") is LaterEvent


def _tracker_store(tmp_path: Path) -> Any:
    from rasa.shared.core.domain import Domain

    from bot.storage.rasa_tracker_store import TracerSQLTrackerStore

    domain = Domain.from_dict(
        {"slots": {"step": {"type": "any", "mappings": [{"type": "custom"}]}}}
    )
    return TracerSQLTrackerStore(domain=domain, url=f"sqlite:///{tmp_path / 'tracker.db'}")


def _turn(number: int) -> list:
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered

    return [UserUttered(f"message {number}", {"name": "inform"}), SlotSet("step", f"q:{number}"),
            ActionExecuted("action_listen")]  # fmt: skip


def test_each_event_is_stored_once_without_counting_the_stored_ones(tmp_path: Path) -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    store = _tracker_store(tmp_path)
    counts: list[str] = []

    def note_counts(*args: Any) -> None:
        if "count(*)" in args[2].lower():  # Rasa's count of the stored session
            counts.append(args[2])

    event.listen(store.engine, "before_cursor_execute", note_counts)
    expected = _turn(1)
    asyncio.run(store.save(DialogueStateTracker.from_events("s-1", expected)))  # never loaded
    assert len(counts) == 1  # Rasa's own count
    for number in (2, 3):  # the turns of a conversation: load, handle, save
        tracker = asyncio.run(store.retrieve("s-1"))
        for new in _turn(number):
            tracker.update(new)
        expected += _turn(number)
        asyncio.run(store.save(tracker))
        asyncio.run(store.save(tracker))  # saved twice in one turn: nothing stored twice
    assert list(asyncio.run(store.retrieve_full_tracker("s-1")).events) == expected
    assert len(counts) == 3  # only the second save of each turn counted

    # a tracker this store did not load (events replaced over the HTTP API) is counted
    asyncio.run(store.retrieve("s-1"))
    replaced = DialogueStateTracker.from_events("s-1", expected + _turn(4))
    asyncio.run(store.save(replaced))
    assert list(asyncio.run(store.retrieve_full_tracker("s-1")).events) == expected + _turn(4)


def test_the_tracker_store_keeps_its_sqlite_connections_open(tmp_path: Path) -> None:
    """Rasa's SQLite engine opened a connection, and ran its pragmas, for every load and save."""
    from rasa.shared.core.trackers import DialogueStateTracker

    store = _tracker_store(tmp_path)
    connects: list[object] = []
    event.listen(store.engine, "connect", lambda *args: connects.append(args[0]))
    asyncio.run(store.save(DialogueStateTracker.from_events("s-2", _turn(1))))
    for number in range(2, 12):
        tracker = asyncio.run(store.retrieve("s-2"))
        for new in _turn(number):
            tracker.update(new)
        asyncio.run(store.save(tracker))
    assert len(asyncio.run(store.retrieve("s-2")).events) == 33
    assert len(connects) == 1
    with store.engine.connect() as connection:  # set up as the action server's connections
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
