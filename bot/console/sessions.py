"""Server-side sessions behind a signed cookie; a CSRF token per session.

The cookie holds ``<id>.<hmac>``; the table holds only a SHA-256 of the id, so a database
leak gives no usable cookie. Logging in always issues a fresh id (no session fixation).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from bot.storage.console_models import ConsoleSession
from bot.storage.db import session_scope
from bot.storage.models import utcnow

COOKIE_NAME = "tracer_console"


@dataclass(frozen=True)
class SessionState:
    """A live session: its cookie id, its user (None before login) and its CSRF token."""

    session_id: str
    user_id: int | None
    csrf_token: str


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def sign(secret: str, session_id: str) -> str:
    """The cookie value for ``session_id``."""
    mac = hmac.new(secret.encode(), session_id.encode(), hashlib.sha256).hexdigest()
    return f"{session_id}.{mac}"


def unsign(secret: str, cookie: str | None) -> str | None:
    """The session id of a cookie whose signature holds, else None."""
    if not cookie or "." not in cookie:
        return None
    session_id, _, mac = cookie.rpartition(".")
    expected = hmac.new(secret.encode(), session_id.encode(), hashlib.sha256).hexdigest()
    return session_id if hmac.compare_digest(mac, expected) else None


def create(url: str, user_id: int | None, minutes: int) -> SessionState:
    """A new session (anonymous when ``user_id`` is None) valid for ``minutes``."""
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    with session_scope(url) as session:
        session.add(
            ConsoleSession(
                id_hash=_digest(session_id),
                user_id=user_id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + timedelta(minutes=minutes),
            )
        )
    return SessionState(session_id, user_id, csrf)


def load(url: str, session_id: str | None) -> SessionState | None:
    """The unexpired session with this id, or None."""
    if not session_id:
        return None
    with session_scope(url) as session:
        row = session.execute(
            select(ConsoleSession).where(ConsoleSession.id_hash == _digest(session_id))
        ).scalar_one_or_none()
        if row is None:
            return None
        if row.expires_at <= utcnow():
            session.delete(row)
            return None
        return SessionState(session_id, row.user_id, row.csrf_token)


def end(url: str, session_id: str | None) -> None:
    """Forget a session (logout, login rotation); also sweeps expired ones."""
    with session_scope(url) as session:
        if session_id:
            session.execute(
                delete(ConsoleSession).where(ConsoleSession.id_hash == _digest(session_id))
            )
        session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at <= utcnow()))


def csrf_matches(state: SessionState | None, token: str | None) -> bool:
    """True when the form's token is this session's token."""
    if state is None or not token:
        return False
    return hmac.compare_digest(state.csrf_token, token)
