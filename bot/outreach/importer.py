"""Import a cohort file: validate every row, then write all of it in one transaction or nothing.

Names, phones, emails and the centre's trainee reference go only into ``contact`` rows,
encrypted (channels ``name``, ``phone``, ``email``, ``ref``); trainee rows hold a pseudonymous
id, the cohort and survey metadata (language, sex, birth year).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from tqdm import tqdm

from bot.config import Settings
from bot.outreach.programmes import programme_by_code
from bot.outreach.rows import FileFormatError, RawRow, read_rows
from bot.outreach.validate import CohortFields, TraineeRow, validate_row
from bot.security.crypto import Cipher, keyed_hash, new_pseudo_id
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Contact, Programme, Trainee

COLUMNS = (
    "cohort_code",
    "cohort_name",
    "start_date",
    "end_date",
    "region",
    "timezone",
    "country",
    "trainee_ref",
    "name",
    "phone",
    "email",
    "sex",
    "birth_year",
    "language",
)
_COHORT_FIELDS = ("name", "start_date", "end_date", "region", "timezone", "country")
_CHUNK = 900


class CohortImportError(RuntimeError):
    """The import cannot start (unknown programme, unreadable file)."""


@dataclass
class ImportReport:
    """Outcome of an import: counts, every rejected row (line, reason), and warnings."""

    rows: int = 0
    valid: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new_cohorts: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        """True when no row was rejected."""
        return not self.rejected


def ref_hash(settings: Settings, programme: str, ref: str) -> str:
    """Look-up hash of a centre's trainee reference, unique within a programme."""
    return keyed_hash(settings.secret_key, f"{programme}\x1f{ref}", purpose="address")


def _address_hash(settings: Settings, address: str) -> str:
    return keyed_hash(settings.secret_key, address.strip(), purpose="address")


class _Checker:
    """Cross-row checks: duplicates in the file and in the database, cohort consistency."""

    def __init__(self, settings: Settings, programme: str, existing: dict[str, Cohort]) -> None:
        self.settings = settings
        self.programme = programme
        self.existing = existing
        self.seen: dict[tuple[str, str], int] = {}
        self.cohorts: dict[str, tuple[CohortFields, int]] = {}

    def keys(self, row: TraineeRow) -> list[tuple[str, str, str]]:
        """(channel, label, hash) of the row's unique identifiers."""
        keys = []
        if row.phone:
            keys.append(("phone", "phone", _address_hash(self.settings, row.phone)))
        if row.email:
            keys.append(("email", "email", _address_hash(self.settings, row.email)))
        if row.ref:
            keys.append(("ref", "trainee_ref", ref_hash(self.settings, self.programme, row.ref)))
        return keys

    def file_duplicates(self, row: TraineeRow) -> list[str]:
        """Reasons when a phone/email/ref appeared on an earlier line."""
        errors = []
        for channel, label, digest in self.keys(row):
            first = self.seen.get((channel, digest))
            if first is not None:
                errors.append(f"{label} duplicates line {first}")
            else:
                self.seen[(channel, digest)] = row.line
        return errors

    def cohort_conflicts(self, row: TraineeRow) -> list[str]:
        """Reasons when the row's cohort columns contradict an earlier line or the database."""
        fields = row.cohort
        errors = []
        known = self.cohorts.get(fields.code)
        if known is None:
            self.cohorts[fields.code] = (fields, row.line)
        else:
            first, line = known
            errors += _differences(fields, first, f"line {line}")
        stored = self.existing.get(fields.code)
        if stored is not None:
            errors += _differences(fields, _fields_of(stored), "the database")
        return errors


def _fields_of(cohort: Cohort) -> CohortFields:
    return CohortFields(
        cohort.code,
        cohort.name,
        cohort.start_date,
        cohort.end_date,
        cohort.region or "",
        cohort.timezone or "",
        cohort.country or "",
    )


def _differences(fields: CohortFields, other: CohortFields, where: str) -> list[str]:
    errors = []
    for name in _COHORT_FIELDS:
        mine, theirs = getattr(fields, name), getattr(other, name)
        if name == "name" and mine == fields.code:
            continue  # no cohort_name given on this line
        if mine and theirs and mine != theirs:
            label = "cohort_name" if name == "name" else name
            errors.append(f"cohort {fields.code}: {label} '{mine}' differs from {where}")
    return errors


def _db_duplicates(
    session: Session, checker: _Checker, rows: list[TraineeRow]
) -> dict[int, list[str]]:
    """line → reasons for identifiers already registered in the database."""
    wanted: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for row in rows:
        for channel, label, digest in checker.keys(row):
            wanted.setdefault((channel, digest), []).append((row.line, label))
    found: dict[int, list[str]] = {}
    hashes = list({digest for _, digest in wanted})
    for start in range(0, len(hashes), _CHUNK):
        result = session.execute(
            select(Contact.channel, Contact.address_hash).where(
                Contact.address_hash.in_(hashes[start : start + _CHUNK])
            )
        )
        for channel, digest in result:
            for line, label in wanted.get((channel, digest), []):
                found.setdefault(line, []).append(f"{label} is already registered")
    return found


