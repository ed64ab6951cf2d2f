"""Database engine and sessions: the only place that creates SQLAlchemy connections."""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

SQLITE_BUSY_TIMEOUT_MS = 15000


def _prepare_sqlite(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys.

    File databases keep a small pool of open connections (SQLAlchemy 1.4 would otherwise open
    and close a connection, with its pragmas, for every transaction); a connection is only ever
    used by one session at a time, so sharing it across threads is safe.
    """
    is_sqlite = url.startswith("sqlite")
    if is_sqlite:
        _prepare_sqlite(url)
        database = make_url(url).database
        pooled = {}
        if database and database != ":memory:":
            pooled = {"poolclass": QueuePool, "pool_size": 5, "max_overflow": 10}
        engine = create_engine(
            url,
            future=True,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            **pooled,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, future=True, pool_pre_ping=True, pool_size=5, max_overflow=10)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One shared engine (and pool) per database URL in this process."""
    return make_engine(url)


def session_factory(url: str) -> sessionmaker:
    """A session factory bound to the shared engine for ``url`` (one per engine: each
    ``sessionmaker`` defines a new Session class, whose event set-up SQLAlchemy redoes)."""
    return _sessionmaker_for(engine_for(url))


@lru_cache(maxsize=8)
def _sessionmaker_for(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
