"""Concurrent scripted conversations over REST, with the load generator's own answer record.

Each virtual trainee registers (hello, consent, English, demo programme) and answers baseline
questions from :mod:`tests.journeys`. What was sent is recorded per sender so it can be compared
with the database afterwards (:func:`check_answers`): one current answer per question, equal
to the persona's value.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

import aiohttp
from sqlalchemy import func, select

from bot.config import Settings
from bot.storage.db import session_scope
from bot.storage.models import Answer
from bot.storage.repository import TracerStore
from tests.journeys import EMPLOYEE, wave_script

REGISTRATION = ["hello", "yes", "English", '/inform{"choice":"demo"}']
RETRY_STATUSES = {502, 503, 504}


def conversation(questions: int) -> list[tuple[str | None, str]]:
    """(question code or None, message) for registration + the first ``questions`` answers."""
    answers = [(code, turn.text) for code, turn in wave_script("baseline", "en")[:questions]]
    return [(None, text) for text in REGISTRATION] + answers


@dataclass
class LoadRecord:
    """What the load generator sent and saw."""

    sent: dict[str, dict[str, Any]] = field(default_factory=dict)  # sender → code → value
    finished: set[str] = field(default_factory=set)
    latencies_ms: list[float] = field(default_factory=list)
    retries: int = 0
    failures: list[str] = field(default_factory=list)
    messages: int = 0


async def _post(
    session: aiohttp.ClientSession,
    url: str,
    sender: str,
    text: str,
    record: LoadRecord,
    backoff: tuple[float, ...] = (1, 2, 4, 8, 8, 8),
) -> list[dict]:
    """POST one message; when the balancer could not get an answer from any process, retry
    after 1, 2, 4, 8… s as Telegram does with a webhook (about 30 s in all). The error raised
    after the last attempt lists what every attempt saw."""
    seen: list[str] = []
    for wait in (*backoff, None):
        try:
            async with session.post(url, json={"sender": sender, "message": text}) as response:
                if response.status not in RETRY_STATUSES:
                    response.raise_for_status()
                    return await response.json()
                seen.append(f"{response.status} {(await response.text())[:80]!r}")
        except (aiohttp.ClientConnectionError, asyncio.TimeoutError) as error:
            seen.append(type(error).__name__)
        if wait is None:
            break
        record.retries += 1
        await asyncio.sleep(wait)
    raise RuntimeError(f"no answer after {len(seen)} attempts: {'; '.join(seen)}")


async def run_conversations(
    base_url: str,
    chats: int,
    questions: int = 5,
    seconds: float | None = None,
    on_message: Callable[[int], None] | None = None,
) -> LoadRecord:
    """``chats`` concurrent trainees; each runs one conversation, or back to back until
    ``seconds`` have passed. ``on_message(count)`` is called after every reply."""
    url = f"{base_url}/webhooks/rest/webhook"
    record = LoadRecord()
    script = conversation(questions)
    deadline = time.monotonic() + seconds if seconds else None

    async def trainee(session: aiohttp.ClientSession) -> None:
        while True:
            sender = f"load-{uuid.uuid4().hex[:16]}"
            record.sent[sender] = {}
            for code, text in script:
                if deadline and time.monotonic() >= deadline:
                    return
                started = time.perf_counter()
                try:
                    await _post(session, url, sender, text, record)
                except Exception as error:  # noqa: BLE001 - reported, never hidden
                    record.failures.append(f"{type(error).__name__}: {error}")
                    return
                record.latencies_ms.append((time.perf_counter() - started) * 1000)
                record.messages += 1
                if code is not None:
                    record.sent[sender][code] = EMPLOYEE[code]
                if on_message:
                    on_message(record.messages)
            record.finished.add(sender)
            if deadline is None:
                return

    timeout = aiohttp.ClientTimeout(total=180)
    connector = aiohttp.TCPConnector(limit=chats + 5)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(*(trainee(session) for _ in range(chats)))
    return record


def check_answers(settings: Settings, record: LoadRecord) -> dict[str, int]:
    """Compare the record with the database; counts of problems by kind (all 0 when right)."""
    store = TracerStore(settings)
    problems = {"lost": 0, "wrong_value": 0, "unexpected": 0, "duplicated_current": 0}
    for sender, sent in record.sent.items():
        trainee = store.find_trainee(sender)
        stored = store.current_answers(trainee.id).get("baseline", {}) if trainee else {}
        for code, value in sent.items():
            if code not in stored:
                problems["lost"] += 1
            elif stored[code].value != value:
                problems["wrong_value"] += 1
        problems["unexpected"] += len(set(stored) - set(sent))
    with session_scope(settings.database_url) as session:
        duplicates = session.execute(
            select(Answer.trainee_id, Answer.wave, Answer.question_code)
            .where(Answer.is_current.is_(True))
            .group_by(Answer.trainee_id, Answer.wave, Answer.question_code)
            .having(func.count() > 1)
        ).all()
    problems["duplicated_current"] = len(duplicates)
    return problems


def percentiles(values: list[float]) -> dict[str, float]:
    """p50/p95/p99 of ``values`` (ms), rounded."""
    ordered = sorted(values) or [0.0]

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)

    return {"p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99)}
