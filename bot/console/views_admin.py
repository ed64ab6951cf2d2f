"""Admin pages: accounts (add, assign programmes, disable) and the audit log."""

from __future__ import annotations

from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from bot.console import accounts, audit
from bot.console.programmes import programme_codes
from bot.console.web import UserError, db_url, log_action, render, requires


@requires("admin")
async def users_page(request: Request) -> HTTPResponse:
    """Every account with its role and programmes; the form to add one."""
    url = db_url(request)
    return render(
        request,
        "users.html",
        users=accounts.list_users(url),
        programmes=programme_codes(url),
        roles=("officer", "researcher", "admin"),
    )


@requires("admin")
async def add_user(request: Request) -> HTTPResponse:
    """Create an account from the form."""
    form = request.form
    username = (form.get("username") or "").strip()
    try:
        accounts.add_user(
            db_url(request),
            username,
            form.get("password") or "",
            form.get("role") or "",
            form.get("language") or "en",
        )
    except accounts.AccountError as error:
        log_action(request, "user_add", "refused", target=username, detail=str(error))
        raise UserError(str(error)) from None
    log_action(request, "user_add", "ok", target=f"{username} ({form.get('role')})")
    return response.redirect("/admin/users")


@requires("admin")
async def assign(request: Request, username: str) -> HTTPResponse:
    """Give or take back a programme."""
    code = request.form.get("programme") or ""
    remove = request.form.get("remove") == "1"
    try:
        accounts.assign(db_url(request), username, code, remove=remove)
    except accounts.AccountError as error:
        raise UserError(str(error)) from None
    log_action(
        request, "user_unassign" if remove else "user_assign", "ok", target=f"{username} → {code}"
    )
    return response.redirect("/admin/users")


@requires("admin")
async def disable(request: Request, username: str) -> HTTPResponse:
    """Disable or re-enable an account."""
    enable = request.form.get("enable") == "1"
    if username == request.ctx.account.username and not enable:
        raise UserError("you cannot disable your own account")
    try:
        accounts.set_disabled(db_url(request), username, not enable)
    except accounts.AccountError as error:
        raise UserError(str(error)) from None
    log_action(request, "user_enable" if enable else "user_disable", "ok", target=username)
    return response.redirect("/admin/users")


@requires("admin")
async def audit_page(request: Request) -> HTTPResponse:
    """The newest audit entries, optionally of one action."""
    action = request.args.get("action") or None
    return render(
        request,
        "audit.html",
        entries=audit.entries(db_url(request), action=action),
        action=action or "",
    )


@requires("admin")
async def audit_csv(request: Request) -> HTTPResponse:
    """The whole audit log as a CSV download."""
    log_action(request, "audit_export", "ok")
    return response.text(
        audit.as_csv(db_url(request)),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


def register(app: Sanic) -> None:
    """Add this module's routes."""
    app.add_route(users_page, "/admin/users", methods=["GET"])
    app.add_route(add_user, "/admin/users", methods=["POST"], name="add_user")
    app.add_route(assign, "/admin/users/<username>/assign", methods=["POST"])
    app.add_route(disable, "/admin/users/<username>/disable", methods=["POST"])
    app.add_route(audit_page, "/admin/audit", methods=["GET"])
    app.add_route(audit_csv, "/admin/audit.csv", methods=["GET"])
