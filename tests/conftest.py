"""Shared fixtures: a trained model and a running Tracer stack on a temporary database."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Iterator

import pytest

from bot.config import load_settings
from bot.devseed import seed_demo_programme
from bot.storage.migrate import upgrade_database
from bot.storage.repository import TracerStore
from tests.stack import Stack, free_port, make_env, trained_model


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The Rasa model for the current data, trained at most once per data hash."""
    return trained_model()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, model_path: Path) -> Iterator[Stack]:
    """Action server + Rasa server on a fresh SQLite database with one demo programme."""
    workdir = tmp_path_factory.mktemp("stack")
    database_url = f"sqlite:///{workdir / 'tracer.db'}"
    upgrade_database(database_url)
    seed_demo_programme(database_url)
    actions_port = free_port()
    running = Stack(
        workdir=workdir,
        model=model_path,
        env=make_env(workdir, database_url, actions_port),
        actions_port=actions_port,
    )
    try:
        running.start_actions()
        running.start_rasa()
        yield running
    finally:
        running.stop_all()


@pytest.fixture(scope="session")
def stack_store(stack: Stack) -> TracerStore:
    """A repository on the stack's database, with the stack's secrets."""
    return TracerStore(load_settings(stack.env))


@pytest.fixture
def sender() -> str:
    """A fresh conversation id."""
    return f"test-{uuid.uuid4().hex[:12]}"


def texts(replies: list[dict]) -> list[str]:
    """The text of each bot reply."""
    return [r.get("text", "") for r in replies]


def buttons(replies: list[dict]) -> list[str]:
    """The payload of every button in the replies."""
    return [b["payload"] for r in replies for b in r.get("buttons") or []]
