"""A load of trainees chatting over the REST channel, recording what each sent and got confirmed.

Each simulated trainee registers (consent, language, programme) then answers the first
``ANSWERS_PER_CONVERSATION`` baseline questions with values fixed by its index.  It never
assumes the bot is where it left it: after every reply it reads which prompt the bot shows
and answers that.  An answer counts as acknowledged when the bot moves on to a later
question; a question asked again after that is answered again (with the same value).
When the server is unreachable or answers with an error, the trainee waits until the server is
up (one shared health poll) and says "hi"; on "please try again" it re-sends.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

import aiohttp

from bot.i18n import t
from bot.questionnaire.loader import default_questionnaire

ANSWERS_PER_CONVERSATION = 5
QUESTIONNAIRE = default_questionnaire()
PROMPTS = {
    "consent": t("consent", "en"),
    "language": t("language_question", "en"),
    "programme": t("programme_question", "en"),
    **{q.code: q.text_in("en") for q in QUESTIONNAIRE.for_wave("baseline")},
}
RETRY_TEXT = t("service_unavailable", "en")
ORDER = {q.code: i for i, q in enumerate(QUESTIONNAIRE.for_wave("baseline"))}


def tap(code: str) -> str:
    """The button payload that picks ``code``."""
    return "/inform" + json.dumps({"choice": code}, separators=(",", ":"))


def plan_for(index: int) -> dict[str, tuple[str, Any]]:
    """Question code → (message to send, value the database must hold) for trainee ``index``."""
    education = ["none", "primary", "lower_secondary", "upper_secondary", "tvet", "tertiary"]
    activity = ["employee", "self_employed", "unemployed_looking", "studying", "not_working_other"]
    choices = {
        "bl_sex": ["female", "male", "other"][index % 3],
        "bl_education": education[index % 6],
        "bl_activity_status": activity[index % 5],
        "bl_work_experience": ["yes", "no"][index % 2],
        "bl_enrol_reason": "get_job",
        "bl_expectation_main": "get_job",
    }
    plan: dict[str, tuple[str, Any]] = {code: (tap(v), v) for code, v in choices.items()}
    year = 1970 + index % 40
    plan["bl_birth_year"] = (str(year), year)
    amount = 1000 * (index + 1)
    plan["bl_earnings"] = (
        f"{amount} USD",
        {
            "amount": float(amount),
            "currency": "USD",
            "period": "month",
            "follow_up": None,
            "monthly": float(amount),
        },
    )
    plan["bl_expected_months_to_job"] = ("6 months", 6)
    return plan


@dataclass
class Trainee:
    """One simulated conversation and the simulator's own record of it."""

    index: int
    sender: str
    plan: dict[str, tuple[str, Any]]
    sent: dict[str, Any] = field(default_factory=dict)
    acknowledged: list[str] = field(default_factory=list)
    messages: int = 0
    failures: int = 0
    retries_asked: int = 0
    reasked: int = 0
    transcript: list[tuple[str, str]] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return len(self.acknowledged) >= ANSWERS_PER_CONVERSATION

    def expected(self) -> dict[str, Any]:
        """What the database must hold: the value of every acknowledged answer."""
        return {code: self.sent[code] for code in self.acknowledged}


def asked_in(replies: list[dict]) -> str | None:
    """The step the bot is asking in these replies (the last prompt shown)."""
    for reply in reversed(replies):
        text = reply.get("text") or ""
        for step, prompt in PROMPTS.items():
            if prompt in text:
                return step
    return None


@dataclass
class Load:
    """Runs many trainees against one Rasa URL, with a hook to break things mid-way."""

    rasa_url: str
    conversations: int
    concurrency: int = 24
    deadline_s: float = 240.0
    trainees: list[Trainee] = field(default_factory=list)
    sender_prefix: str = "load"
    _up: asyncio.Task | None = None

    async def _poll_until_up(self, session: aiohttp.ClientSession) -> None:
        while True:
            try:
                async with session.get(f"{self.rasa_url}/") as response:
                    if response.status == 200:
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.5)

    async def _wait_until_up(self, session: aiohttp.ClientSession) -> None:
        """One health poll shared by every trainee whose message failed."""
        if self._up is None or self._up.done():
            self._up = asyncio.ensure_future(self._poll_until_up(session))
        await asyncio.shield(self._up)

    def acknowledged(self) -> int:
        """Answers acknowledged so far, over all trainees."""
        return sum(len(tr.acknowledged) for tr in self.trainees)

    async def _send(self, session: aiohttp.ClientSession, gate: asyncio.Semaphore,
                    trainee: Trainee, text: str) -> list[dict] | None:  # fmt: skip
        trainee.messages += 1
        try:
            async with gate:
                async with session.post(
                    f"{self.rasa_url}/webhooks/rest/webhook",
                    json={"sender": trainee.sender, "message": text},
                ) as response:
                    if response.status != 200:
                        return None
                    return await response.json()
        except (aiohttp.ClientError, asyncio.TimeoutError):
            return None

    async def _converse(self, session, gate, trainee: Trainee) -> None:  # type: ignore[no-untyped-def]
        message = "hi"
        answering: str | None = None
        started = time.monotonic()
        while not trainee.done and time.monotonic() - started < self.deadline_s:
            replies = await self._send(session, gate, trainee, message)
            if not replies:
                trainee.transcript.append((message, "-"))
                trainee.failures += 1
                await self._wait_until_up(session)
                await asyncio.sleep(0.2)
                message = "hi"
                continue
            if any(RETRY_TEXT in (r.get("text") or "") for r in replies):
                trainee.retries_asked += 1
                await asyncio.sleep(0.3)
            step = asked_in(replies)
            retry = any(RETRY_TEXT in (r.get("text") or "") for r in replies)
            trainee.transcript.append((message, f"{step}{' (retry)' if retry else ''}"))
            if answering and ORDER.get(step or "", -1) > ORDER[answering]:
                if answering not in trainee.acknowledged:
                    trainee.acknowledged.append(answering)
                answering = None
            elif step in trainee.acknowledged:
                trainee.reasked += 1  # the bot went back to a question it had moved past
            if step is None or trainee.done:
                message = "hi"
                if step is None:
                    await asyncio.sleep(0.2)
                continue
            if step == "consent":
                message = "yes"
            elif step == "language":
                message = "English"
            elif step == "programme":
                message = tap("demo")
            else:
                message, value = trainee.plan[step]
                trainee.sent[step] = value
                answering = step

    async def run(self, chaos: Callable[[Load], Awaitable[None]] | None = None) -> float:
        """Run every conversation (and ``chaos`` beside them); the seconds it took."""
        self.trainees = [
            Trainee(i, f"{self.sender_prefix}-{i:04d}", plan_for(i))
            for i in range(self.conversations)
        ]
        gate = asyncio.Semaphore(self.concurrency)
        timeout = aiohttp.ClientTimeout(total=30)
        started = time.monotonic()
        async with aiohttp.ClientSession(timeout=timeout) as session:
            talks = [self._converse(session, gate, tr) for tr in self.trainees]
            extra = [chaos(self)] if chaos else []
            await asyncio.gather(*talks, *extra)
        return time.monotonic() - started


async def when_acknowledged(load: Load, share: float, poll: float = 0.2) -> None:
    """Wait until ``share`` of all planned answers are acknowledged."""
    target = share * load.conversations * ANSWERS_PER_CONVERSATION
    while load.acknowledged() < target and not all(tr.done for tr in load.trainees):
        await asyncio.sleep(poll)
