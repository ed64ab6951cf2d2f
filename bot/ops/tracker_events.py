"""Read and rewrite Rasa's tracker-store ``events`` table, which lives in Tracer's database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, inspect, select
from sqlalchemy.engine import Connection, Engine

_metadata = MetaData()
EVENTS = Table(
    "events",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


@dataclass(frozen=True)
class TrackerEvent:
    """One stored Rasa event: its row id, conversation, type, time and decoded JSON."""

    id: int
    sender_id: str
    type_name: str
    timestamp: float | None
    data: dict[str, Any]


def has_events_table(engine: Engine) -> bool:
    """True when Rasa has created its ``events`` table in this database."""
    return inspect(engine).has_table("events")


def decode(raw: str | None) -> dict[str, Any]:
    """The event JSON as a dict; an empty dict for missing or unreadable data."""
    try:
        value = json.loads(raw or "{}")
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def iter_events(
    connection: Connection,
    *,
    type_names: tuple[str, ...] | None = None,
    before: float | None = None,
    batch: int = 500,
) -> Iterator[TrackerEvent]:
    """Events in conversation order (sender, then row id), read in batches of ``batch`` rows."""
    last_sender, last_id = "", -1
    while True:
        query = select(EVENTS).order_by(EVENTS.c.sender_id, EVENTS.c.id).limit(batch)
        query = query.where(
            (EVENTS.c.sender_id > last_sender)
            | ((EVENTS.c.sender_id == last_sender) & (EVENTS.c.id > last_id))
        )
        if type_names:
            query = query.where(EVENTS.c.type_name.in_(type_names))
        if before is not None:
            query = query.where(EVENTS.c.timestamp < before)
        rows = connection.execute(query).all()
        for row in rows:
            yield TrackerEvent(
                id=row.id,
                sender_id=row.sender_id,
                type_name=row.type_name,
                timestamp=row.timestamp,
                data=decode(row.data),
            )
        if len(rows) < batch:
            return
        last_sender, last_id = rows[-1].sender_id, rows[-1].id


def conversation_events(
    connection: Connection, sender_id: str, type_names: tuple[str, ...]
) -> Iterator[tuple[str, str | None, str | None]]:
    """(type name, intent name, raw JSON) of one conversation's events of ``type_names``, in
    order."""
    yield from connection.execute(
        select(EVENTS.c.type_name, EVENTS.c.intent_name, EVENTS.c.data)
        .where(EVENTS.c.sender_id == sender_id, EVENTS.c.type_name.in_(type_names))
        .order_by(EVENTS.c.id)
    )
