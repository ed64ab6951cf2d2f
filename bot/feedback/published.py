"""Read back the figures published behind a results page."""

from __future__ import annotations

from analytics.feedback_figures import Summary
from bot.storage.db import session_scope
from bot.storage.models import FeedbackSummary


def published_summary(database_url: str, token: str) -> Summary | None:
    """The summary published under ``token``, or None."""
    with session_scope(database_url) as session:
        row = session.get(FeedbackSummary, token)
        return Summary.from_json(row.figures_json) if row is not None else None
