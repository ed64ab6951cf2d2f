"""The append-only audit log: who did what, when, to what, with which outcome."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.console_models import AuditEntry
from bot.storage.db import session_scope
from bot.storage.models import utcnow

CSV_COLUMNS = ("at", "actor", "action", "target", "outcome", "ip", "detail")


def record(
    session: Session,
    actor: str,
    action: str,
    outcome: str,
    *,
    target: str = "",
    ip: str = "",
    detail: str = "",
) -> None:
    """Append one entry inside ``session`` (committed with the caller's work)."""
    session.add(
        AuditEntry(
            actor=actor[:64],
            action=action[:32],
            target=target[:200],
            outcome=outcome[:16],
            ip=ip[:64],
            detail=detail[:400],
            at=utcnow(),
        )
    )


def log(url: str, actor: str, action: str, outcome: str, **fields: str) -> None:
    """Append one entry in its own transaction."""
    with session_scope(url) as session:
        record(session, actor, action, outcome, **fields)


def recent_failures(url: str, actor: str, ip: str, minutes: int) -> int:
    """Failed logins of ``actor`` from ``ip`` within the last ``minutes``."""
    since: datetime = utcnow() - timedelta(minutes=minutes)
    with session_scope(url) as session:
        last_ok = session.execute(
            select(func.max(AuditEntry.at)).where(
                AuditEntry.action == "login",
                AuditEntry.actor == actor,
                AuditEntry.ip == ip,
                AuditEntry.outcome == "ok",
            )
        ).scalar()
        floor = max(since, last_ok) if last_ok else since
        return session.execute(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == "login",
                AuditEntry.actor == actor,
                AuditEntry.ip == ip,
                AuditEntry.outcome == "failed",
                AuditEntry.at > floor,
            )
        ).scalar_one()


def entries(url: str, *, action: str | None = None, limit: int = 500) -> list[AuditEntry]:
    """The newest entries first, optionally of one action."""
    statement = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if action:
        statement = statement.where(AuditEntry.action == action)
    with session_scope(url) as session:
        return list(session.execute(statement).scalars())


def as_csv(url: str) -> str:
    """Every entry, oldest first, as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    with session_scope(url) as session:
        for entry in session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars():
            writer.writerow(
                [entry.at.isoformat(timespec="seconds")]
                + [_safe(getattr(entry, column)) for column in CSV_COLUMNS[1:]]
            )
    return buffer.getvalue()


def _safe(value: str) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
