"""Shared fixtures: a trained model and a running Tracer stack on a temporary database."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Iterator

import pytest

from bot.config import get_settings, load_settings
from bot.storage.repository import TracerStore
from bot.survey.buttons import digest
from tests.stack import Stack, running_stack, trained_model


@pytest.fixture(autouse=True)
def fresh_process_settings() -> Iterator[None]:
    """Each test starts with no cached process-wide settings (``get_settings``): code run
    in-process by one test must not lend its database or keys to the next test."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


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


def button_choice(payload: str) -> str | None:
    """The answer a button payload stands for: the choice in a signed ``button`` token
    (``<wave>.<question>.<choice>.<tag>``, long codes as digests) or a bare ``choice`` entity."""
    _, _, raw = payload.partition("{")
    entities = json.loads("{" + raw) if raw else {}
    if "button" in entities:
        return str(entities["button"]).split(".")[2]
    return entities.get("choice")


def choices(replies: list[dict]) -> list[str | None]:
    """The answer of every button in the replies, in order."""
    return [button_choice(p) for p in buttons(replies)]


def payload_for(replies: list[dict], choice: str) -> str:
    """The payload a tap on the button answering ``choice`` sends."""
    found = [p for p in buttons(replies) if button_choice(p) in (choice, digest(choice))]
    assert found, f"no button for {choice!r} in {buttons(replies)}"
    return found[-1]
