"""The Redis lock store of a cluster, on a real Redis server: two Rasa processes taking turns on
one conversation never hold its lock together and never stall, and a message whose ticket
expired is told so (``LockError``, retried by the channels) instead of waiting for ever."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest
from rasa.core.lock_store import LockError
from rasa.utils.endpoints import EndpointConfig

from bot.storage.redis_lock_store import AtomicRedisLockStore
from tests.cluster.cluster import ROOT
from tests.stack import free_port

pytestmark = pytest.mark.e2e
REDIS_SH = ROOT / "scripts" / "services" / "redis.sh"
TURNS = 60  # messages per process


@pytest.fixture(scope="module")
def redis_port() -> Iterator[int]:
    """A throw-away Redis server (installed by the project's script when missing)."""
    rundir = Path(tempfile.mkdtemp(prefix="tracer-lock-"))
    port = free_port()
    subprocess.run(["bash", str(REDIS_SH), "start", str(rundir), str(port)], check=True)
    try:
        yield port
    finally:
        subprocess.run(["bash", str(REDIS_SH), "stop", str(rundir)], check=False)
        shutil.rmtree(rundir, ignore_errors=True)


def _store(port: int) -> AtomicRedisLockStore:
    """The lock store one Rasa process builds from ``deploy/endpoints.cluster.yml``."""
    config = EndpointConfig(url="127.0.0.1", port=port, db=1, key_prefix="tracer")
    return AtomicRedisLockStore(config)


def test_two_processes_taking_turns_on_one_chat_never_overlap_nor_stall(redis_port: int) -> None:
    conversation = f"chat-{time.monotonic_ns()}"
    holders: list[str] = []  # who holds the lock now (never more than one)
    overlaps: list[str] = []
    handled: dict[str, int] = {}
    errors: list[BaseException] = []

    async def one_process(name: str, messages: int) -> None:
        store = _store(redis_port)  # its own Redis connection, as a separate process has
        for _ in range(messages):
            async with store.lock(conversation):
                holders.append(name)
                if len(holders) > 1:
                    overlaps.append(name)
                await asyncio.sleep(0.001)  # the turn: NLU, actions, tracker save
                holders.remove(name)
            handled[name] = handled.get(name, 0) + 1

    def run(name: str) -> None:
        try:
            asyncio.run(one_process(name, TURNS))
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(f"rasa-{n}",)) for n in (1, 2)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, started + 45 - time.monotonic()))
    elapsed = time.monotonic() - started

    assert not any(thread.is_alive() for thread in threads), "a message waited for ever"
    assert errors == []
    assert overlaps == []
    assert handled == {"rasa-1": TURNS, "rasa-2": TURNS}
    # a finished ticket brought back to life would hold the next message for its lifetime (60 s)
    assert elapsed < 30, f"{2 * TURNS} turns took {elapsed:.1f} s"
    assert _store(redis_port).get_lock(conversation) is None  # nothing left behind


def test_a_message_whose_ticket_expired_gets_a_lock_error_not_an_endless_wait(
    redis_port: int,
) -> None:
    conversation = f"chat-{time.monotonic_ns()}"
    store = _store(redis_port)
    # a process that crashed in the middle of a turn: its ticket stays until it expires
    store.issue_ticket(conversation, lock_lifetime=0.3)

    async def wait_behind_it() -> None:
        async with store.lock(conversation, lock_lifetime=0.3):
            pytest.fail("served although its ticket expired while it waited")

    started = time.monotonic()
    with pytest.raises(LockError):
        asyncio.run(asyncio.wait_for(wait_behind_it(), timeout=10))
    assert time.monotonic() - started < 2
    assert store.get_lock(conversation) is None


def test_a_message_behind_a_crashed_turn_is_served_once_that_ticket_expires(
    redis_port: int,
) -> None:
    conversation = f"chat-{time.monotonic_ns()}"
    store = _store(redis_port)
    store.issue_ticket(conversation, lock_lifetime=0.3)  # the crashed turn
    served: list[float] = []

    async def next_message() -> None:
        async with store.lock(conversation, lock_lifetime=30):
            served.append(time.monotonic())

    started = time.monotonic()
    asyncio.run(asyncio.wait_for(next_message(), timeout=10))
    assert 0.25 < served[0] - started < 1.5
    assert store.get_lock(conversation) is None
