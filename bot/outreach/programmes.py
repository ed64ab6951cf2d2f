"""Training programmes and their cohorts: add, set the country, list (the database side of
``tracer programmes``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.storage.db import session_scope
from bot.storage.models import Cohort, Programme, Setting


class ProgrammeError(ValueError):
    """The programme or cohort named does not exist, or the code is taken (message says)."""


@dataclass(frozen=True)
class CohortListing:
    """One cohort as ``tracer programmes list`` shows it."""

    code: str
    name: str
    end_date: date | None
    country: str | None


@dataclass(frozen=True)
class ProgrammeListing:
    """One programme with its cohorts."""

    code: str
    name: str
    country: str | None
    cohorts: tuple[CohortListing, ...]


def add_programme(
    database_url: str,
    code: str,
    name: str,
    country: str | None = None,
    *,
    cohort_code: str | None = None,
    start: date | None = None,
    end: date | None = None,
    region: str | None = None,
) -> None:
    """Add programme ``code`` (and, with ``cohort_code``, its first cohort)."""
    try:
        with session_scope(database_url) as session:
            programme = Programme(code=code, name=name, country=country)
            session.add(programme)
            session.flush()
            if cohort_code:
                session.add(
                    Cohort(
                        programme_id=programme.id,
                        code=cohort_code,
                        name=f"{name} {cohort_code}",
                        start_date=start,
                        end_date=end,
                        region=region,
                    )
                )
    except IntegrityError:
        raise ProgrammeError(f"a programme with code '{code}' already exists") from None


def programme_by_code(session: Any, code: str) -> Programme | None:
    """The programme with this code inside an open session, or None."""
    return session.execute(select(Programme).where(Programme.code == code)).scalar_one_or_none()


def set_country(database_url: str, code: str, country: str, cohort_code: str | None) -> str:
    """Set the country of programme ``code`` (or of one of its cohorts); what was changed."""
    with session_scope(database_url) as session:
        programme = programme_by_code(session, code)
        if programme is None:
            raise ProgrammeError(f"no programme with code '{code}'")
        if cohort_code is None:
            programme.country = country
            return f"programme {code}"
        cohort = next((c for c in programme.cohorts if c.code == cohort_code), None)
        if cohort is None:
            raise ProgrammeError(f"programme '{code}' has no cohort '{cohort_code}'")
        cohort.country = country
        return f"cohort {cohort_code} of {code}"


def list_programmes(database_url: str) -> list[ProgrammeListing]:
    """Every programme with its cohorts, ordered by programme code."""
    with session_scope(database_url) as session:
        rows = session.execute(select(Programme).order_by(Programme.code)).scalars().all()
        return [
            ProgrammeListing(
                programme.code,
                programme.name,
                programme.country,
                tuple(
                    CohortListing(
                        cohort.code,
                        cohort.name,
                        cohort.end_date if isinstance(cohort.end_date, date) else None,
                        cohort.country,
                    )
                    for cohort in programme.cohorts
                ),
            )
            for programme in rows
        ]


def programme_language(database_url: str, programme: str) -> str:
    """The programme's report language setting (``tracer_state`` key
    ``report_language:<programme>``), else English."""
    with session_scope(database_url) as session:
        value = session.scalar(
            select(Setting.value).where(Setting.key == f"report_language:{programme}")
        )
    return value if value in ("en", "fr", "es") else "en"


def set_programme_language(database_url: str, programme: str, language: str) -> None:
    """Make ``language`` the programme's report language setting."""
    with session_scope(database_url) as session:
        session.merge(Setting(key=f"report_language:{programme}", value=language))
