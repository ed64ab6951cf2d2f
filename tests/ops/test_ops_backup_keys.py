"""``tracer backup``/``restore`` (SQLite round trip) and ``tracer rotate-keys``."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import func, select, text

from bot.config import load_settings
from bot.security.crypto import Cipher
from bot.storage.db import session_scope
from bot.storage.models import Answer, Contact
from bot.storage.repository import TracerStore
from tests.ops.helpers import FakeTracker
from tests.outreach.helpers import TEST_KEY, outreach_env, run_cli

NEW_KEY = base64.urlsafe_b64encode(b"n" * 32).decode()
OTHER_KEY = base64.urlsafe_b64encode(b"x" * 32).decode()


@pytest.fixture
def env(tmp_path):
    return outreach_env(tmp_path)


def _count(env, table) -> int:
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


def _populate(env, n: int = 3) -> TracerStore:
    store = TracerStore(load_settings(env))
    tracker = FakeTracker(env["TRACER_DATABASE_URL"], 1_700_000_000.0)
    for i in range(n):
        trainee = store.register_consent(f"chat-{i}", "rest", "en")
        store.store_answer(trainee.id, "baseline", "bl_birth_year", 1990 + i, raw_text=None,
                           source_message_id=f"m{i}")  # fmt: skip
        tracker.user(f"chat-{i}", "hello")
    return store


# -- backup and restore -----------------------------------------------------------------------
def test_backup_then_restore_round_trip(env, tmp_path):
    _populate(env)
    out = tmp_path / "backups" / "tracer.bak"
    result = run_cli(env, "backup", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output and out.stat().st_mode & 0o077 == 0

    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        session.execute(Answer.__table__.delete())
    assert _count(env, Answer) == 0

    result = run_cli(env, "restore", str(out), "--yes")
    assert result.exit_code == 0, result.output
    assert _count(env, Answer) == 3 and _count(env, Contact) == 3
    store = TracerStore(load_settings(env))
    assert store.find_trainee("chat-2") is not None  # hashes and keys still match
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        events = session.execute(text("select count(*) from events")).scalar_one()
    assert events == 6  # the conversation history comes back too


def test_restore_refuses_a_file_that_is_not_a_backup(env, tmp_path):
    _populate(env, 1)
    junk = tmp_path / "junk.bak"
    junk.write_text("not a database", encoding="utf-8")
    result = run_cli(env, "restore", str(junk), "--yes")
    assert result.exit_code == 1 and "not an SQLite backup" in result.output
    missing = run_cli(env, "restore", str(tmp_path / "nope.bak"), "--yes")
    assert missing.exit_code == 1 and "no backup file" in missing.output
    assert _count(env, Answer) == 1


def test_restore_asks_for_confirmation(env, tmp_path):
    _populate(env, 1)
    out = tmp_path / "b.bak"
    run_cli(env, "backup", "--out", str(out))
    result = run_cli(env, "restore", str(out))  # no input: the prompt aborts
    assert result.exit_code == 1 and "Aborted" in result.output


def test_backup_of_a_missing_database_fails_cleanly(tmp_path):
    env = outreach_env(tmp_path)
    env["TRACER_DATABASE_URL"] = f"sqlite:///{tmp_path / 'absent.db'}"
    result = run_cli(env, "backup", "--out", str(tmp_path / "x.bak"))
    assert result.exit_code == 1 and "no database file" in result.output


# -- key rotation -----------------------------------------------------------------------------
def _tokens(env) -> list[str]:
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        return list(session.execute(select(Contact.address_encrypted)).scalars())


def test_rotate_keys_re_encrypts_every_contact_under_the_new_key(env):
    _populate(env)
    rotated_env = dict(env, TRACER_ENCRYPTION_KEY=f"{NEW_KEY},{TEST_KEY}")
    result = run_cli(rotated_env, "rotate-keys")
    assert result.exit_code == 0, result.output
    assert "Re-encrypted 3 contact addresses" in result.output
    only_new = Cipher(NEW_KEY)
    assert sorted(only_new.decrypt(t) for t in _tokens(env)) == ["chat-0", "chat-1", "chat-2"]
    # The old key can be dropped: the bot still finds and reaches every trainee.
    store = TracerStore(load_settings(dict(env, TRACER_ENCRYPTION_KEY=NEW_KEY)))
    trainee = store.find_trainee("chat-1")
    assert store.contact_addresses([trainee.id]) == {trainee.id: ("rest", "chat-1")}
    assert run_cli(rotated_env, "rotate-keys").exit_code == 0  # again: harmless


def test_rotate_keys_needs_two_keys_and_changes_nothing_on_failure(env):
    _populate(env)
    before = _tokens(env)
    single = run_cli(env, "rotate-keys")
    assert single.exit_code == 1 and "only one encryption key" in single.output
    wrong = run_cli(dict(env, TRACER_ENCRYPTION_KEY=f"{NEW_KEY},{OTHER_KEY}"), "rotate-keys")
    assert wrong.exit_code == 1 and "cannot be decrypted" in wrong.output
    assert "chat-" not in wrong.output
    malformed = run_cli(dict(env, TRACER_ENCRYPTION_KEY=f"short,{TEST_KEY}"), "rotate-keys")
    assert malformed.exit_code == 1 and "malformed key" in malformed.output
    assert _tokens(env) == before
