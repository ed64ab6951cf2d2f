"""The officer console's acceptance journey in headless Chromium, with a real Rasa stack and a
fake Telegram API: admin creates an officer; the officer imports a cohort file with an error,
fixes it, imports it, issues invitations and downloads the QR sheet; a trainee follows the
Telegram link and answers; the dashboard shows the response; the officer sends a follow-up
wave; a researcher downloads an export and is refused the import page; all of it is audited.
"""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

import pytest

from bot.console import audit
from bot.i18n import t
from tests.console.server import Console, console_env, running_console
from tests.e2e.screenshots import screenshot_path
from tests.e2e.test_report_browser import browser  # noqa: F401 (the shared Chromium fixture)
from tests.e2e.test_telegram_channel import CHOSEN, TOKEN, TYPED, Trainee, _question_asked
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.stack import ROOT, VENV_BIN, Stack, running_stack

pytestmark = pytest.mark.e2e
PASSWORD = "journey-password-1"
BOT_USERNAME = "tracer_journey_bot"
CREDENTIALS = """bot.channels.rest_guarded.GuardedRestInput:
bot.channels.telegram.TelegramInput:
  mode: polling
  poll_timeout: 2
"""
HEADER = "cohort_code,cohort_name,start_date,end_date,region,timezone,name,phone,language\n"
# Training started 10 days ago (the baseline is still open: grace 30 days) and ended yesterday
# (the exit is due, so the officer has a wave to send).
_START, _END = date.today() - timedelta(days=10), date.today() - timedelta(days=1)
ROWS = [
    f"C1,Solar 2025,{_START},{_END},Nakuru,Africa/Nairobi,Amina Otieno,+254700100001,en",
    f"C1,Solar 2025,{_START},{_END},Nakuru,Africa/Nairobi,Brian Kamau,{{phone}},en",
]


@pytest.fixture(scope="module")
def fake_api() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI(TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module")
def stack(tmp_path_factory, model_path: Path, fake_api: FakeTelegramAPI) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    workdir = tmp_path_factory.mktemp("console-journey")
    credentials = workdir / "credentials.yml"
    credentials.write_text(CREDENTIALS, encoding="utf-8")
    telegram = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake_api.base_url,
        "TELEGRAM_MODE": "polling",
        "TELEGRAM_BOT_USERNAME": BOT_USERNAME,
    }
    with running_stack(workdir, model_path, extra_env=telegram, credentials=credentials) as running:
        yield running


