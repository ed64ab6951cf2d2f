"""Read and write Tracer's survey data. Every public method is one short transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any, Iterable

from sqlalchemy import and_, bindparam, case, delete, func, select, tuple_, update

from bot.config import Settings
from bot.security.crypto import Cipher, invite_code_hash, keyed_hash, new_pseudo_id
from bot.storage.answer_store import AnswerStore, StoredAnswer
from bot.storage.db import session_scope
from bot.storage.erasure import ErasureReport, erase_trainee
from bot.storage.models import (
    CHAT_CHANNELS,
    Answer,
    Cohort,
    Consent,
    Contact,
    Invitation,
    Outreach,
    Programme,
    Trainee,
    WaveProgress,
    utcnow,
)

__all__ = ["StoredAnswer", "TraineeInfo", "TracerStore"]


@dataclass(frozen=True)
class TraineeInfo:
    """What the conversation needs to know about a trainee (no personal data)."""

    id: int
    pseudo_id: str
    status: str
    language: str | None
    cohort_id: int | None
    consented: bool
    cohort_end: date | None
    country: str | None = None  # of the cohort, else of the programme (ISO 3166 alpha-2)
    programme: str | None = None  # programme code: its module's questions are asked too
    cohort_start: date | None = None


class TracerStore(AnswerStore):
    """Repository over the Tracer database for one settings object.

    Trainees, contacts, consent, invitations and erasure here; answers and wave progress in
    :class:`bot.storage.answer_store.AnswerStore`.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.url = settings.database_url
        self._cipher = Cipher(settings.encryption_key)

    # -- addresses and trainees -------------------------------------------------------------
    def address_hash(self, address: str) -> str:
        """The keyed look-up hash of a channel address (chat id, session id, phone...)."""
        return keyed_hash(self.settings.secret_key, address.strip(), purpose="address")

    def _info(self, session: Any, trainee: Trainee) -> TraineeInfo:
        consent = session.execute(
            select(Consent)
            .where(Consent.trainee_id == trainee.id)
            .order_by(Consent.decided_at.desc(), Consent.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        consented = bool(
            consent
            and consent.given
            and consent.withdrawn_at is None
            and consent.version == self.settings.consent_version
        )
        cohort = trainee.cohort
        cohort_end = cohort.end_date if cohort is not None else None
        cohort_start = cohort.start_date if cohort is not None else None
        country = (cohort.country or cohort.programme.country) if cohort is not None else None
        return TraineeInfo(
            id=trainee.id,
            pseudo_id=trainee.pseudo_id,
            status=trainee.status,
            language=trainee.language,
            cohort_id=trainee.cohort_id,
            consented=consented,
            cohort_end=cohort_end,
            country=country,
            programme=cohort.programme.code if cohort is not None else None,
            cohort_start=cohort_start,
        )

    def _chat_contact(self, address: str, channel: str | None) -> Any:
        """The WHERE clause matching a conversation address on its own channel."""
        return and_(
            Contact.address_hash == self.address_hash(address),
            Contact.channel.in_(_chat_channels(channel)),
        )

    def find_trainee(self, address: str, channel: str | None = None) -> TraineeInfo | None:
        """The trainee reached at this conversation address on ``channel``, if registered.

        Only chat contacts match (never an imported phone number or e-mail); with ``channel``
        given, only a contact of that channel. One query.
        """
        with session_scope(self.url) as session:
            row = session.execute(
                self._find_trainee_query,
                {"address_hash": self.address_hash(address), "channels": _chat_channels(channel)},
            ).first()
        return None if row is None else _info_from_row(row)

    @cached_property
    def _find_trainee_query(self) -> Any:
        """:meth:`find_trainee`'s statement, built once (it runs on every message): SQLAlchemy
        then keeps its cache key and SQL instead of walking a new statement each time."""
        return (
            select(
                Trainee.id,
                Trainee.pseudo_id,
                Trainee.status,
                Trainee.language,
                Trainee.cohort_id,
                self._latest_consent_given(),
                Cohort.end_date,
                func.coalesce(Cohort.country, Programme.country),
                Programme.code,
                Cohort.start_date,
            )
            .join(Contact, Contact.trainee_id == Trainee.id)
            .outerjoin(Cohort, Cohort.id == Trainee.cohort_id)
            .outerjoin(Programme, Programme.id == Cohort.programme_id)
            .where(
                Contact.address_hash == bindparam("address_hash"),
                Contact.channel.in_(bindparam("channels", expanding=True)),
            )
            .limit(1)
        )

    def _latest_consent_given(self) -> Any:
        """Correlated subquery: 1 if the trainee's latest consent decision is a current yes."""
        current = and_(
            Consent.given.is_(True),
            Consent.withdrawn_at.is_(None),
            Consent.version == self.settings.consent_version,
        )
        return (
            select(case((current, 1), else_=0))
            .where(Consent.trainee_id == Trainee.id)
            .order_by(Consent.decided_at.desc(), Consent.id.desc())
            .limit(1)
            .correlate(Trainee)
            .scalar_subquery()
        )

    def trainee_by_id(self, trainee_id: int) -> TraineeInfo:
        """The trainee with this database id."""
        with session_scope(self.url) as session:
            return self._info(session, session.get(Trainee, trainee_id))

    def add_contact(self, session: Any, trainee_id: int, channel: str, address: str) -> None:
        """Attach an encrypted address to a trainee inside an open session (idempotent)."""
        digest = self.address_hash(address)
        exists = session.execute(
            select(Contact.id).where(Contact.channel == channel, Contact.address_hash == digest)
        ).first()
        if not exists:
            session.add(
                Contact(
                    trainee_id=trainee_id,
                    channel=channel,
                    address_hash=digest,
                    address_encrypted=self._cipher.encrypt(address),
                )
            )

    def register_consent(
        self,
        address: str,
        channel: str,
        language: str,
        invite_code: str | None = None,
    ) -> TraineeInfo:
        """Record consent given: the trainee (new, or the invited one) is bound to this address."""
        now = utcnow()
        with session_scope(self.url) as session:
            trainee = session.execute(
                select(Trainee)
                .join(Contact, Contact.trainee_id == Trainee.id)
                .where(self._chat_contact(address, channel))
                .limit(1)
            ).scalar_one_or_none()
            if trainee is None and invite_code:
                trainee = self._redeem(session, invite_code, now)
            if trainee is None:
                trainee = Trainee(pseudo_id=new_pseudo_id(), language=language, status="active")
                session.add(trainee)
                session.flush()
            trainee.language = language
            trainee.status = "active"
            trainee.opted_out_at = None
            self.add_contact(session, trainee.id, channel, address)
            session.add(
                Consent(trainee_id=trainee.id, version=self.settings.consent_version, given=True)
            )
            session.flush()
            return self._info(session, trainee)

    def _redeem(self, session: Any, code: str, now: datetime) -> Trainee | None:
        digest = invite_code_hash(self.settings.secret_key, code)
        invitation = session.execute(
            select(Invitation).where(Invitation.code_hash == digest, Invitation.used_at.is_(None))
        ).scalar_one_or_none()
        if invitation is None:
            return None
        invitation.used_at = now
        # The trainee's other codes (an invitation and later wave reminders by SMS/e-mail each
        # carry one) close with it: one code links one chat, never a second one later.
        session.execute(
            update(Invitation)
            .where(Invitation.trainee_id == invitation.trainee_id, Invitation.used_at.is_(None))
            .values(used_at=now)
        )
        return session.get(Trainee, invitation.trainee_id)

    def redeem_invite(self, trainee_id: int, code: str, channel: str, address: str) -> bool:
        """Merge a registered trainee into the invited one when a valid unused code is typed."""
        now = utcnow()
        with session_scope(self.url) as session:
            invited = self._redeem(session, code, now)
            if invited is None:
                return False
            if invited.id != trainee_id:
                self._merge_into(session, source_id=trainee_id, target=invited)
            return True

    def _merge_into(self, session: Any, source_id: int, target: Trainee) -> None:
        """Move the source trainee's rows to ``target``; the source's answers are the newer."""
        source = session.get(Trainee, source_id)
        moving = select(Answer.wave, Answer.question_code).where(
            Answer.trainee_id == source_id, Answer.is_current.is_(True)
        )
        session.execute(
            update(Answer)
            .where(
                Answer.trainee_id == target.id,
                Answer.is_current.is_(True),
                tuple_(Answer.wave, Answer.question_code).in_(moving),
            )
            .values(is_current=False, superseded_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        target_waves = select(WaveProgress.wave).where(WaveProgress.trainee_id == target.id)
        session.execute(
            delete(WaveProgress)
            .where(WaveProgress.trainee_id == source_id, WaveProgress.wave.in_(target_waves))
            .execution_options(synchronize_session=False)
        )
        for table in (Answer, Consent, WaveProgress, Contact, Outreach):
            session.execute(
                update(table).where(table.trainee_id == source_id).values(trainee_id=target.id)
            )
        target.language = source.language or target.language
        target.status = "active"
        session.delete(source)

    def set_language(self, trainee_id: int, language: str) -> None:
        """Remember the trainee's chosen language."""
        with session_scope(self.url) as session:
            session.get(Trainee, trainee_id).language = language

    def set_cohort(self, trainee_id: int, cohort_id: int) -> None:
        """Register the trainee to a cohort."""
        with session_scope(self.url) as session:
            session.get(Trainee, trainee_id).cohort_id = cohort_id

    # -- programmes --------------------------------------------------------------------------
    def programmes(self) -> list[tuple[str, str]]:
        """(code, name) of every programme, by name."""
        with session_scope(self.url) as session:
            rows = session.execute(select(Programme.code, Programme.name).order_by(Programme.name))
            return [(code, name) for code, name in rows]

    def cohorts_of(self, programme_code: str) -> list[tuple[int, str]]:
        """(id, name) of a programme's cohorts, newest first."""
        with session_scope(self.url) as session:
            rows = session.execute(
                select(Cohort.id, Cohort.name)
                .join(Programme, Programme.id == Cohort.programme_id)
                .where(Programme.code == programme_code)
                .order_by(Cohort.start_date.desc(), Cohort.id.desc())
            )
            return [(cid, name) for cid, name in rows]

    # -- opting out and deletion -------------------------------------------------------------
    def opt_out(self, trainee_id: int) -> None:
        """Withdraw consent: no more contact, planned outreach cancelled, answers kept."""
        now = utcnow()
        with session_scope(self.url) as session:
            trainee = session.get(Trainee, trainee_id)
            trainee.status = "opted_out"
            trainee.opted_out_at = now
            session.execute(
                update(Consent)
                .where(Consent.trainee_id == trainee_id, Consent.withdrawn_at.is_(None))
                .values(withdrawn_at=now)
            )
            session.execute(
                update(Outreach)
                .where(Outreach.trainee_id == trainee_id, Outreach.state == "planned")
                .values(state="cancelled", result="opted_out")
            )

    def delete_personal_data(self, trainee_id: int) -> ErasureReport:
        """Erase the trainee everywhere in one transaction (rows, trackers, invitations), journaled.

        See :mod:`bot.storage.erasure`; Rasa re-saves the conversation being served after this
        action returns, so the tracker store deletes that conversation's events once more
        (``TracerSQLTrackerStore.save``).
        """
        with session_scope(self.url) as session:
            return erase_trainee(
                session, trainee_id, secret=self.settings.secret_key, cipher=self._cipher
            )

    def contact_addresses(self, trainee_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """trainee id → (channel, decrypted address) of its chat contact (messengers first)."""
        preference = {"telegram": 0, "whatsapp": 1, "socketio": 2, "rest": 3}
        result: dict[int, tuple[str, str]] = {}
        with session_scope(self.url) as session:
            rows = session.execute(
                select(Contact.trainee_id, Contact.channel, Contact.address_encrypted).where(
                    Contact.trainee_id.in_(list(trainee_ids)),
                    Contact.channel.in_(list(preference)),
                )
            )
            for trainee_id, channel, token in rows:
                known = result.get(trainee_id)
                if known is None or preference[channel] < preference[known[0]]:
                    result[trainee_id] = (channel, self._cipher.decrypt(token))
        return result


def _chat_channels(channel: str | None) -> list[str]:
    """The chat channels a conversation address is looked up on: ``channel`` if it is one,
    every chat channel when none is given."""
    return [c for c in ((channel,) if channel else CHAT_CHANNELS) if c in CHAT_CHANNELS]


def _info_from_row(row: Any) -> TraineeInfo:
    """A :class:`TraineeInfo` from a row of :meth:`TracerStore.find_trainee`'s query."""
    (
        trainee_id,
        pseudo_id,
        status,
        language,
        cohort_id,
        consented,
        cohort_end,
        country,
        code,
        cohort_start,
    ) = row
    return TraineeInfo(
        id=trainee_id,
        pseudo_id=pseudo_id,
        status=status,
        language=language,
        cohort_id=cohort_id,
        consented=bool(consented),
        cohort_end=cohort_end,
        country=country,
        programme=code,
        cohort_start=cohort_start,
    )
