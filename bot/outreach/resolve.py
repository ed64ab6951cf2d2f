"""Settle sends whose outcome is not known (``unknown`` rows, stale ``sending`` rows).

A row is ``unknown`` when the trigger may have gone out (connection lost after the request was
sent, read timeout) and stays ``sending`` when a sender died between claim and outcome.  Both
are settled from the Rasa tracker, which Rasa saves only after the whole trigger has run (its
messages sent): the wave's prompt was *uttered* when the conversation holds an
``EXTERNAL_followup`` event for that wave followed by at least one bot message before the next
user message.  The conversation may hold earlier prompts of the same wave (a first contact,
then reminders), so the prompts found are matched against the attempts already recorded as
``sent``: any prompt beyond those belongs to the unsettled row, which becomes ``sent``; a row
without one goes back to ``planned`` and is sent by the next run.  Rows claimed less than
``grace`` ago are left alone, because Rasa may still be running their trigger.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterable

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from bot.config import Settings
from bot.ops.tracker_events import conversation_events, decode, has_events_table
from bot.outreach.due import outreach_with_trainee
from bot.outreach.scope import Scope
from bot.outreach.transport import FOLLOWUP_INTENT, is_scheduled
from bot.storage.db import engine_for
from bot.storage.models import Outreach
from bot.storage.repository import TracerStore

UNSETTLED = ("unknown", "sending")
DEFAULT_GRACE = timedelta(minutes=10)


class TrackerUnavailableError(RuntimeError):
    """Rasa's tracker store is not in Tracer's database, so deliveries cannot be checked."""


@dataclass
class ResolveReport:
    """What ``resolve`` did (counts and pseudonymous ids only)."""

    examined: int = 0
    sent: int = 0
    replanned: int = 0
    too_recent: int = 0
    no_contact: int = 0
    settled: list[tuple[str, str, int, str]] = field(default_factory=list)
    by_state: Counter = field(default_factory=Counter)


def _wave_of(data: str | None) -> str | None:
    entities = decode(data).get("parse_data", {}).get("entities") or []
    for entity in entities:
        if isinstance(entity, dict) and entity.get("entity") == "wave":
            return str(entity.get("value"))
    return None


def _is_external(data: str | None) -> bool:
    """Rasa's own trigger_intent event (a user typing ``/EXTERNAL_followup`` is not one); the
    intent is checked by the caller from the events table's ``intent_name`` column."""
    return is_scheduled({**decode(data), "intent": {"name": FOLLOWUP_INTENT}})


def uttered_prompts(connection: Connection, conversation: str, wave: str) -> int:
    """How many ``EXTERNAL_followup`` triggers for ``wave`` the bot answered in a conversation."""
    rows = conversation_events(connection, conversation, ("user", "bot"))
    count, awaiting_answer = 0, False
    for type_name, intent_name, data in rows:
        if type_name == "user":
            awaiting_answer = (
                intent_name == FOLLOWUP_INTENT and _wave_of(data) == wave and _is_external(data)
            )
        elif awaiting_answer:
            count += 1
            awaiting_answer = False
    return count


def _unsettled(connection: Connection, scope: Scope) -> list:
    statement = scope.apply(
        outreach_with_trainee(Outreach.state, Outreach.updated_at)
        .where(Outreach.state.in_(UNSETTLED))
        .order_by(Outreach.trainee_id, Outreach.wave, Outreach.attempt)
    )
    return list(connection.execute(statement))


def _sent_attempts(connection: Connection, keys: Iterable[tuple[int, str]]) -> Counter:
    wanted = set(keys)
    counts: Counter = Counter()
    if not wanted:
        return counts
    statement = select(Outreach.trainee_id, Outreach.wave).where(
        Outreach.state == "sent", Outreach.trainee_id.in_({t for t, _ in wanted})
    )
    for trainee_id, wave in connection.execute(statement):
        if (trainee_id, wave) in wanted:
            counts[(trainee_id, wave)] += 1
    return counts


def _settle(connection: Connection, row_id: int, state: str, now: datetime, note: str) -> bool:
    values: dict = {"state": state, "result": note, "updated_at": now}
    if state == "sent":
        values["sent_at"] = now
    statement = (
        update(Outreach)
        .where(Outreach.id == row_id, Outreach.state.in_(UNSETTLED))
        .values(**values)
    )
    with connection.begin():
        return connection.execute(statement).rowcount == 1


def resolve_unsettled(
    settings: Settings,
    now: datetime,
    scope: Scope | None = None,
    grace: timedelta = DEFAULT_GRACE,
    dry_run: bool = False,
) -> ResolveReport:
    """Settle ``unknown`` rows and ``sending`` rows claimed before ``now - grace``."""
    scope = scope or Scope()
    report = ResolveReport()
    engine = engine_for(settings.database_url)
    if not has_events_table(engine):
        raise TrackerUnavailableError(
            "Rasa's tracker store (the events table) is not in this database"
        )
    with engine.connect() as connection:
        rows = _unsettled(connection, scope)
        connection.rollback()
        ready = [row for row in rows if row.updated_at <= now - grace]
        report.too_recent = len(rows) - len(ready)
        contacts = TracerStore(settings).contact_addresses({row.trainee_id for row in ready})
        accounted = _sent_attempts(connection, {(row.trainee_id, row.wave) for row in ready})
        connection.rollback()
        for row in ready:
            report.examined += 1
            report.by_state[row.state] += 1
            contact = contacts.get(row.trainee_id)
            if contact is None:
                report.no_contact += 1
                continue
            key = (row.trainee_id, row.wave)
            uttered = uttered_prompts(connection, contact[1], row.wave)
            connection.rollback()
            delivered = uttered > accounted[key]
            state = "sent" if delivered else "planned"
            note = "resolved: prompt in tracker" if delivered else "resolved: not delivered"
            if dry_run or _settle(connection, row.id, state, now, note):
                if delivered:
                    accounted[key] += 1
                    report.sent += 1
                else:
                    report.replanned += 1
                report.settled.append((row.pseudo_id, row.wave, row.attempt, state))
    return report
