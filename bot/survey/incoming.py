"""What one turn of the survey reads (:class:`Incoming`) and says (:class:`TurnResult`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Incoming:
    """The facts of one user message that the engine needs."""

    sender_id: str
    channel: str
    text: str | None
    intent: str | None
    confidence: float
    entities: dict[str, Any]
    message_id: str
    step: str | None
    language: str | None
    answers_step: bool
    invite_code: str | None = None
    scheduled: bool = False  # a trigger_intent from the scheduler, never a user's typing
    failures: int = 0  # earlier failed tries at this step (bot/survey/retries.py)

    @property
    def is_payload(self) -> bool:
        """True for a button payload or typed ``/intent`` (Rasa skips NLU for those)."""
        return (self.text or "").startswith("/")


@dataclass
class TurnResult:
    """What to say and where the conversation goes next."""

    language: str
    messages: list[str] = field(default_factory=list)
    step: str | None = None
    outcome: str | None = None
    wave: str | None = None
    clear_invite: bool = False
    # Whether the language was said (page, invitation, Telegram, the trainee's words or record)
    # rather than defaulted: a known language is confirmed in passing, not asked.
    language_known: bool = False

    @property
    def ends_form(self) -> bool:
        """True when the survey loop stops after this turn."""
        return self.step is None
