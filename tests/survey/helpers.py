"""A survey engine on a temporary SQLite store, and a chat that feeds it like the form action."""

from __future__ import annotations

import json
from datetime import date
from itertools import count
from pathlib import Path

from bot.config import load_settings
from bot.devseed import seed_demo_programme
from bot.questionnaire.loader import default_questionnaire
from bot.storage.migrate import upgrade_database
from bot.storage.repository import TracerStore
from bot.survey.retries import failures_before
from bot.survey.turn import Incoming, SurveyTurn, TurnResult

_ids = count(1)


def make_engine(tmp_path: Path, today: date) -> SurveyTurn:
    """A ``SurveyTurn`` over a fresh database seeded with the demo programme."""
    url = f"sqlite:///{tmp_path / 't.db'}"
    upgrade_database(url)
    # the calendar these engine tests are written for: in training 2026-09-25 → 2026-12-18,
    # the baseline open until 2026-10-25 (start + 30 days of grace)
    seed_demo_programme(url, dates=(date(2026, 9, 25), date(2026, 12, 18)))
    settings = load_settings(
        {
            "TRACER_ENV_FILE": str(tmp_path / "none.env"),
            "TRACER_SECRET_KEY": "k",
            "TRACER_DATABASE_URL": url,
            "TRACER_ENCRYPTION_KEY": "M2R0ZXN0a2V5LXRlc3RrZXktdGVzdGtleS10ZXN0a2U=",
        }
    )
    return SurveyTurn(settings, default_questionnaire(), TracerStore(settings), today=today)


class Chat:
    """Feeds messages to the engine the way the form validation action does.

    A button payload ``/inform{"choice": ...}`` carries its entities, as Rasa's parser gives them.
    """

    def __init__(self, engine: SurveyTurn, sender: str = "chat-1") -> None:
        self.engine, self.sender = engine, sender
        self.step: str | None = None
        self.language: str | None = None
        self.steps: list[str | None] = []  # the step slot after each turn, as in the tracker

    def send(self, text: str, intent: str = "inform", *, active: bool = True) -> TurnResult:
        """One user message; the step and language slots follow the result."""
        payload = text.startswith("/inform{")
        result = self.engine.run(
            Incoming(
                sender_id=self.sender,
                channel="rest",
                text=text,
                intent=intent,
                confidence=0.99,
                entities=json.loads(text[len("/inform") :]) if payload else {},
                message_id=f"m{next(_ids)}",
                step=self.step,
                language=self.language,
                answers_step=active and self.step is not None,
                failures=failures_before(reversed(self.steps))
                if self.steps and self.steps[-1] == self.step
                else 0,
            )
        )
        self.step, self.language = result.step, result.language
        self.steps.append(result.step)
        return result
