"""The web chat page in a real (headless) Chromium: language, buttons, typing, reload, privacy.

Starts its own action server + Rasa server (module scope) and drives ``/webchat/`` with
Playwright.  Needs ``/usr/bin/chromium`` (``scripts/install-browser.sh``) and the widget
(``scripts/setup-web.sh``); both scripts are no-ops when already done.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

import pytest
import requests

from bot.config import load_settings
from bot.storage.repository import TracerStore
from tests.stack import ROOT, Stack, running_stack

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
REPLY_TIMEOUT_MS = 30_000
ARTIFACTS = ROOT / "test-artifacts"


def _run_setup(script: str) -> None:
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / script)], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.fail(f"scripts/{script} failed:\n{done.stderr[-2000:]}", pytrace=False)


@pytest.fixture(scope="module")
def web_stack(tmp_path_factory: pytest.TempPathFactory, model_path: Path) -> Iterator[Stack]:
    """A stack of its own (fresh database with the demo programme) serving ``/webchat/``."""
    _run_setup("setup-web.sh")
    with running_stack(tmp_path_factory.mktemp("webchat"), model_path) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium (never a downloaded browser)."""
    _run_setup("install-browser.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A browser page plus every URL it requested and every error it logged."""

    def __init__(self, browser: object, **context_options: object) -> None:
        self.context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": 480, "height": 820}, **context_options
        )
        self.page = self.context.new_page()
        self.urls: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.urls.append(request.url))
        self.page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def remote_urls(self) -> list[str]:
        """Requests that left this machine (anything but data:/blob: and localhost)."""
        return [
            url
            for url in self.urls
            if urlparse(url).scheme not in ("data", "blob")
            and urlparse(url).hostname not in LOCAL_HOSTS
        ]

    def close(self) -> None:
        """Close the browser context."""
        self.context.close()


@pytest.fixture
def watched(browser: object) -> Iterator[Watched]:
    """A fresh browser context (empty localStorage) for one test."""
    opened = Watched(browser, locale="en-GB")
    yield opened
    opened.close()


