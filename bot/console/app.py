"""Build the console's Sanic app: middleware (session, CSRF, headers), pages, error pages."""

from __future__ import annotations

import asyncio
import itertools
import logging
import secrets

from sanic import Request, Sanic
from sanic.exceptions import NotFound, SanicException
from sanic.response import BaseHTTPResponse, HTTPResponse

from bot.config import Settings
from bot.console import accounts, sessions
from bot.console.config import ConsoleConfig
from bot.console.web import ForbiddenError, UserError, log_action, render

LOG = logging.getLogger(__name__)
_COUNTER = itertools.count()
STATIC = __file__.rsplit("/", 1)[0] + "/static"
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'self'; form-action 'self'"
)


def _attach_session(request: Request) -> None:
    config: ConsoleConfig = request.app.ctx.config
    url = request.app.ctx.settings.database_url
    cookie = request.cookies.get(sessions.COOKIE_NAME)
    state = sessions.load(url, sessions.unsign(config.secret, cookie))
    request.ctx.new_cookie = None
    if state is None:
        state = sessions.create(url, None, config.session_minutes)
        request.ctx.new_cookie = state.session_id
    request.ctx.state = state
    request.ctx.account = None
    if state.user_id is not None:
        account = accounts.find(url, user_id=state.user_id)
        request.ctx.account = account if account and not account.disabled else None


async def _before(request: Request) -> HTTPResponse | None:
    if request.path.startswith("/static/"):
        return None
    await asyncio.to_thread(_attach_session, request)
    if request.method == "POST":
        token = request.form.get("csrf_token") if request.form else None
        if not sessions.csrf_matches(request.ctx.state, token):
            return _refused(request, "csrf", request.path, "error_csrf_title", "error_csrf_text")
    return None


def set_session_cookie(request: Request, response: BaseHTTPResponse, session_id: str) -> None:
    """Put the signed session cookie on ``response`` (HttpOnly, SameSite=Strict)."""
    config: ConsoleConfig = request.app.ctx.config
    response.cookies[sessions.COOKIE_NAME] = sessions.sign(config.secret, session_id)
    cookie = response.cookies[sessions.COOKIE_NAME]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = "/"
    cookie["max-age"] = config.session_minutes * 60
    if config.secure_cookie:
        cookie["secure"] = True


async def _after(request: Request, response: BaseHTTPResponse) -> None:
    new_cookie = getattr(request.ctx, "new_cookie", None)
    if new_cookie and sessions.COOKIE_NAME not in response.cookies:
        set_session_cookie(request, response, new_cookie)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Cache-Control", "no-store")


def _forbidden(request: Request, error: ForbiddenError) -> HTTPResponse:
    return _refused(
        request, "forbidden", error.target, "error_forbidden_title", "error_forbidden_text"
    )


def _refused(request: Request, action: str, target: str, title: str, message: str) -> HTTPResponse:
    """Log a refused request (``action`` on ``target``) and show the 403 error page."""
    log_action(request, action, "refused", target=target)
    return render(request, "error.html", status=403, title=title, message=message)


def _user_error(request: Request, error: UserError) -> HTTPResponse:
    return render(
        request, "error.html", status=400, title="error_input_title", message_text=str(error)
    )


def _not_found(request: Request, error: Exception) -> HTTPResponse:
    return render(
        request, "error.html", status=404, title="error_missing_title", message="error_missing_text"
    )


def _unexpected(request: Request, error: Exception) -> HTTPResponse:
    if isinstance(error, SanicException) and error.status_code < 500:
        return render(
            request,
            "error.html",
            status=error.status_code,
            title="error_input_title",
            message_text=str(error),
        )
    reference = secrets.token_hex(4)
    LOG.error(
        "console error %s on %s: %s", reference, request.path, type(error).__name__, exc_info=error
    )
    return render(
        request,
        "error.html",
        status=500,
        title="error_server_title",
        message="error_server_text",
        reference=reference,
    )


def create_app(settings: Settings, config: ConsoleConfig) -> Sanic:
    """The console app on ``settings.database_url``."""
    from bot.console.routes import register

    app = Sanic(f"tracer_console_{next(_COUNTER)}")
    app.config.FALLBACK_ERROR_FORMAT = "html"
    app.config.REQUEST_MAX_SIZE = 20_000_000
    app.ctx.settings = settings
    app.ctx.config = config
    app.register_middleware(_before, "request")
    app.register_middleware(_after, "response")
    app.static("/static", STATIC)
    app.error_handler.add(ForbiddenError, _forbidden)
    app.error_handler.add(UserError, _user_error)
    app.error_handler.add(NotFound, _not_found)
    app.error_handler.add(Exception, _unexpected)
    register(app)
    return app
