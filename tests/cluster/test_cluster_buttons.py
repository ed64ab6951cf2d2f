"""Telegram taps are stateless: in the production topology (2 Rasa processes behind nginx,
PostgreSQL, Redis, started by ``deploy/cluster.sh``), every keyboard sent by one Rasa process is
tapped through the other one — long payloads (codes as digests) included — and answers the
question it was sent with."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import pytest
import requests

from bot.devseed import seed_demo_programme
from bot.i18n import t
from bot.questionnaire.loader import default_questionnaire
from bot.storage.repository import TracerStore
from bot.survey.buttons import digest
from tests.cluster.cluster import Cluster, read_env_file, start_cluster
from tests.conftest import button_choice
from tests.fakes.telegram_api import FakeTelegramAPI, SentMessage

pytestmark = pytest.mark.e2e

TOKEN = "5550009876:AAH-cluster_faketoken_for_tests_0123456"
SECRET = "cluster-webhook-secret"
CHAT = 7_731_555_001


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeTelegramAPI]:
    """The fake Bot API both Rasa processes send through."""
    with FakeTelegramAPI(TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module")
def cluster(fake_api: FakeTelegramAPI) -> Iterator[Cluster]:
    """Two Rasa processes in Telegram webhook mode, one action server, nginx in front."""
    rundir = Path(tempfile.mkdtemp(prefix="tracer-cluster-tg-"))
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake_api.base_url,
        "TELEGRAM_MODE": "webhook",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_WEBHOOK_URL": "https://tracer.example.org/webhooks/telegram/webhook",
    }
    running = start_cluster(rundir, rasa=2, actions=1, extra_env=env)
    try:
        seed_demo_programme(running.settings.database_url)
        yield running
    finally:
        running.stop()
        shutil.rmtree(rundir, ignore_errors=True)


class Webhooks:
    """Delivers updates the way Telegram would, to a chosen Rasa process (1 or 2)."""

    def __init__(self, cluster: Cluster, fake: FakeTelegramAPI) -> None:
        state = read_env_file(cluster.rundir / "cluster.state")
        base = int(state["port"])  # public nginx; Rasa n listens on base + 10 + n
        path = "/webhooks/telegram/webhook"
        self.urls = {n: f"http://127.0.0.1:{base + 10 + n}{path}" for n in (1, 2)}
        self.urls[0] = f"{state['url']}{path}"  # through the public nginx, as Telegram calls
        self.fake = fake
        self.long_taps = 0  # taps whose payload carries a code as a digest (too long verbatim)

    def deliver(self, process: int, update: dict) -> list[SentMessage]:
        """POST ``update`` to ``process``; the bot's replies up to its next question."""
        before = len(self.fake.messages_to(CHAT))
        response = requests.post(
            self.urls[process],
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return self.fake.wait_for(
            CHAT,
            lambda m: bool(m.buttons) or m.text.startswith("Question "),
            after=before,
            timeout=90,  # the first message a process handles warms its model up
        )

    def say(self, process: int, text: str) -> list[SentMessage]:
        """The trainee types ``text``; delivered to ``process``."""
        return self.deliver(process, self.fake.user_says(CHAT, text))

    def tap(
        self,
        process: int,
        message: SentMessage,
        choice: str,
        shown: list[tuple[str, str]] | None = None,
    ) -> list[SentMessage]:
        """The trainee taps the ``choice`` button of ``message`` (as ``shown`` then, if its
        keyboard is gone since); delivered to ``process``."""
        wanted = (choice, digest(choice))
        (data,) = [d for _, d in shown or message.buttons if button_choice(d) in wanted]
        assert len(data.encode()) <= 64
        self.long_taps += "~" in data
        return self.deliver(process, self.fake.user_taps(message, data))


def test_keyboards_sent_by_one_rasa_process_are_answered_by_the_other(
    cluster: Cluster, fake_api: FakeTelegramAPI
) -> None:
    hooks = Webhooks(cluster, fake_api)
    replies = hooks.say(1, "/start")
    # consent, programme (the Telegram user's language is confirmed in passing), sex: each
    # keyboard was sent by the other process
    process = 2
    for choice in ("yes", "demo", "female"):
        replies = hooks.tap(process, replies[-1], choice)
        process = 3 - process
    replies = hooks.say(process, "2001")
    process = 3 - process
    for choice in ("upper_secondary", "unemployed_looking"):
        replies = hooks.tap(process, replies[-1], choice)
        process = 3 - process
    assert hooks.long_taps >= 1, "no tap carried a digest-encoded (long) code"
    work = replies[-1]  # the yes/no question, answered by typing through nginx
    shown = list(work.buttons)
    hooks.say(0, "yes")
    enrol = fake_api.messages_to(CHAT)[-1]
    replies = hooks.tap(process, work, "no", shown)  # its old keyboard
    assert replies[-1].text == enrol.text  # the pending question, asked again
    label = default_questionnaire().question("bl_work_experience").label_in("en")
    assert t("tap_changed", "en", question=label, answer="No") in [m.text for m in replies]

    store = TracerStore(cluster.settings)
    info = store.find_trainee(str(CHAT))
    answers = {c: a.value for c, a in store.current_answers(info.id)["baseline"].items()}
    assert answers == {
        "bl_sex": "female",
        "bl_birth_year": 2001,
        "bl_education": "upper_secondary",
        "bl_activity_status": "unemployed_looking",
        "bl_work_experience": "no",
    }
    assert info.language == "en" and info.cohort_id is not None
    expired = [m for m in fake_api.messages_to(CHAT) if "expired" in m.text]
    assert expired == []
    live = [m for m in fake_api.messages_to(CHAT) if m.reply_markup]
    assert [m.message_id for m in live] == [fake_api.messages_to(CHAT)[-1].message_id]
