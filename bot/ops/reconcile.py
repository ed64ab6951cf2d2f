"""Replay Rasa's tracker events into answers the database lost (crash, outage, restore).

For each conversation the events are walked in order, following the ``step``, ``wave`` and
``language`` slots.  A user message that arrives while ``step`` is ``q:<code>`` answered that
question: it is parsed exactly as the survey engine parses it and stored with
``source_message_id`` = the Rasa message id, so a message already stored is never stored twice.
Control messages (help, skip, stop...), unreadable replies, conversations with no trainee (never
registered, or personal data deleted) and answers already superseded by a later reply are left
alone.  Running it twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select

from bot.config import Settings
from bot.i18n import normalise_language
from bot.ops.tracker_events import TrackerEvent, has_events_table, iter_events
from bot.questionnaire.model import Questionnaire
from bot.storage.db import engine_for, session_scope
from bot.storage.models import Answer
from bot.storage.repository import TracerStore, TraineeInfo
from bot.survey.classify import ReplyKind, classify_reply, incoming_from_message
from bot.survey.steps import read_reply

REPLAYED = ("slot", "user", "restart", "session_started")


@dataclass(frozen=True)
class Candidate:
    """A user message that answered a question, as read from the tracker."""

    sender_id: str
    message_id: str
    wave: str
    question_code: str
    value: Any
    raw_text: str | None
    sent_at: datetime


@dataclass
class ReconcileReport:
    """Counts of what reconcile found and did (no personal data)."""

    conversations: int = 0
    answer_messages: int = 0
    already_stored: int = 0
    restored: int = 0
    superseded_later: int = 0
    unknown_trainee: int = 0
    dry_run: bool = False
    restored_codes: dict[str, int] = field(default_factory=dict)


def _entities(parse_data: dict[str, Any]) -> dict[Any, Any]:
    found = parse_data.get("entities") or []
    return {e.get("entity"): e.get("value") for e in found if isinstance(e, dict)}


def _stored(url: str, trainee_id: int, message_id: str) -> bool:
    with session_scope(url) as session:
        found = session.execute(
            select(Answer.id).where(
                Answer.trainee_id == trainee_id, Answer.source_message_id == message_id
            )
        ).first()
        return found is not None


def _as_datetime(timestamp: float | None) -> datetime:
    moment = datetime.fromtimestamp(timestamp or 0, tz=timezone.utc)
    return moment.replace(tzinfo=None)


class _Conversation:
    """Slot state of one conversation while its events are replayed."""

    def __init__(self, sender_id: str) -> None:
        self.sender_id = sender_id
        self.slots: dict[str, Any] = {}

    def apply(self, event: TrackerEvent) -> None:
        if event.type_name == "slot":
            self.slots[str(event.data.get("name"))] = event.data.get("value")
        elif event.type_name in ("restart", "session_started"):
            self.slots = {}


class Reconciler:
    """Finds answer messages in the tracker store and stores the missing ones."""

    def __init__(self, settings: Settings, questionnaire: Questionnaire) -> None:
        self.settings = settings
        self.questionnaire = questionnaire
        self.store = TracerStore(settings)

    def _candidate(self, state: _Conversation, event: TrackerEvent) -> Candidate | None:
        step = state.slots.get("step")
        wave = state.slots.get("wave")
        if not (isinstance(step, str) and step.startswith("q:") and isinstance(wave, str)):
            return None
        code = step[2:]
        if not self.questionnaire.has_question(code):
            return None
        found = event.data.get("parse_data") or {}
        parse_data: dict[str, Any] = found if isinstance(found, dict) else {}
        intent = parse_data.get("intent") or {}
        if not isinstance(intent, dict) or str(intent.get("name", "")).startswith("EXTERNAL_"):
            return None
        text = event.data.get("text")
        message_id = event.data.get("message_id")
        if not message_id:
            return None
        entities = _entities(parse_data)
        language = normalise_language(entities.get("language") or state.slots.get("language"))
        incoming = incoming_from_message(
            state.sender_id,
            {**parse_data, "text": text},
            channel=str(event.data.get("input_channel") or "rest"),
            message_id=str(message_id),
            step=step,
            language=language,
            answers_step=True,
        )
        choice = entities.get("choice")
        reply = str(choice) if choice is not None else (text or "")
        question = self.questionnaire.question(code)
        sent_at = _as_datetime(event.timestamp)
        parsed = read_reply(question, reply, language, today=sent_at.date())
        if not parsed.ok or classify_reply(incoming, question, parsed.ok) is ReplyKind.CONTROL:
            return None
        return Candidate(
            sender_id=state.sender_id,
            message_id=str(message_id),
            wave=wave,
            question_code=code,
            value=parsed.value,
            raw_text=text[:4000] if isinstance(text, str) else None,
            sent_at=sent_at,
        )

    def candidates(self) -> list[Candidate]:
        """Every answer message in the tracker store, oldest first per conversation."""
        engine = engine_for(self.settings.database_url)
        if not has_events_table(engine):
            return []
        found: list[Candidate] = []
        state: _Conversation | None = None
        with engine.connect() as connection:
            for event in iter_events(connection, type_names=REPLAYED):
                if state is None or state.sender_id != event.sender_id:
                    state = _Conversation(event.sender_id)
                if event.type_name == "user":
                    candidate = self._candidate(state, event)
                    if candidate is not None:
                        found.append(candidate)
                state.apply(event)
        return found

    def run(self, *, dry_run: bool = False) -> ReconcileReport:
        """Store every missing answer (none in a dry run); the counts."""
        report = ReconcileReport(dry_run=dry_run)
        trainees: dict[str, TraineeInfo | None] = {}
        current: dict[int, dict[str, dict[str, Any]]] = {}
        for candidate in self.candidates():
            report.answer_messages += 1
            if candidate.sender_id not in trainees:
                trainees[candidate.sender_id] = self.store.find_trainee(candidate.sender_id)
            trainee = trainees[candidate.sender_id]
            if trainee is None or trainee.status == "deleted":
                report.unknown_trainee += 1
                continue
            if _stored(self.settings.database_url, trainee.id, candidate.message_id):
                report.already_stored += 1
                continue
            if trainee.id not in current:
                current[trainee.id] = self.store.current_answers(trainee.id)
            stored = current[trainee.id].get(candidate.wave, {}).get(candidate.question_code)
            if stored is not None and stored.answered_at >= candidate.sent_at:
                report.superseded_later += 1
                continue
            if not dry_run:
                self.store.store_answer(
                    trainee.id,
                    candidate.wave,
                    candidate.question_code,
                    candidate.value,
                    raw_text=candidate.raw_text,
                    source_message_id=candidate.message_id,
                )
                current.pop(trainee.id, None)
            report.restored += 1
            codes = report.restored_codes
            codes[candidate.question_code] = codes.get(candidate.question_code, 0) + 1
        report.conversations = len(trainees)
        return report
