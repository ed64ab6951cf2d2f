"""Restrict outreach queries to one programme and, optionally, one cohort."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.sql import Select

from bot.storage.models import CHAT_CHANNELS, Cohort, Programme

__all__ = ["CHAT_CHANNELS", "Scope"]


@dataclass(frozen=True)
class Scope:
    """Which trainees a command acts on: everyone, a programme, or one cohort of it."""

    programme: str | None = None
    cohort: str | None = None

    def describe(self) -> str:
        """Human description of the scope, e.g. for the console's confirmations."""
        if self.programme and self.cohort:
            return f"programme {self.programme}, cohort {self.cohort}"
        if self.programme:
            return f"programme {self.programme}"
        if self.cohort:
            return f"cohort {self.cohort} (any programme)"
        return "all programmes"

    def apply(self, statement: Select) -> Select:
        """Add the programme/cohort conditions to a statement that already joins ``Cohort``."""
        if self.programme:
            programme_ids = select(Programme.id).where(Programme.code == self.programme)
            statement = statement.where(Cohort.programme_id.in_(programme_ids.scalar_subquery()))
        if self.cohort:
            statement = statement.where(Cohort.code == self.cohort)
        return statement
