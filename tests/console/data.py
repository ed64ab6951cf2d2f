"""Test data for console tests: accounts of each role, programmes, sentinel personal data."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from bot.config import load_settings
from bot.console import accounts
from bot.console.programmes import add_programme
from bot.demo_data import generate_demo_data
from bot.outreach.importer import import_cohorts
from bot.storage.db import session_scope
from bot.storage.models import Answer, Contact, Trainee

PASSWORD = "a-long-test-password"
# Personal data that must never reach a researcher (page or download).
SENTINEL_NAMES = ("Zelda Quixotic", "Yorick Brannigan")
SENTINEL_PHONES = ("+254711223344", "+254711223355")
SENTINEL_EMAILS = ("zelda.quixotic@example.org", "yorick@example.org")
SENTINEL_RAW = "my boss Mr Brannigan pays me in cash at Kibera market"
ROLES = {"root": "admin", "olga": "officer", "otto": "officer", "rita": "researcher"}


def sentinel_csv(path: Path) -> Path:
    """A valid cohort file with the sentinel people."""
    lines = ["cohort_code,cohort_name,start_date,end_date,name,phone,email,sex,birth_year"]
    for name, phone, email in zip(SENTINEL_NAMES, SENTINEL_PHONES, SENTINEL_EMAILS, strict=True):
        lines.append(f"S1,Sentinel cohort,2025-01-06,2025-03-28,{name},{phone},{email},female,1999")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def seed(env: dict[str, str], workdir: Path) -> None:
    """Accounts of every role, a programme per officer, sentinel trainees with a raw answer."""
    settings = load_settings(env)
    url = settings.database_url
    generate_demo_data(url, 150, seed=3, programme="research", all_waves_due=True)
    add_programme(url, "other", "Programme other")
    for username, role in ROLES.items():
        accounts.add_user(url, username, PASSWORD, role)
    for username, code in (
        ("olga", "demo"),
        ("olga", "research"),
        ("otto", "other"),
        ("rita", "research"),
    ):
        accounts.assign(url, username, code)
    report = import_cohorts(settings, sentinel_csv(workdir / "sentinel.csv"), "research")
    assert report.written, report.rejected
    with session_scope(url) as session:
        trainee_id = session.execute(
            select(Trainee.id).join(Contact, Contact.trainee_id == Trainee.id).limit(1)
        ).scalar_one()
        session.add(
            Answer(
                trainee_id=trainee_id,
                wave="baseline",
                question_code="bl_desired_occupation",
                value_text=SENTINEL_RAW,
                value_json=SENTINEL_RAW,
                raw_text=SENTINEL_RAW,
                source_message_id="sentinel-1",
            )
        )
