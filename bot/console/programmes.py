"""Programmes and cohorts as the console lists and edits them (same tables as the CLI)."""

from __future__ import annotations

from datetime import date
from zoneinfo import available_timezones

from sqlalchemy import func, select

from bot.outreach import programmes as registry
from bot.outreach.programmes import ProgrammeError, programme_by_code
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Programme, Trainee

__all__ = [
    "ProgrammeError",
    "add_programme",
    "cohorts_of",
    "programme_codes",
    "programme_rows",
    "save_cohort",
]


def programme_rows(url: str, allowed: tuple[str, ...] | None) -> list[dict]:
    """Programmes (those in ``allowed``, or all) with cohort and trainee counts."""
    with session_scope(url) as session:
        statement = select(Programme).order_by(Programme.code)
        if allowed is not None:
            statement = statement.where(Programme.code.in_(allowed))
        rows = []
        for programme in session.execute(statement).scalars():
            trainees = session.execute(
                select(func.count(Trainee.id))
                .join(Cohort, Cohort.id == Trainee.cohort_id)
                .where(Cohort.programme_id == programme.id)
            ).scalar_one()
            rows.append(
                {
                    "code": programme.code,
                    "name": programme.name,
                    "cohorts": len(programme.cohorts),
                    "trainees": trainees,
                }
            )
        return rows


def cohorts_of(url: str, code: str) -> tuple[dict, list[dict]]:
    """(programme, its cohorts) as plain dicts; ProgrammeError when unknown."""
    with session_scope(url) as session:
        programme = programme_by_code(session, code)
        if programme is None:
            raise ProgrammeError(f"no programme '{code}'")
        cohorts = [
            {
                "code": c.code,
                "name": c.name,
                "start_date": c.start_date,
                "end_date": c.end_date,
                "region": c.region or "",
                "timezone": c.timezone or "",
            }
            for c in programme.cohorts
        ]
        return {"code": programme.code, "name": programme.name}, cohorts


def _date(text: str | None, label: str) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ProgrammeError(f"{label}: '{text}' is not a date like 2026-03-31") from None


def _timezone(text: str | None) -> str | None:
    text = (text or "").strip()
    if text and text not in available_timezones():
        raise ProgrammeError(f"time zone '{text}' is unknown (e.g. Africa/Nairobi)")
    return text or None


def add_programme(url: str, code: str, name: str) -> None:
    """Create a programme; ProgrammeError when the code is taken or empty."""
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise ProgrammeError("a programme needs a code and a name")
    registry.add_programme(url, code, name)


def save_cohort(url: str, programme: str, form: dict[str, str], create: bool) -> str:
    """Create or edit a cohort's name, dates, region and time zone; returns its code."""
    code = (form.get("code") or "").strip()
    start, end = _date(form.get("start_date"), "start"), _date(form.get("end_date"), "end")
    if start and end and end < start:
        raise ProgrammeError("the end date is before the start date")
    zone = _timezone(form.get("timezone"))
    if not code:
        raise ProgrammeError("a cohort needs a code")
    with session_scope(url) as session:
        owner = session.execute(select(Programme).where(Programme.code == programme)).scalar_one()
        cohort = next((c for c in owner.cohorts if c.code == code), None)
        if create and cohort is not None:
            raise ProgrammeError(f"cohort '{code}' already exists")
        if cohort is None:
            if not create:
                raise ProgrammeError(f"no cohort '{code}'")
            cohort = Cohort(programme_id=owner.id, code=code)
            session.add(cohort)
        cohort.name = (form.get("name") or "").strip() or f"{owner.name} {code}"
        cohort.start_date, cohort.end_date = start, end
        cohort.region = (form.get("region") or "").strip() or None
        cohort.timezone = zone
    return code


def programme_codes(url: str) -> list[str]:
    """Every programme code, sorted."""
    with session_scope(url) as session:
        return list(session.execute(select(Programme.code).order_by(Programme.code)).scalars())
