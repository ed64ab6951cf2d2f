"""Results back to trainees, end to end: a demo cohort's wave has closed, the officer previews
and sends its results through the (fake) Telegram Bot API; each respondent gets one message in
their language whose figures are the report's; opted-out and small-cell cases get nothing."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from analytics.report import build_report
from bot.channels.results_page import ResultsPage
from bot.cli.main import cli
from bot.config import load_settings
from bot.feedback.message import percent, summary_token
from bot.feedback.published import published_summary
from bot.questionnaire.loader import default_questionnaire
from bot.storage.db import session_scope
from bot.storage.models import Answer, Cohort, FeedbackSend, Programme, Trainee
from bot.storage.repository import TracerStore
from bot.survey.turn import Incoming, SurveyTurn
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.e2e
TOKEN = "123:feedback-test"
NOW = "2026-11-30T10:00"  # followup_6 of cohort 2024-2 closed after 2026-05-27
COHORT, WAVE = "2024-2", "followup_6"
WORDS = {"en": "of your cohort were working", "fr": "de votre promotion travaillaient",
         "es": "de su cohorte trabajaba"}  # fmt: skip


@pytest.fixture(scope="module")
def fake() -> FakeTelegramAPI:
    with FakeTelegramAPI(TOKEN) as server:
        yield server


def _env(tmp_path: Path, url: str, fake: FakeTelegramAPI) -> dict[str, str]:
    return {
        "TRACER_ENV_FILE": str(tmp_path / "none.env"),
        "TRACER_SECRET_KEY": "feedback-secret",
        "TRACER_ENCRYPTION_KEY": "M2R0ZXN0a2V5LXRlc3RrZXktdGVzdGtleS10ZXN0a2U=",
        "TRACER_DATABASE_URL": url,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "TRACER_WEB_BASE_URL": "https://tracer.example.org",
        "TRACER_SEND_RATE": "50",
    }


def run(env: dict[str, str], *args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


def _respondents(url: str, programme: str, cohort: str) -> list[tuple[int, str]]:
    with session_scope(url) as session:
        rows = session.execute(
            select(Trainee.id, Trainee.language)
            .join(Cohort, Cohort.id == Trainee.cohort_id)
            .join(Programme, Programme.id == Cohort.programme_id)
            .where(Programme.code == programme, Cohort.code == cohort, Trainee.status == "active")
            .where(Trainee.id.in_(select(Answer.trainee_id).where(Answer.wave == WAVE)))
            .order_by(Trainee.id)
        )
        return [(r[0], r[1]) for r in rows]


def _link_telegram(settings, people: list[tuple[int, str]], first_chat: int) -> dict[int, tuple]:  # type: ignore[no-untyped-def]
    store, chats = TracerStore(settings), {}
    with session_scope(settings.database_url) as session:
        for offset, (trainee_id, language) in enumerate(people):
            store.add_contact(session, trainee_id, "telegram", str(first_chat + offset))
            chats[first_chat + offset] = (trainee_id, language)
    return chats


def _types_no_results(settings, chat_id: int, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    engine = SurveyTurn(
        settings, default_questionnaire(), TracerStore(settings), date(2026, 11, 30)
    )
    result = engine.run(
        Incoming(sender_id=str(chat_id), channel="telegram", text=text, intent="out_of_scope",
                 confidence=0.9, entities={}, message_id=f"m-{chat_id}", step=None,
                 language=None, answers_step=False)
    )  # fmt: skip
    return result.messages


def test_closed_wave_results_reach_each_respondent_in_their_language(tmp_path: Path, fake):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    env = _env(tmp_path, url, fake)
    made_on = ("--today", NOW[:10])  # the cohorts' dates count back from it
    run(env, "demo-data", "--trainees", "600", "--seed", "7", "--programme", "solar", *made_on)
    run(env, "demo-data", "--trainees", "3", "--seed", "3", "--programme", "tiny", "--all-waves",
        *made_on)  # fmt: skip
    settings = load_settings(env)

    people = _respondents(url, "solar", COHORT)
    chosen = [p for lang in ("en", "fr", "es") for p in [x for x in people if x[1] == lang][:3]]
    chats = _link_telegram(settings, chosen, 5000)
    by_language = {lang: [c for c, (_, own) in chats.items() if own == lang] for lang in WORDS}
    said_no = by_language["fr"][0]  # types "pas de résultats" in the chat
    assert (
        "nous ne vous enverrons plus" in _types_no_results(settings, said_no, "Pas de résultats")[0]
    )
    left = by_language["es"][0]  # left the study
    TracerStore(settings).opt_out(chats[left][0])
    tiny = _respondents(url, "tiny", _tiny_cohort(url))
    tiny_chats = _link_telegram(settings, tiny, 9000)
    assert tiny_chats, "the tiny programme has respondents with a chat"

    still_open = CliRunner().invoke(cli, ["feedback", "preview", "--programme", "solar",
                                          "--cohort", COHORT, "--wave", WAVE,
                                          "--now", "2026-04-01T10:00"], env=env)  # fmt: skip
    assert still_open.exit_code == 1 and "still open (fieldwork until 2026-05-27)" in (
        still_open.output
    )
    preview = run(env, "feedback", "preview", "--programme", "solar", "--cohort", COHORT,
                  "--wave", WAVE, "--now", NOW, "--out", str(tmp_path / "preview"))  # fmt: skip
    assert "Would write to 7 trainees (en: 3, es: 2, fr: 2)" in preview.output
    assert "said_no_results: 1" in preview.output and "opted_out_or_deleted:" in preview.output
    assert (tmp_path / "preview" / "summary-es.html").exists()
    assert fake.calls_of("sendMessage") == []  # a preview sends nothing

    quiet = run(env, "feedback", "send", "--programme", "solar", "--cohort", COHORT, "--wave",
                WAVE, "--now", "2026-11-30T23:30")  # fmt: skip
    assert "Sent 0" in quiet.output and "quiet_hours: 7" in quiet.output
    sent = run(env, "feedback", "send", "--programme", "solar", "--cohort", COHORT, "--wave",
               WAVE, "--now", NOW)  # fmt: skip
    assert "Sent 7 (en: 3, es: 2, fr: 2)" in sent.output, sent.output

    report = build_report(url, "solar", COHORT, as_of=date(2026, 11, 30))
    labour = report.tables["labour"]
    employed = labour[(labour["indicator"].str.startswith("Employment rate"))
                      & (labour["wave"] == WAVE) & (labour["breakdown"] == "all")]  # fmt: skip
    employed_value = float(employed["value"].iloc[0])
    for chat_id, (_, language) in chats.items():
        messages = fake.messages_to(chat_id)
        if chat_id in (said_no, left):
            assert messages == []
            continue
        assert len(messages) == 1
        text = messages[0].text
        assert f"{percent(employed_value, language)} {WORDS[language]}" in text
        assert "https://tracer.example.org/results/" in text and f"lang={language}" in text
    for chat_id in tiny_chats:
        assert fake.messages_to(chat_id) == []  # too few respondents: nothing is ever sent

    token = re.search(r"/results/([0-9a-f]{24})", fake.messages_to(by_language["en"][0])[0].text)
    assert token and token.group(1) == summary_token(settings, "solar", COHORT, WAVE)
    summary = published_summary(url, token.group(1))
    assert summary.figures[0].value == employed_value  # the report's figure, exactly
    page = _served_page(env, token.group(1), "es")
    assert percent(employed_value, "es") in page and "Cohorte 2024-2" in page
    assert '<meta name="viewport"' in page and "@media print" in page
    with session_scope(url) as session:
        pseudo_ids = session.scalars(select(Trainee.pseudo_id)).all()
    assert not [p for p in pseudo_ids if p in page]  # no identifier on the public page
    assert not [str(chat) for chat in chats if str(chat) in page]

    again = run(env, "feedback", "send", "--programme", "solar", "--cohort", COHORT, "--wave",
                WAVE, "--now", NOW)  # fmt: skip
    assert "Sent 0" in again.output and "already_sent: 7" in again.output
    assert len(fake.calls_of("sendMessage")) == 7
    with session_scope(url) as session:
        assert session.query(FeedbackSend).filter_by(state="sent").count() == 7
    _tiny_send(env, tiny_chats, fake)


def _tiny_cohort(url: str) -> str:
    with session_scope(url) as session:
        return session.scalars(
            select(Cohort.code)
            .join(Programme, Programme.id == Cohort.programme_id)
            .where(Programme.code == "tiny")
            .where(
                Cohort.id.in_(
                    select(Trainee.cohort_id)
                    .join(Answer, Answer.trainee_id == Trainee.id)
                    .where(Answer.wave == WAVE)
                )
            )
        ).first()


def _tiny_send(env: dict[str, str], tiny_chats: dict, fake: FakeTelegramAPI) -> None:
    cohort = _tiny_cohort(env["TRACER_DATABASE_URL"])
    result = run(env, "feedback", "send", "--programme", "tiny", "--cohort", cohort, "--wave",
                 WAVE, "--now", "2030-01-01T10:00")  # fmt: skip
    assert "none can be published" in result.output
    assert "too_few_to_publish" in result.output
    assert all(fake.messages_to(chat) == [] for chat in tiny_chats)


def _served_page(env: dict[str, str], token: str, language: str) -> str:
    from bot.config import get_settings

    get_settings.cache_clear()
    blueprint = ResultsPage().blueprint(lambda message: None)  # type: ignore[arg-type,return-value]
    handler = blueprint._future_routes.copy().pop().handler
    request = SimpleNamespace(args={"lang": language}, headers={})
    import os

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        answer = asyncio.run(handler(request, token))
    finally:
        get_settings.cache_clear()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert answer.status == 200
    return answer.body.decode("utf-8")
