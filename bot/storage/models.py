"""SQLAlchemy tables of Tracer.

Personal data is kept apart: a trainee row holds only a pseudonymous id and survey metadata;
the channel address (Telegram chat id, web session id, phone, email) lives only in ``contact``,
encrypted, with a keyed hash for look-ups.  Answers reference the trainee, never an address.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import declarative_base, relationship

Base: Any = declarative_base()  # SQLAlchemy 1.4 ships no type hints


def utcnow() -> datetime:
    """Timezone-naive UTC now, as stored in every timestamp column."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Programme(Base):
    """A training programme (e.g. "Solar PV installation")."""

    __tablename__ = "programme"
    id = Column(Integer, primary_key=True)
    code = Column(String(64), nullable=False, unique=True)
    name = Column(String(200), nullable=False)
    # ISO 3166 alpha-2: the currency of amounts typed without one ("pesos" in CO → COP)
    country = Column(String(2), nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    cohorts = relationship("Cohort", back_populates="programme", order_by="Cohort.start_date")


class Cohort(Base):
    """One intake of a programme, with its dates and place."""

    __tablename__ = "cohort"
    id = Column(Integer, primary_key=True)
    programme_id = Column(Integer, ForeignKey("programme.id"), nullable=False, index=True)
    code = Column(String(64), nullable=False)
    name = Column(String(200), nullable=False)
    start_date = Column(Date, nullable=True)
    end_date = Column(Date, nullable=True)
    region = Column(String(120), nullable=True)
    timezone = Column(String(64), nullable=True)
    # ISO 3166 alpha-2; when empty, the programme's country applies
    country = Column(String(2), nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    programme = relationship("Programme", back_populates="cohorts")
    __table_args__ = (UniqueConstraint("programme_id", "code", name="uq_cohort_code"),)


class Trainee(Base):
    """A participant, known only by a pseudonymous id and survey metadata."""

    __tablename__ = "trainee"
    id = Column(Integer, primary_key=True)
    pseudo_id = Column(String(32), nullable=False, unique=True)
    cohort_id = Column(Integer, ForeignKey("cohort.id"), nullable=True, index=True)
    language = Column(String(8), nullable=True)
    # active | opted_out | deleted
    status = Column(String(16), nullable=False, default="active")
    sex = Column(String(16), nullable=True)
    birth_year = Column(Integer, nullable=True)
    completion_status = Column(String(16), nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    opted_out_at = Column(DateTime, nullable=True)
    cohort = relationship("Cohort")


# Contact channels that carry a conversation. Only these identify a chat sender, and only on
# their own channel: a phone number or e-mail from a cohort file never matches a chat sender.
CHAT_CHANNELS = ("telegram", "socketio", "rest", "whatsapp")


class Contact(Base):
    """A way to reach a trainee. The only table holding an address, encrypted at rest."""

    __tablename__ = "contact"
    id = Column(Integer, primary_key=True)
    trainee_id = Column(
        Integer, ForeignKey("trainee.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # telegram | web | rest | phone | email | name
    channel = Column(String(16), nullable=False)
    address_hash = Column(String(64), nullable=False)
    address_encrypted = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    __table_args__ = (UniqueConstraint("channel", "address_hash", name="uq_contact_address"),)


class Invitation(Base):
    """A single-use invitation code for one trainee (only its hash is stored)."""

    __tablename__ = "invitation"
    id = Column(Integer, primary_key=True)
    trainee_id = Column(
        Integer, ForeignKey("trainee.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code_hash = Column(String(64), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    used_at = Column(DateTime, nullable=True)
    # Sent by Tracer itself (bot/outreach/invite_send.py); NULL when issued for a CSV only.
    # send_state: sending / accepted / delivered / failed / unknown.
    send_channel = Column(String(16), nullable=True)
    send_state = Column(String(16), nullable=True)
    send_attempts = Column(Integer, nullable=False, default=0, server_default="0")
    send_result = Column(String(200), nullable=True)
    provider_ref = Column(String(80), nullable=True, index=True)
    sent_at = Column(DateTime, nullable=True)
    delivered_at = Column(DateTime, nullable=True)


class Consent(Base):
    """A consent decision (given or refused) for a consent-text version; withdrawal kept."""

    __tablename__ = "consent"
    id = Column(Integer, primary_key=True)
    trainee_id = Column(
        Integer, ForeignKey("trainee.id", ondelete="CASCADE"), nullable=False, index=True
    )
    version = Column(String(32), nullable=False)
    given = Column(Boolean, nullable=False)
    decided_at = Column(DateTime, nullable=False, default=utcnow)
    withdrawn_at = Column(DateTime, nullable=True)


class Answer(Base):
    """One coded answer to one question of one wave.

    A corrected answer supersedes the earlier one (``is_current`` false, ``superseded_at`` set):
    the history is kept.  ``source_message_id`` makes storing idempotent on retries.
    """

    __tablename__ = "answer"
    id = Column(Integer, primary_key=True)
    trainee_id = Column(Integer, ForeignKey("trainee.id", ondelete="CASCADE"), nullable=False)
    wave = Column(String(32), nullable=False)
    question_code = Column(String(64), nullable=False)
    # answered | skipped
    status = Column(String(16), nullable=False, default="answered")
    value_json = Column(JSON, nullable=True)
    value_number = Column(Float, nullable=True)
    value_text = Column(String(400), nullable=True)
    # money: the pay period typed (hour … year); value_number is then the monthly equivalent
    value_period = Column(String(16), nullable=True)
    raw_text = Column(Text, nullable=True)
    source_message_id = Column(String(128), nullable=False)
    answered_at = Column(DateTime, nullable=False, default=utcnow)
    is_current = Column(Boolean, nullable=False, default=True)
    superseded_at = Column(DateTime, nullable=True)
    # the questionnaire (or module) version the question was asked in (issue 17)
    questionnaire_version = Column(String(64), nullable=True)
    __table_args__ = (
        UniqueConstraint("trainee_id", "source_message_id", name="uq_answer_source_message"),
        Index("ix_answer_trainee_wave", "trainee_id", "wave", "is_current"),
        Index("ix_answer_question", "question_code", "wave"),
        # one current answer per question of a wave (migration 0005); superseded ones are kept
        Index(
            "uq_answer_current",
            "trainee_id",
            "wave",
            "question_code",
            unique=True,
            sqlite_where=text("is_current = 1"),
            postgresql_where=text("is_current"),
        ),
    )


class WaveProgress(Base):
    """Where a trainee stands in a wave: started, completed."""

    __tablename__ = "wave_progress"
    id = Column(Integer, primary_key=True)
    trainee_id = Column(Integer, ForeignKey("trainee.id", ondelete="CASCADE"), nullable=False)
    wave = Column(String(32), nullable=False)
    started_at = Column(DateTime, nullable=False, default=utcnow)
    completed_at = Column(DateTime, nullable=True)
    __table_args__ = (UniqueConstraint("trainee_id", "wave", name="uq_wave_progress"),)


class Outreach(Base):
    """One planned or made contact attempt for a wave (invitation, follow-up, reminder)."""

    __tablename__ = "outreach"
    id = Column(Integer, primary_key=True)
    trainee_id = Column(Integer, ForeignKey("trainee.id", ondelete="CASCADE"), nullable=False)
    wave = Column(String(32), nullable=False)
    attempt = Column(Integer, nullable=False, default=0)
    due_at = Column(DateTime, nullable=False)
    # planned | sending | sent | failed | cancelled
    state = Column(String(16), nullable=False, default="planned")
    sent_at = Column(DateTime, nullable=True)
    result = Column(String(200), nullable=True)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    __table_args__ = (
        UniqueConstraint("trainee_id", "wave", "attempt", name="uq_outreach_attempt"),
        Index("ix_outreach_due", "state", "due_at"),
    )


class Setting(Base):
    """Small key/value state (e.g. the Telegram polling offset)."""

    __tablename__ = "tracer_state"
    key = Column(String(64), primary_key=True)
    value = Column(Text, nullable=False)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class Erasure(Base):
    """One line of the erasure journal: a keyed hash of something erased, never the value.

    ``kind`` is ``trainee`` (hash of the pseudonymous id), ``address`` (hash of a chat address,
    which is also Rasa's sender id) or ``contact`` (a contact row's own look-up hash).  The
    journal is re-applied after ``tracer restore`` so an older backup brings nobody back.
    """

    __tablename__ = "erasure_journal"
    id = Column(Integer, primary_key=True)
    kind = Column(String(16), nullable=False)
    subject_hash = Column(String(64), nullable=False)
    erased_at = Column(DateTime, nullable=False, default=utcnow)
    __table_args__ = (UniqueConstraint("kind", "subject_hash", name="uq_erasure_subject"),)


class QuestionnaireVersion(Base):
    """One imported questionnaire (``scope`` core) or programme module (scope = programme code).

    ``workbook`` holds the XLSForm as imported (stable bytes), so any version can be re-read.
    """

    __tablename__ = "questionnaire_version"
    id = Column(Integer, primary_key=True)
    scope = Column(String(64), nullable=False)
    version = Column(String(64), nullable=False)
    sha256 = Column(String(64), nullable=False)
    workbook = Column(LargeBinary, nullable=False)
    imported_at = Column(DateTime, nullable=False, default=utcnow)
    __table_args__ = (UniqueConstraint("scope", "version", name="uq_questionnaire_version"),)


class FeedbackChoice(Base):
    """Whether a trainee wants the results of the study (issue 20); no row: yes (the default
    given at consent). Turned off by "no results" in any language (bot/feedback/optout.py)."""

    __tablename__ = "feedback_choice"
    trainee_id = Column(
        Integer, ForeignKey("trainee.id", ondelete="CASCADE"), primary_key=True, nullable=False
    )
    wants_results = Column(Boolean, nullable=False, default=True)
    decided_at = Column(DateTime, nullable=False, default=utcnow)


class FeedbackSend(Base):
    """One results message per trainee and wave: the row is the claim (unique key), then
    ``sent``, ``failed`` (refused for good) or ``unknown`` (may have gone out)."""

    __tablename__ = "feedback_send"
    id = Column(Integer, primary_key=True)
    trainee_id = Column(Integer, ForeignKey("trainee.id", ondelete="CASCADE"), nullable=False)
    wave = Column(String(32), nullable=False)
    channel = Column(String(16), nullable=False)
    state = Column(String(16), nullable=False, default="sending")
    result = Column(String(200), nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    sent_at = Column(DateTime, nullable=True)
    __table_args__ = (UniqueConstraint("trainee_id", "wave", name="uq_feedback_send"),)


class FeedbackSummary(Base):
    """The published figures of one programme/cohort/wave behind a public summary page
    (``/results/<token>``): aggregate figures only, never a trainee."""

    __tablename__ = "feedback_summary"
    token = Column(String(32), primary_key=True)
    programme_id = Column(Integer, ForeignKey("programme.id"), nullable=False)
    cohort_code = Column(String(64), nullable=True)
    wave = Column(String(32), nullable=False)
    figures_json = Column(JSON, nullable=False)
    published_at = Column(DateTime, nullable=False, default=utcnow)


# The console's tables (issue 18) live in their own module on the same Base.
from bot.storage import console_models as _console_models  # noqa: E402,F401
