"""The production topology under load: 2 Rasa + 1 action server behind nginx, PostgreSQL and
Redis, started by ``deploy/cluster.sh``; one Rasa process is killed (SIGKILL) midway."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from bot.devseed import seed_demo_programme
from tests.cluster.cluster import Cluster, start_cluster
from tests.cluster.loadgen import check_answers, conversation, run_conversations

pytestmark = pytest.mark.e2e

CHATS = 100
QUESTIONS = 5


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    """A fresh cluster in a temp run dir; stopped (and checked stopped) at the end."""
    # Not under pytest's private tmp dir: PostgreSQL runs as its own user and must reach it.
    rundir = Path(tempfile.mkdtemp(prefix="tracer-cluster-"))
    # A killed process leaves its Redis ticket behind until the lock lifetime ends; 15 s keeps
    # the conversations it was serving waiting briefly instead of Rasa's default 60 s.
    running = start_cluster(
        rundir,
        rasa=2,
        actions=1,
        extra_env={"TICKET_LOCK_LIFETIME": "15", "TRACER_REST_ENABLED": "1"},
    )
    try:
        seed_demo_programme(running.settings.database_url)
        yield running
    finally:
        running.stop()
        assert running.status().returncode != 0
        shutil.rmtree(rundir, ignore_errors=True)


def test_cluster_status_reports_every_process(cluster: Cluster) -> None:
    status = cluster.status()
    assert status.returncode == 0, status.stdout + status.stderr
    for name in ("rasa-1", "rasa-2", "actions-1", "nginx", "redis", "postgresql"):
        assert f"{name}: running" in status.stdout


def test_conversations_survive_a_killed_rasa_process(cluster: Cluster) -> None:
    total = CHATS * len(conversation(QUESTIONS))
    killed: list[int] = []

    def kill_midway(count: int) -> None:
        if not killed and count >= total // 2:
            killed.append(count)
            cluster.kill("rasa-1")

    record = asyncio.run(run_conversations(cluster.url, CHATS, QUESTIONS, on_message=kill_midway))
    assert killed, "rasa-1 was never killed"
    assert record.failures == [], cluster.log_tail("nginx")
    assert len(record.finished) == CHATS
    assert check_answers(cluster.settings, record) == {
        "lost": 0,
        "wrong_value": 0,
        "unexpected": 0,
        "duplicated_current": 0,
    }
    assert "rasa-1: DOWN" in cluster.status().stdout
    print(f"\n{record.messages} messages, {record.retries} client retries after the kill")
