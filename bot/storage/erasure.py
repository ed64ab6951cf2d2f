"""Erasure ("delete my data"): remove a trainee everywhere, journal it, re-apply it after restores.

Erasing a trainee deletes, in one transaction, every row that references them (any table with a
``trainee_id`` column: answers, consents, contacts, invitations, outreach, wave progress...),
the trainee row itself and Rasa's tracker events of each of their chat addresses (a chat address
*is* Rasa's sender id; the ``events`` table lives in the same database).  The erasure journal
(``erasure_journal``) keeps only keyed hashes: of the pseudonymous id, of each address and each
contact look-up hash.  :func:`reapply` erases again whatever a restored backup brought back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import delete, inspect, select
from sqlalchemy.orm import Session

from bot.ops.tracker_events import EVENTS
from bot.security.crypto import Cipher, keyed_hash
from bot.storage.db import session_scope
from bot.storage.models import Base, Contact, Erasure, Trainee

Entry = tuple[str, str]  # (kind, subject_hash)
_CHUNK = 500


@dataclass(frozen=True)
class ErasureReport:
    """What one erasure (or a re-application of the journal) removed."""

    trainees: int = 0
    contacts: int = 0
    events: int = 0

    def __add__(self, other: ErasureReport) -> ErasureReport:
        return ErasureReport(
            self.trainees + other.trainees,
            self.contacts + other.contacts,
            self.events + other.events,
        )


def address_subject(secret: str, address: str) -> str:
    """Journal hash of a chat address / Rasa sender id (not the contact look-up hash)."""
    return keyed_hash(secret, address.strip(), purpose="erased-address")


def trainee_subject(secret: str, pseudo_id: str) -> str:
    """Journal hash of a trainee's pseudonymous id."""
    return keyed_hash(secret, pseudo_id, purpose="erased-trainee")


def _trainee_tables() -> list:
    """Every Tracer table holding rows of one trainee, children before parents."""
    return [t for t in reversed(Base.metadata.sorted_tables) if "trainee_id" in t.c]


def _has_table(session: Session, name: str) -> bool:
    return inspect(session.connection()).has_table(name)


def delete_tracker_events(session: Session, sender_ids: Iterable[str]) -> int:
    """Delete every Rasa event (all sessions) of these conversations; the number of rows."""
    senders = sorted({s for s in sender_ids if s})
    if not senders or not _has_table(session, "events"):
        return 0
    removed = 0
    for start in range(0, len(senders), _CHUNK):
        chunk = senders[start : start + _CHUNK]
        removed += session.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk))).rowcount
    return removed


def record(session: Session, entries: Iterable[Entry]) -> int:
    """Add journal lines not there yet (idempotent); the number added."""
    wanted = set(entries)
    if not wanted:
        return 0
    known = {
        (kind, digest)
        for kind, digest in session.execute(
            select(Erasure.kind, Erasure.subject_hash).where(
                Erasure.subject_hash.in_(sorted({d for _, d in wanted}))
            )
        )
    }
    missing = sorted(wanted - known)
    session.add_all(Erasure(kind=kind, subject_hash=digest) for kind, digest in missing)
    session.flush()
    return len(missing)


def erase_trainee(
    session: Session, trainee_id: int, *, secret: str, cipher: Cipher
) -> ErasureReport:
    """Erase one trainee inside ``session`` (journal first); a no-op for an unknown id."""
    pseudo_id = session.execute(
        select(Trainee.pseudo_id).where(Trainee.id == trainee_id)
    ).scalar_one_or_none()
    if pseudo_id is None:
        return ErasureReport()
    contacts = session.execute(
        select(Contact.address_hash, Contact.address_encrypted).where(
            Contact.trainee_id == trainee_id
        )
    ).all()
    addresses = set()
    for _, token in contacts:
        try:
            addresses.add(cipher.decrypt(token))
        except ValueError:  # a rotated-out key: the contact hash still goes in the journal
            continue
    entries = {("trainee", trainee_subject(secret, pseudo_id))}
    entries |= {("contact", digest) for digest, _ in contacts}
    entries |= {("address", address_subject(secret, a)) for a in addresses}
    record(session, entries)
    events = delete_tracker_events(session, addresses | {a.strip() for a in addresses})
    session.expunge_all()
    for table in _trainee_tables():
        session.execute(delete(table).where(table.c.trainee_id == trainee_id))
    session.execute(delete(Trainee).where(Trainee.id == trainee_id))
    return ErasureReport(trainees=1, contacts=len(contacts), events=events)


def read_journal(url: str) -> set[Entry]:
    """Every journal line of the database at ``url`` (empty when it has no journal yet)."""
    with session_scope(url) as session:
        if not _has_table(session, Erasure.__tablename__):
            return set()
        return {(k, d) for k, d in session.execute(select(Erasure.kind, Erasure.subject_hash))}


def reapply(url: str, secret: str, cipher: Cipher, entries: Iterable[Entry] = ()) -> ErasureReport:
    """Merge ``entries`` into the journal at ``url`` and erase again everyone it names.

    A trainee is erased again when their pseudonymous id or any of their contacts is in the
    journal; tracker events are deleted for every sender id whose address hash is in it.
    """
    report = ErasureReport()
    with session_scope(url) as session:
        record(session, entries)
        journal = {(k, d) for k, d in session.execute(select(Erasure.kind, Erasure.subject_hash))}
        trainees = {d for k, d in journal if k == "trainee"}
        contacts = {d for k, d in journal if k == "contact"}
        addresses = {d for k, d in journal if k == "address"}
        doomed = {
            trainee_id
            for trainee_id, pseudo_id in session.execute(select(Trainee.id, Trainee.pseudo_id))
            if trainee_subject(secret, pseudo_id) in trainees
        }
        doomed |= {
            trainee_id
            for trainee_id, digest in session.execute(
                select(Contact.trainee_id, Contact.address_hash)
            )
            if digest in contacts
        }
        for trainee_id in sorted(doomed):
            report += erase_trainee(session, trainee_id, secret=secret, cipher=cipher)
        if _has_table(session, "events"):
            senders = session.execute(select(EVENTS.c.sender_id).distinct()).scalars()
            erased = [s for s in senders if s and address_subject(secret, s) in addresses]
            report += ErasureReport(events=delete_tracker_events(session, erased))
    return report
