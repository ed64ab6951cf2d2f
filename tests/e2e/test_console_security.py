"""Console security over HTTP against a running console: CSRF on every form, session cookies and
fixation, login throttling, 403 (audited) outside a role, nothing personal for researchers."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Iterator

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from bot.config import load_settings
from bot.console import accounts, audit
from bot.console.app import create_app
from bot.console.config import load_console_config
from bot.console.sessions import COOKIE_NAME
from bot.devseed import seed_demo_programme
from bot.i18n import t
from bot.storage.db import session_scope
from bot.storage.migrate import upgrade_database
from bot.storage.models import Cohort, Trainee
from tests.console.data import (
    PASSWORD,
    SENTINEL_EMAILS,
    SENTINEL_NAMES,
    SENTINEL_PHONES,
    SENTINEL_RAW,
    seed,
)
from tests.console.server import Client, Console, console_env, running_console

pytestmark = pytest.mark.e2e

# Every GET page → roles that may open it (officers only for their programmes: 'demo' is olga's).
PAGES = {
    "/admin/users": {"admin"},
    "/admin/audit": {"admin"},
    "/admin/audit.csv": {"admin"},
    "/programmes": {"admin", "officer"},
    "/programmes/<code>": {"admin", "officer"},
    "/programmes/<code>/import": {"admin", "officer"},
    "/programmes/<code>/invitations": {"admin", "officer"},
    "/programmes/<code>/invitations/<token>/sheet": {"admin", "officer"},
    "/programmes/<code>/invitations/<token>/download/<fmt>": {"admin", "officer"},
    "/programmes/<code>/followups": {"admin", "officer"},
    "/programmes/<code>/report": {"admin", "officer"},
    "/programmes/<code>/report/file/<fmt>": {"admin", "officer"},
    "/dashboard": {"admin", "officer"},
    "/trainees": {"admin", "officer"},
    "/exports": {"admin", "researcher"},
    "/exports/<token>/download": {"admin", "researcher"},
}
# Every state-changing form → a body that would change something.
FORMS = {
    "/login": {"username": "root", "password": PASSWORD},
    "/logout": {},
    "/language": {"language": "fr"},
    "/admin/users": {"username": "mallory", "password": PASSWORD, "role": "admin"},
    "/admin/users/<username>/assign": {"programme": "other"},
    "/admin/users/<username>/disable": {},
    "/programmes": {"code": "evil", "name": "Evil programme"},
    "/programmes/<code>/cohorts": {"code": "EVIL", "create": "1"},
    "/programmes/<code>/import": {},
    "/programmes/<code>/import/<token>": {"suffix": ".csv", "action": "import"},
    "/programmes/<code>/invitations": {"cohort": ""},
    "/programmes/<code>/invitations/<token>/delete": {},
    "/programmes/<code>/followups/send": {"confirmed": "1"},
    "/programmes/<code>/followups/pause": {"wave": "exit", "action": "pause"},
    "/exports": {"programme": "research", "format": "csv"},
    "/trainees/<pseudo_id>/erase": {"confirm": "XYZ"},
}
# Path parameters: olga's programme, a well-formed unknown token, a format checked after roles.
PARAMS = {"code": "demo", "token": "A" * 24, "fmt": "none", "username": "olga", "pseudo_id": "XYZ"}
USERS = {"admin": "root", "officer": "olga", "researcher": "rita"}


def fill(pattern: str) -> str:
    """A concrete path for a route pattern."""
    return re.sub(r"<(\w+)>", lambda match: PARAMS[match.group(1)], pattern)


@pytest.fixture(scope="module")
def console(tmp_path_factory) -> Iterator[Console]:  # type: ignore[no-untyped-def]
    workdir = tmp_path_factory.mktemp("console-security")
    url = f"sqlite:///{workdir / 'tracer.db'}"
    upgrade_database(url)
    seed_demo_programme(url)
    # few synthetic trainees: a looser disclosure rule so that the export is produced at all
    env = console_env(
        workdir, url, {"TRACER_K_ANONYMITY": "2", "TRACER_MAX_SUPPRESSION_SHARE": "0.9"}
    )
    seed(env, workdir)
    with running_console(workdir, env) as running:
        yield running


def _client(console: Console, role: str) -> Client:
    client = Client(console.url)
    assert client.login(USERS[role], PASSWORD).url.rstrip("/") != console.url + "/login"
    return client


def test_tables_cover_every_route(console):
    settings = load_settings(console.env)
    app = create_app(settings, load_console_config(console.env))
    gets, posts = set(), set()
    for route in app.router.routes:
        path = "/" + re.sub(r"<(\w+):\w+>", r"<\1>", route.path)
        if path.startswith("/static") or path == "/":
            continue
        (posts if "POST" in route.methods else gets).add(path)
    assert gets - {"/login"} == set(PAGES)
    assert posts == set(FORMS)


@pytest.mark.parametrize("role", sorted(USERS))
def test_every_page_outside_the_role_is_403_and_audited(console, role):
    client = _client(console, role)
    for path, allowed in PAGES.items():
        response = client.get(fill(path))
        if role in allowed:
            assert response.status_code != 403, path
        else:
            assert response.status_code == 403, path
            assert "Not allowed" in response.text and "Traceback" not in response.text
    refused = [
        e
        for e in audit.entries(load_settings(console.env).database_url, action="forbidden")
        if e.actor == USERS[role]
    ]
    assert len(refused) == sum(role not in allowed for allowed in PAGES.values())


def test_officer_cannot_act_on_a_programme_not_assigned(console):
    otto = Client(console.url)
    otto.login("otto", PASSWORD)
    for path in ("/programmes/demo", "/programmes/demo/import", "/dashboard?programme=demo"):
        assert otto.get(path).status_code == 403, path
    assert "demo" not in otto.get("/programmes").text.split("<main>")[1]
    assert otto.get("/programmes/other").status_code == 200


def test_every_form_refuses_a_missing_or_foreign_csrf_token(console):
    admin = _client(console, "admin")
    foreign = Client(console.url).csrf("/login")  # a valid token of another session
    for path, body in FORMS.items():
        for token in ("", foreign):
            response = admin.post(fill(path), body, token=token)
            assert response.status_code == 403, (path, token)
            assert "The form has expired" in response.text
    url = load_settings(console.env).database_url
    assert accounts.find(url, username="mallory") is None
    assert not accounts.find(url, username="olga").disabled
    assert "evil" not in admin.get("/programmes").text
    refused = audit.entries(url, action="csrf")
    assert len(refused) >= 2 * len(FORMS)


def test_session_cookie_is_signed_httponly_strict_and_rotated_on_login(console):
    client = Client(console.url)
    first = client.get("/login")
    cookie = first.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    before = client.http.cookies[COOKIE_NAME]
    client.login("root", PASSWORD)
    after = client.http.cookies[COOKIE_NAME]
    assert after != before
    attacker = Client(console.url)  # planted the pre-login cookie: gets nothing from it
    attacker.http.cookies.set(COOKIE_NAME, before)
    assert attacker.get("/admin/users").url.endswith("/login")
    tampered = Client(console.url)
    session_id, _, mac = after.rpartition(".")
    tampered.http.cookies.set(COOKIE_NAME, f"{session_id}.{'0' * len(mac)}")
    assert tampered.get("/admin/users").url.endswith("/login")
    assert client.get("/admin/users").status_code == 200
    client.post("/logout", form_page="/admin/users")
    reuse = Client(console.url)
    reuse.http.cookies.set(COOKIE_NAME, after)
    assert reuse.get("/admin/users").url.endswith("/login")


def test_brute_force_is_throttled_per_account_and_address(console):
    url = load_settings(console.env).database_url
    accounts.add_user(url, "victim", PASSWORD, "officer")
    client = Client(console.url)
    for _ in range(5):
        response = client.login("victim", "wrong-password-123")
        assert response.status_code == 401 and "Wrong username or password" in response.text
    locked = client.login("victim", PASSWORD)
    assert locked.status_code == 429 and "Too many failed attempts" in locked.text
    assert client.get("/programmes").url.endswith("/login")
    assert Client(console.url).login("olga", PASSWORD).status_code == 200  # others unaffected
    outcomes = [e.outcome for e in audit.entries(url, action="login") if e.actor == "victim"]
    assert outcomes.count("failed") == 5 and outcomes.count("locked") == 1


def test_no_contact_address_or_raw_answer_reaches_a_researcher(console):
    rita = _client(console, "researcher")
    bodies = [
        rita.get(fill(path)).content for path, allowed in PAGES.items() if "researcher" in allowed
    ]
    result = rita.post("/exports", {"programme": "research", "format": "csv", "layout": "wide"})
    assert result.status_code == 200, result.text[-500:]
    assert "k achieved" in result.text
    download = re.search(r'href="(/exports/[^"]+/download)"', result.text).group(1)
    archive = zipfile.ZipFile(io.BytesIO(rita.get(download).content))
    assert any(name.endswith(".csv") for name in archive.namelist())
    bodies += [result.content] + [archive.read(name) for name in archive.namelist()]
    secrets = SENTINEL_NAMES + SENTINEL_PHONES + SENTINEL_EMAILS + (SENTINEL_RAW, "Brannigan")
    for body in bodies:
        text = body.decode("utf-8", errors="replace")
        for secret in secrets:
            assert secret not in text
    assert rita.get("/trainees").status_code == 403
    actions = {
        e.action
        for e in audit.entries(load_settings(console.env).database_url)
        if e.actor == "rita"
    }
    assert {"login", "export", "export_download"} <= actions


def test_errors_are_pages_not_tracebacks(console):
    olga = _client(console, "officer")
    missing = olga.get("/no/such/page")
    assert missing.status_code == 404 and "Page not found" in missing.text
    bad = olga.post(
        "/programmes/demo/cohorts",
        {"code": "Z9", "create": "1", "start_date": "31/12/2025"},
        form_page="/programmes/demo",
    )
    assert bad.status_code == 400 and "is not a date like 2026-03-31" in bad.text
    for response in (missing, bad):
        assert "Traceback" not in response.text


@pytest.mark.parametrize("language, heading", [("fr", "Tableau de bord"), ("es", "Panel")])
def test_interface_language_is_the_accounts_choice(console, language, heading):
    olga = _client(console, "officer")
    olga.post("/language", {"language": language, "back": "/dashboard"}, form_page="/programmes")
    assert f"<h1>{heading}" in olga.get("/dashboard").text
    assert f"<h1>{heading}" in _client(console, "officer").get("/dashboard").text  # stored
    assert "<h1>Dashboard" in _client(console, "admin").get("/dashboard").text  # per account
    report = olga.get("/programmes/demo/report/file/html").text  # the report speaks it too
    assert t("report_heading", language, programme="") in report
    assert t("report_heading", "en", programme="") not in report
    olga.post("/language", {"language": "en"}, form_page="/programmes")


def test_trainee_look_up_shows_no_personal_data_and_erases_on_request(console):
    url = load_settings(console.env).database_url
    with session_scope(url) as session:
        pseudo_id = session.execute(
            select(Trainee.pseudo_id)
            .join(Cohort, Cohort.id == Trainee.cohort_id)
            .where(Cohort.code == "S1")
            .order_by(Trainee.id)
            .limit(1)
        ).scalar_one()
    olga = _client(console, "officer")
    page = olga.get(f"/trainees?pseudo_id={pseudo_id}").text
    assert "research / S1" in page and "active" in page and "phone" in page  # channel names
    for secret in SENTINEL_NAMES + SENTINEL_PHONES + SENTINEL_EMAILS + (SENTINEL_RAW,):
        assert secret not in page
    assert "Trainee look-up" in page
    otto = Client(console.url)
    otto.login("otto", PASSWORD)  # officer of another programme
    assert otto.get(f"/trainees?pseudo_id={pseudo_id}").status_code == 403
    refused = olga.post(
        f"/trainees/{pseudo_id}/erase",
        {"confirm": "wrong"},
        form_page=f"/trainees?pseudo_id={pseudo_id}",
    )
    assert refused.status_code == 400 and "in the confirmation box to erase" in refused.text
    erased = olga.post(
        f"/trainees/{pseudo_id}/erase",
        {"confirm": pseudo_id},
        form_page=f"/trainees?pseudo_id={pseudo_id}",
    )
    assert f"Trainee {pseudo_id} was erased." in erased.text
    assert f"No trainee with id {pseudo_id}." in olga.get(f"/trainees?pseudo_id={pseudo_id}").text
    assert ("olga", "ok") in {(e.actor, e.outcome) for e in audit.entries(url, action="erasure")}


def test_xlsx_import_with_a_country_for_local_numbers_then_a_second_confirm_is_refused(console):
    book = Workbook()
    book.active.append(["cohort_code", "cohort_name", "end_date", "name", "phone", "language"])
    book.active.append(["X1", "Excel cohort", "2025-03-28", "Cara Wanjiru", "0722000003", "es"])
    data = io.BytesIO()
    book.save(data)
    olga = _client(console, "officer")
    token = olga.csrf("/programmes/demo/import")
    checked = olga.http.post(
        f"{console.url}/programmes/demo/import",
        data={"csrf_token": token, "region_code": "KE"},
        files={"file": ("cohort.xlsx", data.getvalue())},
    )
    assert "1 rows checked: 1 valid, 0 rejected." in checked.text
    action = re.search(r'action="(/programmes/demo/import/[^"]+)"', checked.text).group(1)
    body = {"csrf_token": token, "suffix": ".xlsx", "action": "import", "region_code": "KE"}
    done = olga.http.post(console.url + action, data=body)
    assert "Imported 1 trainees. (new cohorts: X1)" in done.text
    again = olga.http.post(console.url + action, data=body)
    assert again.status_code == 400 and "already imported or cancelled" in again.text
