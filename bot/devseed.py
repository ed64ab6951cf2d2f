"""Seed a demo programme into an empty database so the local web chat has something to pick."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from bot.config import get_settings
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Programme


def seed_demo_programme(
    database_url: str, today: date | None = None, dates: tuple[date, date] | None = None
) -> bool:
    """Add one demo programme with one cohort when there are none; True when added.

    The cohort is in training on the day it is seeded (it started a month ago and ends in
    about six months), so a demo trainee answers the baseline now and the exit later, whatever
    the date: fixed dates would turn every demo conversation into an exit interview one day.
    ``dates`` (start, end) fixes them, for tests that run on a simulated calendar.
    """
    start = (today or date.today()) - timedelta(days=30)
    start, end = dates or (start, start + timedelta(days=210))
    with session_scope(database_url) as session:
        if session.execute(select(func.count(Programme.id))).scalar_one():
            return False
        programme = Programme(code="demo", name="Demo programme")
        session.add(programme)
        session.flush()
        session.add(
            Cohort(
                programme_id=programme.id,
                code=str(start.year),
                name=f"Demo {start.year}",
                start_date=start,
                end_date=end,
            )
        )
        return True


if __name__ == "__main__":
    if seed_demo_programme(get_settings().database_url):
        print("Added a demo programme (remove it with your own data in production).")
