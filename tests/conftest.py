"""Shared fixtures: a trained model and a running Tracer stack on a temporary database."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Iterator

import pytest

from bot.config import load_settings
from bot.storage.repository import TracerStore
from tests.stack import Stack, running_stack, trained_model


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The Rasa model for the current data, trained at most once per data hash."""
    return trained_model()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, model_path: Path) -> Iterator[Stack]:
    """Action server + Rasa server on a fresh SQLite database with one demo programme."""
    with running_stack(tmp_path_factory.mktemp("stack"), model_path) as running:
        yield running


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
