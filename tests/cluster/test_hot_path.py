"""The lean hot path: one survey turn reads each row once and stores an answer exactly once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import event

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


def test_rasa_action_response_check_is_cached_and_unchanged() -> None:
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    import bot.storage.rasa_tracker_store  # noqa: F401 - installs the speed-up as Rasa does
    from bot.storage.rasa_speedups import validate_action_result

    assert RemoteAction._validate_action_result is validate_action_result
    action = RemoteAction.__new__(RemoteAction)
    good = {
        "events": [{"event": "slot", "name": "step", "value": "q:x"}],
        "responses": [{"text": "hi", "buttons": [{"title": "a", "payload": "/b"}]}],
    }
    assert action._validate_action_result(good)
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": [{"event": 5}]})
