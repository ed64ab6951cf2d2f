"""Request plumbing shared by every page: templates, the signed-in account, role guards."""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any, Callable, Coroutine

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request, response
from sanic.response import HTTPResponse

from bot.console import audit
from bot.console.accounts import Account
from bot.console.i18n import translate

TEMPLATES = Path(__file__).with_name("templates")
LOG = logging.getLogger(__name__)
_ENV = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]


class ForbiddenError(Exception):
    """The signed-in account may not do this (a 403 page and an audit entry)."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class UserError(Exception):
    """Something the officer can fix; shown as a page saying what to do (status 400)."""


def language(request: Request) -> str:
    """The interface language: the account's choice, else English."""
    account: Account | None = getattr(request.ctx, "account", None)
    return account.language if account else "en"


def render(request: Request, name: str, status: int = 200, **values: Any) -> HTTPResponse:
    """Render template ``name`` with the account, the CSRF token and the translator."""
    lang = language(request)
    state = getattr(request.ctx, "state", None)
    html = _ENV.get_template(name).render(
        account=getattr(request.ctx, "account", None),
        csrf_token=state.csrf_token if state else "",
        lang=lang,
        _=lambda key, **kw: translate(key, lang, **kw),
        path=request.path,
        **values,
    )
    return response.html(html, status=status)


def settings(request: Request):
    """The project settings the app was built with."""
    return request.app.ctx.settings


def db_url(request: Request) -> str:
    """The database URL."""
    return request.app.ctx.settings.database_url


def actor(request: Request) -> str:
    """Who is acting, for the audit log."""
    account = getattr(request.ctx, "account", None)
    return account.username if account else "-"


def log_action(
    request: Request, action: str, outcome: str, target: str = "", detail: str = ""
) -> None:
    """Append an audit entry for the current request."""
    audit.log(
        db_url(request),
        actor(request),
        action,
        outcome,
        target=target,
        ip=request.ip or "",
        detail=detail,
    )


def requires(*roles: str) -> Callable[[Handler], Handler]:
    """Only signed-in accounts with one of ``roles`` reach the handler (else login / 403)."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            account = getattr(request.ctx, "account", None)
            if account is None:
                return response.redirect("/login")
            if account.role not in roles:
                raise ForbiddenError(request.path)
            return await handler(request, *args, **kwargs)

        return guarded

    return decorate


def programmes_of(request: Request) -> tuple[str, ...] | None:
    """Programme codes the account may act on; None means every programme (admin)."""
    account: Account = request.ctx.account
    return None if account.role == "admin" else account.programmes


def check_programme(request: Request, code: str) -> str:
    """``code`` when the account may act on that programme; ForbiddenError otherwise."""
    allowed = programmes_of(request)
    if allowed is not None and code not in allowed:
        raise ForbiddenError(f"programme {code}")
    return code