@pytest.fixture(scope="module")
def console(stack: Stack) -> Iterator[Console]:
    # Two trainees are too few for the default k=5: the journey exports with k=1.
    extra = {
        **{k: v for k, v in stack.env.items() if k.startswith("TELEGRAM_")},
        "TRACER_RASA_URL": stack.rasa_url,
        "TRACER_RASA_TOKEN": stack.token,
        "TRACER_K_ANONYMITY": "1",
        "TRACER_MAX_SUPPRESSION_SHARE": "1",
        # The journey sends a follow-up now, whatever the hour: without this, from 18:00 UTC
        # (21:00 in Nairobi, the imported cohort's zone) everything due is held for the night.
        "TRACER_QUIET_HOURS": "0,0",
    }
    env = console_env(stack.workdir, stack.database_url, extra)
    for name, role, more in (
        ("root", "admin", []),
        ("rita", "researcher", ["--programme", "demo"]),
    ):
        subprocess.run(
            [str(VENV_BIN / "tracer"), "users", "add", name, "--role", role, "--password", PASSWORD]
            + more,
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    with running_console(stack.workdir, env) as running:
        yield running


def sign_in(chromium, console: Console, username: str):  # type: ignore[no-untyped-def]
    """A fresh browser context signed in as ``username``."""
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{console.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[-800:]
    return page


def upload(page, console: Console, tmp_path: Path, phone: str):  # type: ignore[no-untyped-def]
    """Upload a cohort file whose second trainee has ``phone``."""
    path = tmp_path / f"cohort-{len(phone)}.csv"
    path.write_text(HEADER + "\n".join(ROWS).replace("{phone}", phone) + "\n", encoding="utf-8")
    page.goto(f"{console.url}/programmes/demo/import")
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('Check the file')")
    page.wait_for_load_state()


def answer_baseline(trainee: Trainee) -> None:
    """Play the whole baseline: taps for choices, typing otherwise."""
    for _ in range(25):
        message = trainee.last
        said = [m.text for m in trainee.fake.messages_to(trainee.chat_id)]
        if t("wave_done_baseline", "en") in said:  # the next due wave may follow at once
            return
        if message.text == t("isco_question", "en"):
            trainee.tap(message.buttons[0][0])
            continue
        question = _question_asked(message.text)
        if question.type in ("choice", "yes_no"):
            trainee.tap_choice(CHOSEN[question.code])
        else:
            trainee.say(TYPED[question.code])
    raise AssertionError("the baseline did not end")


def test_officer_journey(browser, console, fake_api, tmp_path):  # type: ignore[no-untyped-def]  # noqa: F811
    admin = sign_in(browser, console, "root")
    admin.goto(f"{console.url}/admin/users")
    form = admin.locator("#add-user")
    form.locator("input[name=username]").fill("olga")
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("select[name=role]").select_option("officer")
    form.locator("button").click()
    admin.wait_for_load_state()
    row = admin.locator("tr", has_text="olga")
    row.locator("select[name=programme]").select_option("demo")
    row.locator("button:has-text('Assign')").click()
    admin.wait_for_load_state()
    assert "demo" in admin.locator("tr", has_text="olga").inner_text()

    officer = sign_in(browser, console, "olga")
    upload(officer, console, tmp_path, "0700-CALL-ME")
    rejected = officer.locator("#rejected").inner_text()
    assert "3" in rejected and "phone" in rejected
    assert officer.get_by_text("Nothing was imported").is_visible()
    officer.screenshot(path=str(screenshot_path("console-import.png")), full_page=True)
    upload(officer, console, tmp_path, "+254700100002")
    officer.click("button:has-text('Import 2 trainees')")
    officer.wait_for_load_state()
    assert "Imported 2 trainees" in officer.inner_text("main")

    officer.goto(f"{console.url}/programmes/demo/invitations")
    officer.click("button:has-text('Issue invitations')")
    officer.wait_for_load_state()
    assert officer.locator(".qrcard").count() == 2
    widths = officer.eval_on_selector_all(".qrcard img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) == 4 and all(w > 50 for w in widths)  # Telegram + web QR per trainee
    with officer.expect_download() as download:
        officer.click("a:has-text('CSV')")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    amina = next(r for r in rows if r["name"] == "Amina Otieno")
    assert amina["telegram_link"] == f"https://t.me/{BOT_USERNAME}?start={amina['code']}"
    assert amina["code"] in officer.inner_text("main")

    trainee = Trainee(fake_api)
    replies = trainee.say(f"/start {amina['code']}")
    assert any("Do you agree" in m.text for m in replies)
    trainee.say("yes")
    answer_baseline(trainee)

    officer.goto(f"{console.url}/dashboard?programme=demo")
    baseline = officer.locator("#cohorts tr", has_text="C1").filter(has_text="baseline")
    assert "50.0 %" in baseline.inner_text()
    assert officer.locator(".chart svg").count() == 1
    officer.screenshot(path=str(screenshot_path("console-dashboard.png")), full_page=False)

    officer.goto(f"{console.url}/programmes/demo/followups")
    due_wave = officer.locator("#due tbody tr").first.inner_text().split()[0]
    officer.locator("#pauses tr", has_text=due_wave).locator("button").click()  # pause
    officer.wait_for_load_state()
    assert "Nothing is due" in officer.inner_text("#due")
    assert "1 due messages are held back" in officer.inner_text("#paused-count")
    officer.locator("#pauses tr", has_text=due_wave).locator("button").click()  # resume
    officer.wait_for_load_state()
    officer.click("button:has-text('Send now')")
    officer.wait_for_load_state()
    confirmation = officer.inner_text("#confirm-text")
    assert "Send 1 follow-up messages now?" in confirmation and "seconds" in confirmation
    before = trainee.seen
    officer.click("button:has-text('Yes, send 1 messages')")
    officer.wait_for_load_state()
    assert "Sent 1, failed 0" in officer.inner_text("#send-result")
    trainee.fake.wait_for(trainee.chat_id, lambda m: bool(m.text), after=before)

    researcher = sign_in(browser, console, "rita")
    researcher.goto(f"{console.url}/exports")
    researcher.click("button:has-text('Request the export')")
    researcher.wait_for_load_state()
    assert "k achieved" in researcher.inner_text("#risk")
    with researcher.expect_download() as download:
        researcher.click("#download")
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert any(name.endswith(".csv") for name in names)
    refused = researcher.goto(f"{console.url}/programmes/demo/import")
    assert refused.status == 403 and "Not allowed" in researcher.inner_text("main")

    admin.goto(f"{console.url}/admin/audit")
    log = admin.inner_text("#audit")
    entries = {
        (e.actor, e.action, e.outcome) for e in audit.entries(console.env["TRACER_DATABASE_URL"])
    }
    for expected in [
        ("root", "login", "ok"),
        ("root", "user_add", "ok"),
        ("root", "user_assign", "ok"),
        ("olga", "login", "ok"),
        ("olga", "import_check", "rejected"),
        ("olga", "import", "ok"),
        ("olga", "invitations", "ok"),
        ("olga", "qr_sheet", "ok"),
        ("olga", "invitations_download", "ok"),
        ("olga", "followup_send", "ok"),
        ("olga", "wave_pause", "ok"),
        ("olga", "wave_resume", "ok"),
        ("rita", "login", "ok"),
        ("rita", "export", "ok"),
        ("rita", "export_download", "ok"),
        ("rita", "forbidden", "refused"),
    ]:
        assert expected in entries, expected
        assert expected[1] in log
