"""A survey engine on a temporary SQLite store, a chat that feeds it like the form action, and a
chat already answered up to a given question of a wave."""

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
from tests.journeys import LANGUAGE_REPLY, YES, wave_script

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


class WaveChat(Chat):
    """A trainee in ``language`` who has answered everything before question ``until``."""

    def __init__(
        self,
        engine: SurveyTurn,
        language: str,
        until: str = "ex_satisfaction",
        joined: date | None = None,
    ) -> None:
        super().__init__(engine, f"chat-{language}")
        self.wave = "exit" if until.startswith("ex_") else "followup_6"
        self.start(language, until, joined)

    def start(self, language: str, until: str, joined: date | None = None) -> None:
        """Consent, language, programme (on day ``joined`` if given, then back to the engine's
        day), the baseline if still open, then the next wave up to ``until`` (who joins after
        the training started + grace is not asked the baseline)."""
        today, self.engine._today = self.engine._today, joined or self.engine._today
        self.send("hello", "greet", active=False)
        self.send(YES[language], "affirm")
        self.send(LANGUAGE_REPLY[language], "change_language")
        self.send("demo")
        script = wave_script(self.wave.split("_")[0], language)
        if (self.step or "").startswith("q:bl_"):  # joined in time for the baseline
            baseline = wave_script("baseline", language)
            script = baseline + script if joined is None else script
            for _code, turn in baseline if joined else []:
                self.send(turn.text, turn.intent)
        if joined:
            self.engine._today = today
            self.send("hello", "greet", active=False)
        for code, turn in script:
            if code == until:
                break
            assert self.step == f"q:{code}" or code.endswith("_isco")
            self.send(turn.text, turn.intent)
        assert self.step == f"q:{until}"

    def stored(self, code: str):
        """The stored value of question ``code`` in this chat's wave, or ``None``."""
        trainee = self.engine.store.find_trainee(self.sender)
        answer = self.engine.store.current_answers(trainee.id)[self.wave].get(code)
        return None if answer is None else answer.value
