"""Shared helpers for the ops tests: a Rasa-shaped ``events`` table, every value in a database."""

from __future__ import annotations

import itertools
import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from bot.ops.tracker_events import EVENTS
from bot.storage.db import engine_for

_clock = itertools.count()


class FakeTracker:
    """Writes events shaped exactly like Rasa 3.6's ``SQLTrackerStore`` rows."""

    def __init__(self, url: str, start: float) -> None:
        self.url = url
        self.time = start
        EVENTS.metadata.create_all(engine_for(url), tables=[EVENTS])

    def _add(self, sender: str, type_name: str, data: dict[str, Any], **columns: Any) -> None:
        self.time += 1.0
        data = {"event": type_name, "timestamp": self.time, "metadata": {}, **data}
        with engine_for(self.url).begin() as connection:
            connection.execute(
                EVENTS.insert().values(
                    sender_id=sender,
                    type_name=type_name,
                    timestamp=self.time,
                    data=json.dumps(data),
                    **columns,
                )
            )

    def slot(self, sender: str, name: str, value: Any) -> None:
        """A ``SlotSet`` event."""
        self._add(sender, "slot", {"name": name, "value": value})

    def ask(self, sender: str, code: str, wave: str = "baseline") -> None:
        """What ``validate_survey_form`` stores when it asks question ``code``."""
        self.slot(sender, "answer", None)
        self.slot(sender, "language", "en")
        self.slot(sender, "step", f"q:{code}")
        self.slot(sender, "wave", wave)

    def user(
        self,
        sender: str,
        text: str | None,
        intent: str = "inform",
        entities: dict[str, str] | None = None,
        confidence: float = 1.0,
    ) -> str:
        """A user message (and the ``answer`` slot the form fills from it); its message id."""
        message_id = uuid.uuid4().hex
        parse = {
            "intent": {"name": intent, "confidence": confidence},
            "entities": [{"entity": k, "value": v} for k, v in (entities or {}).items()],
            "text": text,
            "message_id": message_id,
            "metadata": {},
        }
        self._add(
            sender,
            "user",
            {"text": text, "parse_data": parse, "input_channel": "rest", "message_id": message_id},
            intent_name=intent,
        )
        self.slot(sender, "answer", text)
        return message_id


def every_value(database: Path) -> str:
    """Every value of every row of every table, as one text (what a SELECT * would show)."""
    connection = sqlite3.connect(str(database))
    try:
        query = "select name from sqlite_master where type='table'"
        tables = [row[0] for row in connection.execute(query)]
        parts = []
        for table in tables:
            for row in connection.execute(f'select * from "{table}"'):
                parts.append(" ".join(str(value) for value in row))
    finally:
        connection.close()
    return "\n".join(parts)
