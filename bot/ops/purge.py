"""Retention purge: forget the words trainees typed once they are older than N days.

Coded answers stay; only ``answer.raw_text`` becomes NULL.  In Rasa's tracker store the text
of each old ``user`` event (``text`` and ``parse_data.text``) becomes null and so does the
``answer`` slot, which Rasa fills with the raw message; intents, entities and slots stay, so
``tracer reconcile`` and the conversation state keep working.  Running it twice changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select, update

from bot.ops.tracker_events import EVENTS, TrackerEvent, has_events_table, iter_events
from bot.storage.db import engine_for
from bot.storage.models import Answer

WRITE_BATCH = 500


@dataclass(frozen=True)
class PurgeReport:
    """How many rows were (or, in a dry run, would be) scrubbed."""

    cutoff: datetime
    answers: int
    user_events: int
    slot_events: int
    dry_run: bool


def _scrubbed(event: TrackerEvent) -> dict[str, Any] | None:
    """The event data without typed text, or None when it holds no text any more."""
    data = dict(event.data)
    if event.type_name == "user":
        parse_data = data.get("parse_data")
        has_text = data.get("text") is not None or (
            isinstance(parse_data, dict) and parse_data.get("text") is not None
        )
        if not has_text:
            return None
        data["text"] = None
        if isinstance(parse_data, dict):
            data["parse_data"] = {**parse_data, "text": None}
        return data
    if event.type_name == "slot" and data.get("name") == "answer" and data.get("value"):
        data["value"] = None
        return data
    return None


def purge(url: str, older_than_days: int, *, dry_run: bool = False, now: datetime | None = None):
    """Scrub raw texts older than ``older_than_days`` days in ``url``; a :class:`PurgeReport`."""
    if older_than_days < 0:
        raise ValueError("older_than_days must be zero or more")
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    cutoff = now - timedelta(days=older_than_days)
    engine = engine_for(url)
    old_text = (Answer.answered_at < cutoff) & Answer.raw_text.is_not(None)
    with engine.begin() as connection:
        if dry_run:
            query = select(func.count(Answer.id)).where(old_text)
            answers = connection.execute(query).scalar_one()
        else:
            answers = connection.execute(update(Answer).where(old_text).values(raw_text=None))
            answers = answers.rowcount
    user_events = slot_events = 0
    if has_events_table(engine):
        epoch_cutoff = cutoff.replace(tzinfo=timezone.utc).timestamp()
        with engine.connect() as connection:
            changes = [
                (event, scrubbed)
                for event in iter_events(
                    connection, type_names=("user", "slot"), before=epoch_cutoff
                )
                if (scrubbed := _scrubbed(event)) is not None
            ]
        user_events = sum(1 for event, _ in changes if event.type_name == "user")
        slot_events = len(changes) - user_events
        if not dry_run:
            for start in range(0, len(changes), WRITE_BATCH):
                with engine.begin() as connection:
                    for event, data in changes[start : start + WRITE_BATCH]:
                        connection.execute(
                            update(EVENTS)
                            .where(EVENTS.c.id == event.id)
                            .values(data=json.dumps(data))
                        )
    return PurgeReport(cutoff, answers, user_events, slot_events, dry_run)
