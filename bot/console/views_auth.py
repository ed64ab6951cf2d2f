"""Sign in, sign out, home page and the interface language."""

from __future__ import annotations

import asyncio

from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from bot.console import accounts, audit, sessions
from bot.console.app import set_session_cookie
from bot.console.passwords import DUMMY_HASH, verify_password
from bot.console.web import db_url, log_action, render, requires

HOME_BY_ROLE = {"admin": "/admin/users", "officer": "/programmes", "researcher": "/exports"}


async def login_page(request: Request) -> HTTPResponse:
    """The sign-in form (or home when already signed in)."""
    if request.ctx.account is not None:
        return response.redirect("/")
    return render(request, "login.html")


def _check(request: Request, username: str, password: str) -> tuple[str, int | None]:
    """('locked' | 'failed' | 'ok', user id) for a sign-in attempt; audited."""
    config = request.app.ctx.config
    url, ip = db_url(request), request.ip or ""
    if audit.recent_failures(url, username, ip, config.lockout_minutes) >= config.max_failures:
        audit.log(url, username, "login", "locked", ip=ip)
        return "locked", None
    found = accounts.password_hash_of(url, username)
    valid = verify_password(found[1] if found else DUMMY_HASH, password)
    if not (found and valid):
        audit.log(url, username, "login", "failed", ip=ip)
        return "failed", None
    audit.log(url, username, "login", "ok", ip=ip)
    return "ok", found[0]


async def login(request: Request) -> HTTPResponse:
    """Check the password; on success issue a brand-new session id (no fixation)."""
    username = (request.form.get("username") or "").strip()[:64]
    password = request.form.get("password") or ""
    outcome, user_id = await asyncio.to_thread(_check, request, username, password)
    if outcome == "locked":
        minutes = request.app.ctx.config.lockout_minutes
        return render(request, "login.html", status=429, error="login_locked", minutes=minutes)
    if outcome == "failed":
        return render(request, "login.html", status=401, error="login_failed")
    url, config = db_url(request), request.app.ctx.config
    sessions.end(url, request.ctx.state.session_id)
    fresh = sessions.create(url, user_id, config.session_minutes)
    result = response.redirect("/")
    set_session_cookie(request, result, fresh.session_id)
    return result


async def logout(request: Request) -> HTTPResponse:
    """End the session."""
    if request.ctx.account is not None:
        log_action(request, "logout", "ok")
    sessions.end(db_url(request), request.ctx.state.session_id)
    result = response.redirect("/login")
    result.cookies[sessions.COOKIE_NAME] = ""
    result.cookies[sessions.COOKIE_NAME]["max-age"] = 0
    return result


@requires("admin", "officer", "researcher")
async def home(request: Request) -> HTTPResponse:
    """Each role's starting page."""
    return response.redirect(HOME_BY_ROLE[request.ctx.account.role])


@requires("admin", "officer", "researcher")
async def choose_language(request: Request) -> HTTPResponse:
    """Store the account's interface language."""
    language = request.form.get("language") or "en"
    if language in accounts.LANGUAGES:
        accounts.set_language(db_url(request), request.ctx.account.id, language)
    back = request.form.get("back") or "/"
    return response.redirect(back if back.startswith("/") and not back.startswith("//") else "/")


def register(app: Sanic) -> None:
    """Add this module's routes."""
    app.add_route(login_page, "/login", methods=["GET"])
    app.add_route(login, "/login", methods=["POST"], name="login_post")
    app.add_route(logout, "/logout", methods=["POST"])
    app.add_route(home, "/", methods=["GET"])
    app.add_route(choose_language, "/language", methods=["POST"])
