"""Tables of the officer console (issue 18): accounts, sessions, assignments, audit, wave pauses.

They share :data:`bot.storage.models.Base`, so ``Base.metadata`` (Alembic, tests) sees them once
this module is imported (``bot.storage.models`` imports it at its end).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)

from bot.storage.models import Base, utcnow

ROLES = ("admin", "officer", "researcher")


class ConsoleUser(Base):
    """An account of the console; the password is kept only as an argon2 hash."""

    __tablename__ = "console_user"
    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(200), nullable=False)
    role = Column(String(16), nullable=False)
    language = Column(String(8), nullable=False, default="en", server_default="en")
    disabled = Column(Boolean, nullable=False, default=False, server_default="0")
    created_at = Column(DateTime, nullable=False, default=utcnow)


class ConsoleAssignment(Base):
    """A programme an officer (or researcher) may act on."""

    __tablename__ = "console_assignment"
    id = Column(Integer, primary_key=True)
    user_id = Column(
        Integer, ForeignKey("console_user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    programme_id = Column(
        Integer, ForeignKey("programme.id", ondelete="CASCADE"), nullable=False, index=True
    )
    __table_args__ = (UniqueConstraint("user_id", "programme_id", name="uq_console_assignment"),)


class ConsoleSession(Base):
    """A server-side session: only a hash of the cookie's id is stored."""

    __tablename__ = "console_session"
    id_hash = Column(String(64), primary_key=True)
    user_id = Column(Integer, ForeignKey("console_user.id", ondelete="CASCADE"), nullable=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False, index=True)


class AuditEntry(Base):
    """One line of the append-only audit log (the console never updates or deletes it)."""

    __tablename__ = "audit_log"
    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    actor = Column(String(64), nullable=False)
    action = Column(String(32), nullable=False)
    target = Column(String(200), nullable=False, default="")
    outcome = Column(String(16), nullable=False)
    ip = Column(String(64), nullable=False, default="")
    detail = Column(String(400), nullable=False, default="")
    __table_args__ = (Index("ix_audit_login", "action", "actor", "ip", "at"),)


class WavePause(Base):
    """A wave of a programme whose follow-ups and reminders are held back (kept planned).

    ``bot.outreach.due`` skips them, so the console, ``tracer followups send`` and the
    scheduler all honour a pause; resuming deletes the row.
    """

    __tablename__ = "wave_pause"
    id = Column(Integer, primary_key=True)
    programme_id = Column(
        Integer, ForeignKey("programme.id", ondelete="CASCADE"), nullable=False, index=True
    )
    wave = Column(String(32), nullable=False)
    paused_by = Column(String(64), nullable=False)
    paused_at = Column(DateTime, nullable=False, default=utcnow)
    __table_args__ = (UniqueConstraint("programme_id", "wave", name="uq_wave_pause"),)
