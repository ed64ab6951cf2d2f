"""Sending results: each message once; what certainly failed is sent by the next run, what
may have gone out is never re-sent, a refusal is final; rate limits are sat out."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from analytics.feedback_figures import Figure, Summary
from bot.cli.main import cli
from bot.config import load_settings
from bot.feedback.recipients import Recipient, Recipients
from bot.feedback.send import Prepared, send_feedback
from bot.outreach.messaging import MessageResult
from bot.outreach.pacing import Pacer
from bot.storage.db import session_scope
from bot.storage.models import FeedbackSend, Trainee


class ScriptedTransport:
    """Answers each address with its scripted results, in turn; records every text."""

    kind = name = "telegram"
    rate_per_second = 1000.0

    def __init__(self, script: dict[str, list[MessageResult]]) -> None:
        self.script = script
        self.sent: list[tuple[str, str]] = []

    def send_text(self, address: str, text: str, subject: str = "") -> MessageResult:
        self.sent.append((address, text))
        answers = self.script[address]
        return answers.pop(0) if len(answers) > 1 else answers[0]


@pytest.fixture
def settings(tmp_path: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'send.db'}"
    env = {"TRACER_ENV_FILE": str(tmp_path / "none.env"), "TRACER_SECRET_KEY": "k",
           "TRACER_DATABASE_URL": url,
           "TRACER_ENCRYPTION_KEY": "M2R0ZXN0a2V5LXRlc3RrZXktdGVzdGtleS10ZXN0a2U="}  # fmt: skip
    result = CliRunner().invoke(cli, ["demo-data", "--trainees", "8", "--programme", "p"], env=env)
    assert result.exit_code == 0, result.output
    return load_settings(env)


def _prepared(settings, addresses: list[str]) -> Prepared:  # type: ignore[no-untyped-def]
    with session_scope(settings.database_url) as session:
        ids = session.scalars(select(Trainee.id).order_by(Trainee.id)).all()
    people = [Recipient(i, "fr", "telegram", a) for i, a in zip(ids, addresses, strict=False)]
    summary = Summary("p", "P", "c", "followup_6", "cohort", [Figure("working", "x", 61.0, 30)])
    return Prepared(summary, "0" * 24, Recipients(to_send=people))


def _states(settings) -> dict[int, str]:  # type: ignore[no-untyped-def]
    with session_scope(settings.database_url) as session:
        return dict(session.execute(select(FeedbackSend.trainee_id, FeedbackSend.state)).all())


def test_each_outcome_is_settled_and_only_the_undelivered_go_again(settings):
    slept: list[float] = []
    pacer = Pacer(1000, monotonic=lambda: 0.0, sleep=slept.append)
    transport = ScriptedTransport({
        "ok": [MessageResult(True, "ok")],
        "flood": [MessageResult(False, "telegram 429", retryable=True, retry_after=7),
                  MessageResult(True, "ok")],
        "down": [MessageResult(False, "telegram unreachable", retryable=True)],
        "lost": [MessageResult(False, "connection lost", ambiguous=True)],
        "blocked": [MessageResult(False, "telegram 403")],
    })  # fmt: skip
    prepared = _prepared(settings, ["ok", "flood", "down", "lost", "blocked"])
    report = send_feedback(settings, prepared, {"telegram": transport}, pacer)
    assert (report.sent, report.retry_later, report.unknown, report.failed) == (2, 1, 1, 1)
    assert 7 in slept  # Telegram's retry_after sat out in full
    assert "61\u202f%" in transport.sent[0][1] or "61\u00a0%" in transport.sent[0][1]
    states = sorted(_states(settings).values())
    assert states == ["failed", "sent", "sent", "unknown"]  # "down" gave its claim back

    transport.sent.clear()
    transport.script["down"] = [MessageResult(True, "ok")]
    again = send_feedback(settings, prepared, {"telegram": transport}, pacer)
    assert [address for address, _ in transport.sent] == ["down"]
    assert again.sent == 1 and again.not_claimed == 4
