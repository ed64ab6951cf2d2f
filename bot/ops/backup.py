"""Consistent online backups and restores of the Tracer database (answers + tracker store).

SQLite uses the online backup API (safe while the bot runs; restore wants the bot stopped).
PostgreSQL uses ``pg_dump -Fc`` and ``pg_restore --clean --if-exists``, taken from ``PATH``
or the newest ``/usr/lib/postgresql/*/bin``.  A backup holds encrypted contacts but not the
keys: back up ``TRACER_SECRET_KEY`` and ``TRACER_ENCRYPTION_KEY`` separately.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from glob import glob
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.config import PROJECT_ROOT, Settings
from bot.security.crypto import Cipher
from bot.security.private_files import PRIVATE_UMASK, create_private
from bot.storage.db import engine_for
from bot.storage.erasure import ErasureReport, read_journal, reapply
from bot.storage.migrate import upgrade_database


class BackupError(RuntimeError):
    """A backup or restore failed; the message says why (never a password)."""


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _pg_tool(name: str) -> str:
    """The path of ``pg_dump``/``pg_restore`` (newest server version first)."""
    candidates = sorted(
        glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the postgresql-client package")
    return found


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    """Connection options for the PostgreSQL tools; the password goes in the environment."""
    parsed = make_url(url)
    args = ["-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432)]
    if parsed.username:
        args += ["-U", parsed.username]
    args += ["-d", parsed.database or "postgres"]
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return args, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    # Under a 077 umask: whatever the tool creates is owner-only from its first byte.
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=3600, umask=PRIVATE_UMASK
    )
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise BackupError(f"{what} failed: {detail[0]}")


def _sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection, what: str) -> None:
    """Copy a whole SQLite database with the online backup API, closing both connections."""
    try:
        source.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite {what} failed: {error}") from error
    finally:
        target.close()
        source.close()


def backup(url: str, out: Path) -> Path:
    """Write a consistent copy of the database at ``url`` to ``out``; the path written.

    The copy is written to ``out.partial``, created owner-only (0600) before its first byte
    (SQLite gives its journal the same mode), then renamed: ``out`` is never readable by
    others, not even while it is being written.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    if url.startswith("sqlite"):
        source_path = _sqlite_path(url)
        if not source_path.exists():
            raise BackupError(f"no database file at {source_path}")
        os.close(create_private(partial))
        _sqlite_copy(
            sqlite3.connect(str(source_path), timeout=15), sqlite3.connect(str(partial)), "backup"
        )
        partial.replace(out)
        return out
    if url.startswith("postgresql"):
        args, env = _pg_args(url)
        os.close(create_private(partial))
        command = [_pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(partial), *args]
        _run(command, env, "pg_dump")
        partial.replace(out)
        return out
    raise BackupError("backups support SQLite and PostgreSQL database URLs only")


def _check_sqlite_backup(path: Path) -> None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in connection.execute("select name from sqlite_master")}
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise BackupError(f"{path} is not an SQLite backup: {error}") from error
    if "alembic_version" not in tables or "answer" not in tables:
        raise BackupError(f"{path} is not a Tracer database backup")


def restore(url: str, source: Path) -> None:
    """Replace the database at ``url`` with the backup ``source`` (stop the bot first)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    engine_for(url).dispose()
    if url.startswith("sqlite"):
        _check_sqlite_backup(source)
        target_path = _sqlite_path(url)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(
            sqlite3.connect(f"file:{source}?mode=ro", uri=True),
            sqlite3.connect(str(target_path), timeout=15),
            "restore",
        )
        return
    if url.startswith("postgresql"):
        args, env = _pg_args(url)
        command = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", *args]
        _run([*command, str(source)], env, "pg_restore")
        return
    raise BackupError("restores support SQLite and PostgreSQL database URLs only")


def _pending_journal_path(url: str) -> Path:
    """Where the erasure journal waits while a restore runs (beside an SQLite file)."""
    if url.startswith("sqlite"):
        database = _sqlite_path(url)
        return database.with_name(database.name + ".erasures-pending.json")
    return PROJECT_ROOT / "var" / "erasures-pending.json"


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` to a file created with mode 0600 (never readable by others)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    partial.replace(path)


def restore_keeping_erasures(settings: Settings, source: Path) -> ErasureReport:
    """Restore ``source``, then erase again everyone in the current erasure journal.

    The journal (keyed hashes only) is read before the old database replaces the current one
    and kept in a 0600 file beside it until re-applied, so neither a crash during the restore
    nor an older backup brings an erased trainee back. The restored database is migrated to
    the current schema first (an older backup may predate the journal table).
    """
    url = settings.database_url
    pending = _pending_journal_path(url)
    entries: set[tuple[str, str]] = set()
    if pending.exists():  # a previous restore stopped before re-applying its journal
        entries |= {(kind, digest) for kind, digest in json.loads(pending.read_text("utf-8"))}
    try:
        entries |= read_journal(url)
    except SQLAlchemyError:  # no readable database yet: only the pending journal counts
        pass
    _write_private(pending, json.dumps(sorted(entries)))
    restore(url, source)
    upgrade_database(url)
    engine_for(url).dispose()
    report = reapply(url, settings.secret_key, Cipher(settings.encryption_key), entries)
    pending.unlink()
    return report
