"""Restrict outreach queries to one programme and, optionally, one cohort."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.sql import Select

from bot.storage.models import Cohort, Programme

CHAT_CHANNELS = ("telegram", "socketio", "rest", "whatsapp")


@dataclass(frozen=True)
class Scope:
    """Which trainees a command acts on: everyone, a programme, or one cohort of it."""

    programme: str | None = None
    cohort: str | None = None

    def apply(self, statement: Select) -> Select:
        """Add the programme/cohort conditions to a statement that already joins ``Cohort``."""
        if self.programme:
            programme_ids = select(Programme.id).where(Programme.code == self.programme)
            statement = statement.where(Cohort.programme_id.in_(programme_ids.scalar_subquery()))
        if self.cohort:
            statement = statement.where(Cohort.code == self.cohort)
        return statement
