"""Console building blocks: passwords, signed cookies, sessions, CSRF, throttling, accounts,
the ``tracer users`` commands and the en/fr/es interface catalogue."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, update
from sqlalchemy.exc import DBAPIError

from bot.cli.main import cli
from bot.console import accounts, audit, sessions
from bot.console.config import ConsoleConfig, console_secret
from bot.console.i18n import catalog, translate
from bot.console.passwords import WeakPasswordError, hash_password, verify_password
from bot.devseed import seed_demo_programme
from bot.storage.console_models import AuditEntry, ConsoleSession
from bot.storage.db import session_scope
from bot.storage.migrate import upgrade_database
from bot.storage.models import utcnow

TEMPLATES = Path(__file__).resolve().parents[2] / "bot" / "console" / "templates"


@pytest.fixture()
def url(tmp_path: Path) -> str:
    database = f"sqlite:///{tmp_path / 'console.db'}"
    upgrade_database(database)
    seed_demo_programme(database)
    return database


def test_passwords_are_argon2_hashed_and_checked():
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert verify_password(stored, "correct horse battery")
    assert not verify_password(stored, "correct horse batterY")
    assert not verify_password("not a hash", "correct horse battery")
    with pytest.raises(WeakPasswordError):
        hash_password("short")


@pytest.mark.parametrize(
    "cookie, valid",
    [
        ("SIGNED", True),
        ("SIGNED-but-changed-id", False),
        ("abc.deadbeef", False),
        ("no-dot-at-all", False),
        ("", False),
        (None, False),
    ],
)
def test_only_cookies_signed_with_the_secret_are_accepted(cookie, valid):
    signed = sessions.sign("secret-1", "session-id-123")
    value = {"SIGNED": signed, "SIGNED-but-changed-id": "x" + signed}.get(cookie, cookie)
    assert (sessions.unsign("secret-1", value) == "session-id-123") is valid
    assert sessions.unsign("other-secret", signed) is None


def test_sessions_expire_and_store_only_a_hash(url):
    state = sessions.create(url, None, minutes=30)
    assert sessions.load(url, state.session_id) == state
    with session_scope(url) as session:
        stored = [row.id_hash for row in session.query(ConsoleSession)]
    assert state.session_id not in stored and len(stored) == 1
    with session_scope(url) as session:
        session.execute(update(ConsoleSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert sessions.load(url, state.session_id) is None
    assert sessions.load(url, "never-issued") is None


def test_csrf_token_must_match_the_session(url):
    state = sessions.create(url, None, minutes=5)
    other = sessions.create(url, None, minutes=5)
    assert sessions.csrf_matches(state, state.csrf_token)
    assert not sessions.csrf_matches(state, other.csrf_token)
    assert not sessions.csrf_matches(state, "")
    assert not sessions.csrf_matches(None, state.csrf_token)


def test_failed_logins_count_per_account_and_address_until_a_success(url):
    for _ in range(3):
        audit.log(url, "olga", "login", "failed", ip="10.0.0.1")
    audit.log(url, "olga", "login", "failed", ip="10.0.0.2")
    audit.log(url, "otto", "login", "failed", ip="10.0.0.1")
    with session_scope(url) as session:  # failures older than the window do not count
        old = utcnow() - timedelta(minutes=20)
        session.add(
            AuditEntry(
                at=old,
                actor="olga",
                action="login",
                outcome="failed",
                ip="10.0.0.1",
                target="",
                detail="",
            )
        )
    assert audit.recent_failures(url, "olga", "10.0.0.1", 15) == 3
    assert audit.recent_failures(url, "olga", "10.0.0.2", 15) == 1
    assert audit.recent_failures(url, "olga", "10.0.0.1", 30) == 4
    audit.log(url, "olga", "login", "ok", ip="10.0.0.1")
    assert audit.recent_failures(url, "olga", "10.0.0.1", 15) == 0


def test_the_audit_log_is_append_only_in_the_database(url):
    audit.log(url, "olga", "export", "ok", target="solar")
    for statement in (update(AuditEntry).values(outcome="refused"), delete(AuditEntry)):
        with pytest.raises(DBAPIError, match="append-only"):
            with session_scope(url) as session:
                session.execute(statement)
    assert [(e.actor, e.outcome) for e in audit.entries(url)] == [("olga", "ok")]


def test_audit_csv_neutralises_formulas(url):
    audit.log(url, "=cmd|' /C calc'!A0", "login", "failed", ip="1.2.3.4")
    text = audit.as_csv(url)
    assert text.splitlines()[0] == "at,actor,action,target,outcome,ip,detail"
    assert "'=cmd" in text


@pytest.mark.parametrize(
    "username, role, message",
    [
        ("olga", "superuser", "role must be one of"),
        ("", "officer", "a username is"),
        ("bad name!", "officer", "a username is"),
    ],
)
def test_bad_accounts_are_refused_with_a_reason(url, username, role, message):
    with pytest.raises(accounts.AccountError, match=message):
        accounts.add_user(url, username, "long-enough-password", role)


def test_accounts_roles_assignments_and_disabling(url):
    accounts.add_user(url, "olga", "long-enough-password", "officer")
    with pytest.raises(accounts.AccountError, match="taken"):
        accounts.add_user(url, "olga", "long-enough-password", "admin")
    assert accounts.assign(url, "olga", "demo").programmes == ("demo",)
    with pytest.raises(accounts.AccountError, match="no programme"):
        accounts.assign(url, "olga", "nope")
    state = sessions.create(url, accounts.find(url, username="olga").id, minutes=5)
    assert accounts.set_disabled(url, "olga").disabled
    assert sessions.load(url, state.session_id) is None  # disabling ends sessions
    assert accounts.password_hash_of(url, "olga") is None


def test_tracer_users_commands(url):
    runner = CliRunner()
    base = ["--database-url", url, "users"]
    empty = runner.invoke(cli, [*base, "list"])
    assert "No accounts yet" in empty.output  # no default account
    added = runner.invoke(cli, [*base, "add", "root", "--role", "admin", "--password", "x" * 12])
    assert added.exit_code == 0 and "Added admin root" in added.output
    runner.invoke(cli, [*base, "add", "olga", "--role", "officer", "--password", "y" * 12])
    assigned = runner.invoke(cli, [*base, "assign", "olga", "demo"])
    assert "programmes demo" in assigned.output
    refused = runner.invoke(cli, [*base, "add", "eve", "--role", "god", "--password", "z" * 12])
    assert refused.exit_code != 0 and "Traceback" not in refused.output
    runner.invoke(cli, [*base, "disable", "olga"])
    listed = runner.invoke(cli, [*base, "list"]).output
    assert "root\tadmin\tactive\t-" in listed and "olga\tofficer\tdisabled\tdemo" in listed
    assert {e.action for e in audit.entries(url)} >= {"user_add", "user_assign", "user_disable"}


def test_console_secret_is_required_outside_var(tmp_path):
    env_file = tmp_path / "prod.env"
    env_file.write_text("TRACER_SECRET_KEY=x\n", encoding="utf-8")
    with pytest.raises(Exception, match="TRACER_CONSOLE_SECRET must be set"):
        console_secret({"TRACER_ENV_FILE": str(env_file)})
    assert console_secret({"TRACER_CONSOLE_SECRET": "s3cret"}) == "s3cret"
    assert ConsoleConfig(secret="s").max_failures == 5


def test_every_interface_string_exists_in_english_french_and_spanish():
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"_\('([a-z_]+)'", template.read_text(encoding="utf-8")))
    used = {key for key in used if not key.endswith("_")}  # role_/status_ prefixes
    used |= {f"role_{r}" for r in ("admin", "officer", "researcher")}
    used |= {f"status_{s}" for s in ("active", "opted_out", "deleted")}
    missing = used - set(catalog())
    assert not missing
    for key, texts in catalog().items():
        assert set(texts) == {"en", "fr", "es"} and all(texts.values()), key
    assert translate("login_locked", "fr", minutes=15).startswith("Trop d'échecs")
    assert translate("nav_dashboard", "es") == "Panel"