def _validate(
    settings: Settings,
    session: Session,
    programme: str,
    existing: dict[str, Cohort],
    raw_rows: list[RawRow],
    region_code: str | None,
    report: ImportReport,
    progress: bool,
) -> list[TraineeRow]:
    checker = _Checker(settings, programme, existing)
    today = date.today()
    valid: list[TraineeRow] = []
    errors_by_line: dict[int, list[str]] = {}
    for raw in tqdm(raw_rows, desc="checking", unit="row", disable=None if progress else True):
        row, errors = validate_row(raw.line, raw.cells, region_code, today)
        if row is not None:
            errors = checker.file_duplicates(row) + checker.cohort_conflicts(row)
        if errors:
            errors_by_line[raw.line] = errors
        elif row is not None:
            valid.append(row)
    for line, errors in _db_duplicates(session, checker, valid).items():
        errors_by_line.setdefault(line, []).extend(errors)
    report.rejected = [(line, "; ".join(errs)) for line, errs in sorted(errors_by_line.items())]
    return [row for row in valid if row.line not in errors_by_line]


def _cohort_for(
    session: Session, programme: Programme, fields: CohortFields, cohorts: dict[str, Cohort]
) -> tuple[Cohort, bool]:
    cohort = cohorts.get(fields.code)
    created = cohort is None
    if cohort is None:
        cohort = Cohort(programme_id=programme.id, code=fields.code, name=fields.name)
        session.add(cohort)
        cohorts[fields.code] = cohort
    if fields.name != fields.code and (created or cohort.name == cohort.code):
        cohort.name = fields.name
    cohort.start_date = cohort.start_date or fields.start_date
    cohort.end_date = cohort.end_date or fields.end_date
    cohort.region = cohort.region or fields.region or None
    cohort.timezone = cohort.timezone or fields.timezone or None
    cohort.country = cohort.country or fields.country or None
    return cohort, created


def _write(
    settings: Settings,
    session: Session,
    programme: Programme,
    cohorts: dict[str, Cohort],
    rows: list[TraineeRow],
    report: ImportReport,
    progress: bool,
) -> None:
    cipher = Cipher(settings.encryption_key)
    for row in rows:
        _, created = _cohort_for(session, programme, row.cohort, cohorts)
        if created:
            report.new_cohorts.append(row.cohort.code)
    session.flush()
    chunks = range(0, len(rows), _CHUNK)
    for start in tqdm(chunks, desc="writing", unit="chunk", disable=None if progress else True):
        chunk = rows[start : start + _CHUNK]
        trainees = [
            Trainee(
                pseudo_id=new_pseudo_id(),
                cohort_id=cohorts[row.cohort.code].id,
                language=row.language,
                sex=row.sex,
                birth_year=row.birth_year,
                status="active",
            )
            for row in chunk
        ]
        session.add_all(trainees)
        session.flush()
        contacts = []
        for row, trainee in zip(chunk, trainees, strict=True):
            values = [
                ("name", row.name, f"{trainee.pseudo_id}\x1f{row.name}"),
                ("phone", row.phone, row.phone),
                ("email", row.email, row.email),
                ("ref", row.ref, f"{programme.code}\x1f{row.ref}"),
            ]
            for channel, address, hashed in values:
                if address:
                    contacts.append(
                        Contact(
                            trainee_id=trainee.id,
                            channel=channel,
                            address_hash=keyed_hash(
                                settings.secret_key, hashed.strip(), purpose="address"
                            ),
                            address_encrypted=cipher.encrypt(address),
                        )
                    )
        session.add_all(contacts)
        session.flush()


def import_cohorts(
    settings: Settings,
    path: Path,
    programme_code: str,
    *,
    region_code: str | None = None,
    dry_run: bool = False,
    progress: bool = False,
) -> ImportReport:
    """Validate ``path`` and, when every row is valid and not ``dry_run``, write it all."""
    try:
        header, raw_rows = read_rows(path)
    except FileFormatError as error:
        raise CohortImportError(str(error)) from error
    if "cohort_code" not in header:
        expected = ", ".join(COLUMNS)
        raise CohortImportError(f"{path.name}: missing column cohort_code (columns: {expected})")
    report = ImportReport(rows=len(raw_rows))
    unknown = [c for c in header if c and c not in COLUMNS]
    if unknown:
        report.warnings.append(f"ignored unknown columns: {', '.join(unknown)}")
    if not any(c in header for c in ("name", "phone", "email")):
        raise CohortImportError(f"{path.name}: needs a name, phone or email column")
    with session_scope(settings.database_url) as session:
        programme = programme_by_code(session, programme_code)
        if programme is None:
            raise CohortImportError(
                f"unknown programme '{programme_code}' (add it with 'tracer programmes add')"
            )
        cohorts = {
            c.code: c
            for c in session.execute(select(Cohort).where(Cohort.programme_id == programme.id))
            .scalars()
            .all()
        }
        valid = _validate(
            settings, session, programme_code, cohorts, raw_rows, region_code, report, progress
        )
        report.valid = len(valid)
        if report.rejected or dry_run or not valid:
            session.rollback()
            return report
        _write(settings, session, programme, cohorts, valid, report, progress)
        report.written = True
    return report
