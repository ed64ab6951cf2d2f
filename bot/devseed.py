"""Seed a demo programme into an empty database so the local web chat has something to pick."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot.config import get_settings
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Programme


def seed_demo_programme(database_url: str) -> bool:
    """Add one demo programme with one cohort when there are none; True when added."""
    with session_scope(database_url) as session:
        if session.execute(select(func.count(Programme.id))).scalar_one():
            return False
        programme = Programme(code="demo", name="Demo programme")
        session.add(programme)
        session.flush()
        session.add(
            Cohort(
                programme_id=programme.id,
                code="2026",
                name="Demo 2026",
                start_date=date(2026, 1, 12),
                end_date=date(2026, 12, 18),
            )
        )
        return True


if __name__ == "__main__":
    if seed_demo_programme(get_settings().database_url):
        print("Added a demo programme (remove it with your own data in production).")
