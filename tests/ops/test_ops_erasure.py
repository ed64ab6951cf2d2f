"""'Delete my data' erases a trainee everywhere, and ``tracer restore`` never brings them back."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.config import load_settings
from bot.security.crypto import keyed_hash
from bot.storage.db import session_scope
from bot.storage.migrate import alembic_config
from bot.storage.models import Erasure, Invitation, Outreach, utcnow
from bot.storage.rasa_tracker_store import erased_in_last_turn
from bot.storage.repository import TracerStore
from tests.ops.helpers import FakeTracker, every_value
from tests.outreach.helpers import outreach_env, run_cli

INVITE_CODE = "K7M2P9QXW4"
TYPED = "Ouagadougou-solar-Kabore"


@pytest.fixture
def env(tmp_path):
    return outreach_env(tmp_path)


def _db_path(env) -> Path:
    return Path(make_url(env["TRACER_DATABASE_URL"]).database)


def _trainee_with_history(env, store: TracerStore, tracker: FakeTracker, chats: list[str]):
    """A trainee reached on several chats, with answers, an invitation, outreach and events."""
    first = store.register_consent(chats[0], "telegram", "fr")
    for chat in chats[1:]:
        with session_scope(env["TRACER_DATABASE_URL"]) as session:
            store.add_contact(session, first.id, "socketio", chat)
    store.store_answer(first.id, "baseline", "bl_birth_year", 1994, raw_text="1994",
                       source_message_id="m-1")  # fmt: skip
    store.store_answer(first.id, "baseline", "bl_city", TYPED, raw_text=TYPED,
                       source_message_id="m-2")  # fmt: skip
    digest = keyed_hash(store.settings.secret_key, INVITE_CODE, purpose="invite")
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        session.add(Invitation(trainee_id=first.id, code_hash=digest))
        session.add(Outreach(trainee_id=first.id, wave="followup_6", due_at=utcnow()))
    for chat in chats:
        tracker.user(chat, f"/start {INVITE_CODE}", intent="start",
                     entities={"invite_code": INVITE_CODE})  # fmt: skip
        tracker.user(chat, TYPED)
    return first


def _needles(trainee, chats: list[str]) -> list[str]:
    return [trainee.pseudo_id, TYPED, INVITE_CODE, *chats]


def test_erasure_removes_rows_trackers_and_invitations_of_every_address(env):
    store = TracerStore(load_settings(env))
    tracker = FakeTracker(env["TRACER_DATABASE_URL"], 1_700_000_000.0)
    chats = ["731945286", "web-5f1c2a"]
    trainee = _trainee_with_history(env, store, tracker, chats)
    other = store.register_consent("other-chat", "rest", "en")
    tracker.user("other-chat", "hello")

    report = store.delete_personal_data(trainee.id)

    assert (report.trainees, report.contacts, report.events) == (1, 2, 8)
    dump = every_value(_db_path(env))
    for needle in _needles(trainee, chats):
        assert needle not in dump, needle
    assert store.find_trainee(chats[0]) is None and store.find_trainee(chats[1]) is None
    assert store.find_trainee("other-chat").id == other.id and "other-chat" in dump
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        kinds = sorted(k for (k,) in session.execute(select(Erasure.kind)))
        hashes = [d for (d,) in session.execute(select(Erasure.subject_hash))]
    assert kinds == ["address", "address", "contact", "contact", "trainee"]
    assert all(len(d) == 64 and int(d, 16) >= 0 for d in hashes)  # keyed hashes, nothing else


def test_erasing_twice_changes_nothing(env):
    store = TracerStore(load_settings(env))
    trainee = store.register_consent("chat-twice", "rest", "en")
    store.delete_personal_data(trainee.id)
    assert store.delete_personal_data(trainee.id).trainees == 0
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        assert session.execute(select(func.count(Erasure.id))).scalar_one() == 3


def test_restoring_an_older_backup_brings_nobody_erased_back(env, tmp_path):
    store = TracerStore(load_settings(env))
    tracker = FakeTracker(env["TRACER_DATABASE_URL"], 1_700_000_000.0)
    chats = ["5550001112", "web-erase-me"]
    trainee = _trainee_with_history(env, store, tracker, chats)
    kept = store.register_consent("kept-chat", "rest", "en")
    tracker.user("kept-chat", "I stay")
    backup = tmp_path / "before-erasure.bak"
    assert run_cli(env, "backup", "--out", str(backup)).exit_code == 0
    store.delete_personal_data(trainee.id)

    result = run_cli(env, "restore", str(backup), "--yes")

    assert result.exit_code == 0, result.output
    assert "1 erased trainees, 2 contacts and 8 conversation events removed again" in result.output
    dump = every_value(_db_path(env))
    for needle in _needles(trainee, chats):
        assert needle not in dump, needle
    assert store.find_trainee("kept-chat").id == kept.id and "I stay" in dump
    assert not list(_db_path(env).parent.glob("*.erasures-pending.json*"))


def _before_journal(env) -> str:
    """The revision just before the one creating the journal (whatever its number after merges)."""
    script = ScriptDirectory.from_config(alembic_config(env["TRACER_DATABASE_URL"]))
    journal = next(r for r in script.walk_revisions() if r.path.endswith("_erasure_journal.py"))
    return str(journal.down_revision)


def test_restoring_a_backup_older_than_the_journal_migrates_it_and_reapplies(env, tmp_path):
    store = TracerStore(load_settings(env))
    tracker = FakeTracker(env["TRACER_DATABASE_URL"], 1_700_000_000.0)
    trainee = _trainee_with_history(env, store, tracker, ["chat-old-schema"])
    backup = tmp_path / "old-schema.bak"
    run_cli(env, "backup", "--out", str(backup))
    # The backup's schema as it was before the journal (later migrations undone too).
    command.downgrade(alembic_config(f"sqlite:///{backup}"), _before_journal(env))
    store.delete_personal_data(trainee.id)

    result = run_cli(env, "restore", str(backup), "--yes")

    assert result.exit_code == 0, result.output
    dump = every_value(_db_path(env))
    for needle in _needles(trainee, ["chat-old-schema"]):
        assert needle not in dump, needle
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        assert session.execute(select(func.count(Erasure.id))).scalar_one() == 3


def test_a_failed_restore_keeps_the_journal_for_the_next_one(env, tmp_path):
    store = TracerStore(load_settings(env))
    trainee = store.register_consent("chat-pending", "rest", "en")
    backup = tmp_path / "b.bak"
    run_cli(env, "backup", "--out", str(backup))
    store.delete_personal_data(trainee.id)
    junk = tmp_path / "junk.bak"
    junk.write_text("not a database", encoding="utf-8")

    assert run_cli(env, "restore", str(junk), "--yes").exit_code == 1
    pending = _db_path(env).with_name(_db_path(env).name + ".erasures-pending.json")
    assert pending.exists() and pending.stat().st_mode & 0o077 == 0
    journal = pending.read_text()
    assert "chat-pending" not in journal and trainee.pseudo_id not in journal
    with session_scope(env["TRACER_DATABASE_URL"]) as session:  # even if the journal got lost
        session.execute(Erasure.__table__.delete())

    assert run_cli(env, "restore", str(backup), "--yes").exit_code == 0
    assert store.find_trainee("chat-pending") is None and not pending.exists()


def _tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("s", list(events))


def test_the_tracker_store_knows_when_the_last_turn_erased_the_trainee():
    erased = _tracker(
        UserUttered("yes"),
        SlotSet("outcome", "deleted"),
        SlotSet("step", None),
        SlotSet("outcome", None),
    )
    assert erased_in_last_turn(erased)
    earlier = _tracker(SlotSet("outcome", "deleted"), UserUttered("hello"))
    assert not erased_in_last_turn(earlier)
    assert not erased_in_last_turn(_tracker(UserUttered("no"), SlotSet("outcome", "opted_out")))
