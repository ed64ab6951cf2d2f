"""Nothing lost on crashes: a load of conversations survives kill -9 and a database restart.

200 simulated trainees register and answer the first five baseline questions over the REST
channel (about 1,800 messages: the whole 11-question baseline would triple the run time).
Mid-load the Rasa server and the action server are killed with SIGKILL and restarted; on
PostgreSQL the database server is also restarted.  Every conversation must resume and finish,
and the database must hold exactly the simulator's record: one current answer per question,
with the value the trainee sent.  ``tracer reconcile`` afterwards must find nothing to add.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests
from sqlalchemy import func, select

from bot.config import load_settings
from bot.devseed import seed_demo_programme
from bot.ops.reconcile import Reconciler
from bot.questionnaire.loader import default_questionnaire
from bot.storage.db import engine_for, session_scope
from bot.storage.migrate import upgrade_database
from bot.storage.models import Answer
from bot.storage.repository import TracerStore
from tests.reliability.simulator import RETRY_TEXT, Load, asked_in, when_acknowledged
from tests.stack import ROOT, Stack, free_port, make_env

pytestmark = pytest.mark.e2e

CONVERSATIONS = int(os.environ.get("TRACER_CRASH_CONVERSATIONS", "200"))
POSTGRES = ROOT / "scripts" / "services" / "postgres.sh"


def _stack(workdir: Path, model: Path, database_url: str) -> Stack:
    upgrade_database(database_url)
    seed_demo_programme(database_url)
    actions_port = free_port()
    return Stack(
        workdir=workdir,
        model=model,
        env=make_env(workdir, database_url, actions_port),
        actions_port=actions_port,
    )


def _restart_servers(stack: Stack) -> None:
    stack.stop("rasa", kill=True)
    stack.stop("actions", kill=True)
    stack.start_actions()
    stack.start_rasa()


def _check_database(stack: Stack, load: Load) -> None:
    store = TracerStore(load_settings(stack.env))
    wrong = []
    for trainee in load.trainees:
        assert trainee.done, f"{trainee.sender} did not finish: {trainee}"
        info = store.find_trainee(trainee.sender)
        assert info is not None, trainee.sender
        stored = {code: a.value for code, a in store.current_answers(info.id)["baseline"].items()}
        if stored != trainee.expected():
            wrong.append((trainee.sender, stored, trainee.expected(), trainee.transcript))
    report = "\n".join(json.dumps(item, default=str) for item in wrong[:3])
    assert not wrong, f"{len(wrong)} conversations differ from the simulator's record:\n{report}"
    with session_scope(stack.database_url) as session:
        duplicates = session.execute(
            select(Answer.trainee_id, Answer.question_code)
            .where(Answer.is_current.is_(True))
            .group_by(Answer.trainee_id, Answer.wave, Answer.question_code)
            .having(func.count() > 1)
        ).all()
    assert duplicates == []


def _run_load(stack: Stack, chaos) -> Load:  # type: ignore[no-untyped-def]
    load = Load(stack.rasa_url, CONVERSATIONS)
    seconds = asyncio.run(load.run(chaos))
    messages = sum(t.messages for t in load.trainees)
    failures = sum(t.failures for t in load.trainees)
    retries = sum(t.retries_asked for t in load.trainees)
    reasked = sum(t.reasked for t in load.trainees)
    print(
        f"\n{CONVERSATIONS} conversations, {messages} messages in {seconds:.1f} s "
        f"({messages / seconds:.1f} msg/s), {failures} failed sends, {retries} 'try again', "
        f"{reasked} answered questions asked again"
    )
    return load


def _assert_reconcile_finds_nothing(stack: Stack) -> None:
    settings = load_settings(stack.env)
    report = Reconciler(settings, default_questionnaire()).run()
    assert report.restored == 0, report
    assert report.answer_messages >= CONVERSATIONS * 5


def test_kill_9_mid_load_on_sqlite(tmp_path: Path, model_path: Path) -> None:
    stack = _stack(tmp_path, model_path, f"sqlite:///{tmp_path / 'tracer.db'}")

    async def chaos(load: Load) -> None:
        await when_acknowledged(load, 0.4)
        await asyncio.get_running_loop().run_in_executor(None, _restart_servers, stack)

    try:
        stack.start_actions()
        stack.start_rasa()
        load = _run_load(stack, chaos)
    finally:
        stack.stop_all()
    _check_database(stack, load)
    _assert_reconcile_finds_nothing(stack)
    _reconcile_puts_back_deleted_answers(stack, load)


def _reconcile_puts_back_deleted_answers(stack: Stack, load: Load) -> None:
    """Answers deleted from the database come back from the real tracker, exactly once."""
    with session_scope(stack.database_url) as session:
        victims = (
            session.execute(
                select(Answer.id).where(Answer.is_current.is_(True)).order_by(Answer.id).limit(150)
            )
            .scalars()
            .all()[::3]
        )
        session.execute(Answer.__table__.delete().where(Answer.id.in_(victims)))
    settings = load_settings(stack.env)
    report = Reconciler(settings, default_questionnaire()).run()
    assert report.restored == len(victims) == 50
    _check_database(stack, load)
    assert Reconciler(settings, default_questionnaire()).run().restored == 0


@pytest.fixture
def postgres_url() -> Iterator[tuple[str, Path, int]]:
    """A throw-away PostgreSQL server on a free loopback port (installed when missing)."""
    # Not under pytest's tmp_path: the server runs as the postgres user, who cannot enter it.
    parent = Path(tempfile.mkdtemp(prefix="tracer-pg-"))
    parent.chmod(0o755)
    datadir, port = parent / "data", free_port()
    try:
        started = subprocess.run(
            ["bash", str(POSTGRES), "start", str(datadir), str(port)],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("PostgreSQL could not be started in time")
    if started.returncode != 0:
        pytest.fail(f"PostgreSQL unavailable: {started.stderr.strip()[-300:]}")
    try:
        yield started.stdout.strip().splitlines()[-1], datadir, port
    finally:
        subprocess.run(["bash", str(POSTGRES), "stop", str(datadir)], timeout=120, check=False)
        shutil.rmtree(parent, ignore_errors=True)


def _answer_while_database_is_down(stack: Stack, datadir: Path, port: int) -> None:
    """With the shared database stopped, an answer gets a polite reply, never an error."""
    subprocess.run(["bash", str(POSTGRES), "stop", str(datadir)], check=True, timeout=120)
    try:
        response = requests.post(
            f"{stack.rasa_url}/webhooks/rest/webhook",
            json={"sender": "load-0000", "message": "yes"},
            timeout=60,
        )
        assert response.status_code == 200
        texts = [r.get("text") or "" for r in response.json()]
        assert not any("Traceback" in t or "rror" in t for t in texts), texts
        # Silence is a failure too: the trainee must be told to try again.
        assert any(RETRY_TEXT in t for t in texts), f"no 'try again' reply: {texts}"
    finally:
        subprocess.run(["bash", str(POSTGRES), "start", str(datadir), str(port)],
                       check=True, capture_output=True, timeout=120)  # fmt: skip
    deadline = time.monotonic() + 60
    replies: list[dict] = []
    while time.monotonic() < deadline and asked_in(replies) is None:
        replies = stack.say("load-0000", "hi")
    assert asked_in(replies) is not None, replies


def test_kill_9_and_database_restart_mid_load_on_postgresql(
    tmp_path: Path, model_path: Path, postgres_url: tuple[str, Path, int]
) -> None:
    url, datadir, port = postgres_url
    stack = _stack(tmp_path, model_path, url)

    def restart_postgres() -> None:
        subprocess.run(
            ["bash", str(POSTGRES), "restart", str(datadir), str(port)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip

    async def chaos(load: Load) -> None:
        loop = asyncio.get_running_loop()
        await when_acknowledged(load, 0.3)
        await loop.run_in_executor(None, _restart_servers, stack)
        await when_acknowledged(load, 0.65)
        await loop.run_in_executor(None, restart_postgres)

    try:
        stack.start_actions()
        stack.start_rasa()
        load = _run_load(stack, chaos)
        _answer_while_database_is_down(stack, datadir, port)
    finally:
        stack.stop_all()
    engine_for(url).dispose()
    _check_database(stack, load)
    _assert_reconcile_finds_nothing(stack)
