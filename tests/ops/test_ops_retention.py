"""``tracer purge`` and ``tracer reconcile`` on a migrated SQLite file with a Rasa tracker."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.config import load_settings
from bot.ops.tracker_events import EVENTS
from bot.storage.db import session_scope
from bot.storage.models import Answer, utcnow
from bot.storage.repository import TracerStore
from tests.ops.helpers import FakeTracker
from tests.outreach.helpers import outreach_env, run_cli

DAY = 86400.0


@pytest.fixture
def env(tmp_path):
    return outreach_env(tmp_path)


@pytest.fixture
def store(env) -> TracerStore:
    return TracerStore(load_settings(env))


def _answers(env) -> list[tuple[str, object, bool, str | None]]:
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        rows = session.execute(select(Answer).order_by(Answer.id)).scalars()
        return [(a.question_code, a.value_json, a.is_current, a.raw_text) for a in rows]


def _events(env, type_name: str) -> list[dict]:
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        rows = session.execute(
            select(EVENTS.c.data).where(EVENTS.c.type_name == type_name).order_by(EVENTS.c.id)
        )
        return [json.loads(data) for (data,) in rows]


# -- purge ------------------------------------------------------------------------------------
def _populate_for_purge(env, store):
    trainee = store.register_consent("chat-1", "rest", "en")
    store.store_answer(trainee.id, "baseline", "bl_birth_year", 2001, raw_text="2001",
                       source_message_id="old")  # fmt: skip
    store.store_answer(trainee.id, "baseline", "bl_desired_occupation", "welder",
                       raw_text="I want to weld", source_message_id="new")  # fmt: skip
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        session.execute(
            update(Answer)
            .where(Answer.source_message_id == "old")
            .values(answered_at=utcnow() - timedelta(days=120))
        )
    tracker = FakeTracker(env["TRACER_DATABASE_URL"], time.time() - 120 * DAY)
    tracker.ask("chat-1", "bl_birth_year")
    tracker.user("chat-1", "born in 2001, call me at +221 77 123 45 67", entities={"n": "2001"})
    tracker.time = time.time() - DAY
    tracker.user("chat-1", "I want to weld")


def test_purge_scrubs_old_texts_keeps_codes_and_is_idempotent(env, store):
    _populate_for_purge(env, store)
    result = run_cli(env, "purge", "--older-than-days", "90")
    assert result.exit_code == 0, result.output
    assert "1 answers, 1 user messages and 1 slot values" in result.output
    assert _answers(env) == [
        ("bl_birth_year", 2001, True, None),
        ("bl_desired_occupation", "welder", True, "I want to weld"),
    ]
    old, new = _events(env, "user")
    assert old["text"] is None and old["parse_data"]["text"] is None
    assert old["parse_data"]["intent"]["name"] == "inform"
    assert old["parse_data"]["entities"] == [{"entity": "n", "value": "2001"}]
    assert old["message_id"]
    assert new["text"] == "I want to weld"
    answer_slots = [e["value"] for e in _events(env, "slot") if e["name"] == "answer"]
    assert answer_slots == [None, None, "I want to weld"]

    again = run_cli(env, "purge", "--older-than-days", "90")
    assert "0 answers, 0 user messages and 0 slot values" in again.output


def test_purge_dry_run_counts_but_changes_nothing(env, store):
    _populate_for_purge(env, store)
    before = (_answers(env), _events(env, "user"))
    result = run_cli(env, "purge", "--older-than-days", "90", "--dry-run")
    assert result.exit_code == 0
    assert "Would scrub" in result.output and "1 answers, 1 user messages" in result.output
    assert (_answers(env), _events(env, "user")) == before


def test_purge_defaults_to_the_retention_setting(tmp_path):
    env = outreach_env(tmp_path, TRACER_RAW_TEXT_RETENTION_DAYS="0")
    store = TracerStore(load_settings(env))
    trainee = store.register_consent("chat-2", "rest", "en")
    store.store_answer(trainee.id, "baseline", "bl_birth_year", 1999, raw_text="1999",
                       source_message_id="m")  # fmt: skip
    result = run_cli(env, "purge")
    assert result.exit_code == 0 and "older than 0 days" in result.output
    assert "1 answers, 0 user messages" in result.output  # no tracker table yet: still fine


def test_purge_rejects_a_negative_age(env):
    result = run_cli(env, "purge", "--older-than-days", "-1")
    assert result.exit_code != 0 and "Traceback" not in result.output


# -- reconcile --------------------------------------------------------------------------------
def _conversation(env, store):
    """A registered trainee who answered two questions and asked for help once."""
    store.register_consent("chat-9", "rest", "en")
    tracker = FakeTracker(env["TRACER_DATABASE_URL"], time.time() - 3600)
    tracker.ask("chat-9", "bl_sex")
    sex = tracker.user("chat-9", '/inform{"choice":"female"}', entities={"choice": "female"})
    tracker.ask("chat-9", "bl_birth_year")
    tracker.user("chat-9", "help", intent="help", confidence=0.99)
    tracker.ask("chat-9", "bl_birth_year")
    year = tracker.user("chat-9", "two thousand and one")
    tracker.ask("chat-9", "bl_education")
    tracker.user("chat-9", "banana", intent="out_of_scope", confidence=0.5)  # unreadable
    # A stranger who never consented: nothing to store for them.
    tracker.ask("stranger", "bl_sex")
    tracker.user("stranger", "male")
    return tracker, sex, year


def test_reconcile_restores_missing_answers_exactly_once(env, store):
    _, sex, year = _conversation(env, store)
    result = run_cli(env, "reconcile")
    assert result.exit_code == 0, result.output
    assert "restored 2" in result.output and "1 without a registered trainee" in result.output
    rows = _answers(env)
    assert sorted(r[:3] for r in rows) == [
        ("bl_birth_year", 2001, True),
        ("bl_sex", "female", True),
    ]
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        ids = set(session.execute(select(Answer.source_message_id)).scalars())
    assert ids == {sex, year}

    again = run_cli(env, "reconcile")
    assert "2 already stored, restored 0" in again.output
    assert _answers(env) == rows


def test_reconcile_dry_run_and_later_answers_win(env, store):
    tracker, _, _ = _conversation(env, store)
    trainee = store.find_trainee("chat-9")
    # The trainee corrected the year later in a message the tracker does not have.
    tracker.time = time.time() + 10
    store.store_answer(trainee.id, "baseline", "bl_birth_year", 2002, raw_text="2002",
                       source_message_id="later")  # fmt: skip
    dry = run_cli(env, "reconcile", "--dry-run")
    assert "would restore 1" in dry.output and "1 superseded by a later reply" in dry.output
    assert len(_answers(env)) == 1
    run_cli(env, "reconcile")
    current = {code: value for code, value, is_current, _ in _answers(env) if is_current}
    assert current == {"bl_birth_year": 2002, "bl_sex": "female"}


def test_reconcile_never_resurrects_deleted_personal_data(env, store):
    _conversation(env, store)
    run_cli(env, "reconcile")
    store.delete_personal_data(store.find_trainee("chat-9").id)
    result = run_cli(env, "reconcile")
    assert "restored 0" in result.output
    assert _answers(env) == []


def test_reconcile_without_tracker_table(env):
    result = run_cli(env, "reconcile")
    assert result.exit_code == 0 and "Checked 0 answer messages" in result.output