def _expect_text(page, text: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    expect(page.locator(".rw-messages-container")).to_contain_text(text, timeout=REPLY_TIMEOUT_MS)


def _click(page, label: str) -> None:  # type: ignore[no-untyped-def]
    """Tap the newest quick-reply button with this label."""
    button = page.locator(".rw-reply", has_text=label).last
    button.wait_for(timeout=REPLY_TIMEOUT_MS)
    button.click()


def _type(page, text: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator(".rw-new-message")
    box.fill(text)
    box.press("Enter")


def _session_id(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate("JSON.parse(localStorage.getItem('chat_session')).session_id")


def test_french_survey_with_buttons_typing_and_reload(web_stack: Stack, watched: Watched):
    page = watched.page
    page.goto(f"{web_stack.rasa_url}/webchat/?lang=fr")
    _expect_text(page, "Acceptez-vous de participer ?")
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert "suivi de formation" in page.locator(".rw-header").inner_text()

    _click(page, "Oui")
    _expect_text(page, "Nous continuons en français")  # the page said the language: not asked
    _expect_text(page, "Dans quel programme de formation")
    _click(page, "Demo programme")
    _expect_text(page, "Question 1 sur")
    _type(page, "femme")
    _expect_text(page, "Question 2 sur")

    session_id = _session_id(page)
    page.reload()
    _expect_text(page, "Question 2 sur")  # the history survived the reload
    assert page.locator(".rw-messages-container").inner_text().count("Acceptez-vous") == 1
    assert _session_id(page) == session_id
    _type(page, "2001")
    _expect_text(page, "Question 3 sur")
    _click(page, "Formation professionnelle")
    _expect_text(page, "Question 4 sur")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "webchat.png"))

    store = TracerStore(load_settings(web_stack.env))
    # The browser keeps the server-signed token; the conversation id is its first part.
    trainee = store.find_trainee(session_id.split(".")[0], "socketio")
    assert trainee is not None and trainee.language == "fr" and trainee.consented
    answers = store.current_answers(trainee.id)["baseline"]
    assert {code: a.value for code, a in answers.items()} == {
        "bl_sex": "female",
        "bl_birth_year": 2001,
        "bl_education": "tvet",
    }
    assert watched.errors == []
    assert watched.remote_urls() == []
    assert any("/socket.io/" in url for url in watched.urls)


def test_browser_language_is_used_without_lang_parameter(web_stack: Stack, browser: object):
    spanish = Watched(browser, locale="es-ES")
    try:
        spanish.page.goto(f"{web_stack.rasa_url}/webchat/")
        _expect_text(spanish.page, "¿Acepta participar?")
        assert spanish.page.title() == "Tracer — chat de seguimiento de la formación"
        assert spanish.page.get_attribute(".rw-new-message", "placeholder") == (
            "Escriba su respuesta…"
        )
        # keyboard users can answer with the quick replies
        reply = spanish.page.locator(".rw-reply", has_text="Sí").last
        assert reply.get_attribute("role") == "button"
        reply.focus()
        spanish.page.keyboard.press("Enter")
        _expect_text(spanish.page, "Seguimos en español")  # confirmed in passing, not asked
        assert (
            "¿Qué idioma prefiere?"
            not in spanish.page.locator(".rw-messages-container").inner_text()
        )
        assert spanish.errors == [] and spanish.remote_urls() == []
    finally:
        spanish.close()


def test_page_headers_and_static_files(web_stack: Stack):
    page = requests.get(f"{web_stack.rasa_url}/webchat/", timeout=10)
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["Referrer-Policy"] == "no-referrer"
    bundle = requests.get(f"{web_stack.rasa_url}/webchat/static/rasa-webchat.js", timeout=10)
    assert bundle.status_code == 200 and "fonts.googleapis.com" not in bundle.text
    for name in ("nope.css", "..%2Findex.html", "index.html"):
        missing = requests.get(f"{web_stack.rasa_url}/webchat/static/{name}", timeout=10)
        assert missing.status_code == 404


@pytest.mark.parametrize(
    ("lang", "hello", "consent_end", "kept"),
    [
        ("en", "hello", "Do you agree to take part?", "We'll continue in English"),
        ("fr", "bonjour", "Acceptez-vous de participer ?", "Nous continuons en français"),
        ("es", "hola", "¿Acepta participar?", "Seguimos en español"),
    ],
)
def test_a_greeting_typed_at_the_consent_question_repeats_it_kindly(
    web_stack: Stack, watched: Watched, lang: str, hello: str, consent_end: str, kept: str
):
    from bot.i18n import t

    page = watched.page
    page.goto(f"{web_stack.rasa_url}/webchat/?lang={lang}")
    _expect_text(page, consent_end)
    _type(page, hello)  # the page greeted and asked; the trainee greets back
    messages = page.locator(".rw-messages-container")
    deadline = time.monotonic() + 30
    while messages.inner_text().count(consent_end) < 2 and time.monotonic() < deadline:
        time.sleep(0.3)
    text = messages.inner_text()
    assert text.count(consent_end) == 2, text  # asked again, kindly
    assert t("consent_help", lang) not in text  # not "please answer yes or no"
    _click(page, {"en": "Yes", "fr": "Oui", "es": "Sí"}[lang])
    _expect_text(page, kept)  # the page's language is confirmed in passing, not asked
    assert t("language_question", lang) not in messages.inner_text()
    assert watched.errors == []


def _say_and_wait(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``text`` and wait until the bot's replies to it have arrived and settled."""
    replies = page.locator(".rw-response")
    before = replies.count()
    _type(page, text)
    deadline = time.monotonic() + REPLY_TIMEOUT_MS / 1000
    while replies.count() <= before and time.monotonic() < deadline:
        time.sleep(0.1)
    settled = replies.count()
    while time.monotonic() < deadline:
        time.sleep(0.6)
        if replies.count() == settled:
            return
        settled = replies.count()


def test_after_the_baseline_the_page_says_when_tracer_writes_again(
    web_stack: Stack, watched: Watched
):
    from babel.dates import format_date
    from sqlalchemy import select

    from bot.i18n import t
    from bot.storage.db import session_scope
    from bot.storage.models import Cohort
    from tests.journeys import wave_script

    with session_scope(web_stack.database_url) as session:
        end = session.execute(select(Cohort.end_date).where(Cohort.code.isnot(None))).scalar()
    page = watched.page
    page.goto(f"{web_stack.rasa_url}/webchat/?lang=es")
    _expect_text(page, "¿Acepta participar?")
    _click(page, "Sí")
    _expect_text(page, "Seguimos en español")
    _click(page, "Demo programme")
    _expect_text(page, "Pregunta 1 de")
    for _code, turn in wave_script("baseline", "es"):
        _say_and_wait(page, turn.text)
    _expect_text(page, t("wave_done_baseline", "es"))
    month = format_date(end, "MMMM y", locale="es")
    _expect_text(page, t("next_contact_date", "es", when=month))
    assert watched.errors == []
