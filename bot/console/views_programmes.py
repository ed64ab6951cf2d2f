"""Programme and cohort pages: list, create, edit dates / region / time zone."""

from __future__ import annotations

from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from bot.console.programmes import (
    ProgrammeError,
    add_programme,
    cohorts_of,
    programme_rows,
    save_cohort,
)
from bot.console.web import (
    UserError,
    check_programme,
    db_url,
    log_action,
    programmes_of,
    render,
    requires,
)

STAFF = ("admin", "officer")


@requires(*STAFF)
async def programmes_page(request: Request) -> HTTPResponse:
    """Programmes the account may act on."""
    rows = programme_rows(db_url(request), programmes_of(request))
    return render(request, "programmes.html", programmes=rows)


@requires("admin")
async def create_programme(request: Request) -> HTTPResponse:
    """Admins add a programme."""
    code = request.form.get("code") or ""
    try:
        add_programme(db_url(request), code, request.form.get("name") or "")
    except ProgrammeError as error:
        raise UserError(str(error)) from None
    log_action(request, "programme_add", "ok", target=code)
    return response.redirect(f"/programmes/{code.strip()}")


@requires(*STAFF)
async def programme_page(request: Request, code: str) -> HTTPResponse:
    """One programme: its cohorts with edit forms, and the form for a new cohort."""
    check_programme(request, code)
    try:
        programme, cohorts = cohorts_of(db_url(request), code)
    except ProgrammeError as error:
        raise UserError(str(error)) from None
    return render(request, "programme.html", programme=programme, cohorts=cohorts)


@requires(*STAFF)
async def cohort_save(request: Request, code: str) -> HTTPResponse:
    """Create (``create=1``) or edit a cohort."""
    check_programme(request, code)
    form = {
        key: request.form.get(key) or ""
        for key in ("code", "name", "start_date", "end_date", "region", "timezone")
    }
    create = request.form.get("create") == "1"
    try:
        cohort = save_cohort(db_url(request), code, form, create)
    except ProgrammeError as error:
        raise UserError(str(error)) from None
    log_action(request, "cohort_add" if create else "cohort_edit", "ok", target=f"{code}/{cohort}")
    return response.redirect(f"/programmes/{code}")


def register(app: Sanic) -> None:
    """Add this module's routes."""
    app.add_route(programmes_page, "/programmes", methods=["GET"])
    app.add_route(create_programme, "/programmes", methods=["POST"], name="create_programme")
    app.add_route(programme_page, "/programmes/<code>", methods=["GET"])
    app.add_route(cohort_save, "/programmes/<code>/cohorts", methods=["POST"])
