"""Shared helpers for the outreach tests: temp database, trainees, fake Rasa, CLI runner."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner, Result

from bot.cli.main import cli
from bot.config import Settings, get_settings, load_settings
from bot.outreach.transport import Delivery
from bot.security.crypto import new_pseudo_id
from bot.storage.db import session_scope
from bot.storage.migrate import upgrade_database
from bot.storage.models import Cohort, Consent, Programme, Trainee, WaveProgress
from bot.storage.repository import TracerStore

_TEMPLATE: dict[str, Path] = {}
TEST_KEY = "M2R0ZXN0a2V5LXRlc3RrZXktdGVzdGtleS10ZXN0a2U="


def outreach_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Environment for settings and the CLI: a fresh migrated SQLite file and test secrets."""
    if "db" not in _TEMPLATE:
        template_dir = Path(__import__("tempfile").mkdtemp(prefix="tracer-outreach-"))
        upgrade_database(f"sqlite:///{template_dir / 'template.db'}")
        _TEMPLATE["db"] = template_dir / "template.db"
    database = tmp_path / "tracer.db"
    if not database.exists():
        shutil.copy(_TEMPLATE["db"], database)
    env = {
        "TRACER_ENV_FILE": str(tmp_path / "none.env"),
        "TRACER_DATABASE_URL": f"sqlite:///{database}",
        "TRACER_SECRET_KEY": "test-secret-key",
        "TRACER_ENCRYPTION_KEY": TEST_KEY,
        "TRACER_RASA_URL": "http://127.0.0.1:9",
        "TRACER_RASA_TOKEN": "t",
        "TELEGRAM_BOT_USERNAME": "tracer_test_bot",
        "TRACER_WEB_BASE_URL": "https://tracer.example.org",
    }
    env.update(extra)
    return env


def make_settings(tmp_path: Path, **extra: str) -> Settings:
    """Settings on a fresh database."""
    return load_settings(outreach_env(tmp_path, **extra))


def run_cli(env: dict[str, str], *args: str) -> Result:
    """Invoke ``tracer`` in-process with ``env``; tracebacks are a test failure."""
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=True)
    get_settings.cache_clear()
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def add_programme(
    settings: Settings, code: str, cohorts: dict[str, tuple[date | None, str | None]]
) -> dict[str, int]:
    """A programme with cohorts code → (end date, time zone); returns cohort ids by code."""
    with session_scope(settings.database_url) as session:
        programme = Programme(code=code, name=f"Programme {code}")
        session.add(programme)
        session.flush()
        ids = {}
        for cohort_code, (end, tz) in cohorts.items():
            cohort = Cohort(
                programme_id=programme.id,
                code=cohort_code,
                name=cohort_code,
                end_date=end,
                timezone=tz,
            )
            session.add(cohort)
            session.flush()
            ids[cohort_code] = cohort.id
        return ids


def add_trainee(
    settings: Settings,
    cohort_id: int,
    chat: tuple[str, str] | None = None,
    status: str = "active",
    completed: tuple[str, ...] = (),
) -> int:
    """A trainee in a cohort, optionally with a chat contact and completed waves."""
    store = TracerStore(settings)
    with session_scope(settings.database_url) as session:
        trainee = Trainee(pseudo_id=new_pseudo_id(), cohort_id=cohort_id, status=status)
        session.add(trainee)
        session.flush()
        if chat:  # a chat contact only ever comes with a consent (repository.register_consent)
            store.add_contact(session, trainee.id, chat[0], chat[1])
            version = settings.consent_version
            session.add(Consent(trainee_id=trainee.id, version=version, given=True))
        for wave in completed:
            done = datetime(2020, 1, 1)
            session.add(WaveProgress(trainee_id=trainee.id, wave=wave, completed_at=done))
        return trainee.id


class FakeTransport:
    """Records sends; answers from a queue of deliveries (default: ok)."""

    def __init__(self, answers: list[Delivery] | None = None) -> None:
        self.calls: list[tuple[str, str, str]] = []
        self.answers = list(answers or [])

    def send(self, channel: str, address: str, wave: str) -> Delivery:
        self.calls.append((channel, address, wave))
        return self.answers.pop(0) if self.answers else Delivery(ok=True, status=200, detail="ok")


class FakeClock:
    """Monotonic clock + sleep that only advance when slept."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
