"""The public results pages, served by the Rasa server: ``GET /results/<token>?lang=fr``.

A page shows the published figures of one programme/cohort/wave (``feedback_summary``, written
by ``tracer feedback send``): aggregates that passed the report's small-cell rules, never a
trainee.  The token is a keyed hash (bot/feedback/message.py), so pages cannot be listed.
"""

from __future__ import annotations

import re
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import get_settings
from bot.feedback.page import PAGE_HEADERS, render_page
from bot.feedback.published import published_summary
from bot.i18n import normalise_language

TOKEN = re.compile(r"^[0-9a-f]{24}$")


def page_language(request: Request) -> str:
    """``?lang=`` if given, else the browser's first language, else English."""
    asked = request.args.get("lang") or (request.headers.get("accept-language") or "").split(",")[0]
    return normalise_language(asked)


class ResultsPage(InputChannel):
    """Serves the one-page summaries under ``/results/`` (no messages in or out)."""

    @classmethod
    def name(cls) -> str:
        """Channel name used in ``credentials.yml`` errors and logs."""
        return "results"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        """No settings: the database comes from the environment."""
        return cls()

    def url_prefix(self) -> str:
        """Mount at ``/results``."""
        return "/results"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """One route: the page of a token."""
        pages = Blueprint("tracer_results_page", __name__)

        @pages.route("/<token>", methods=["GET", "HEAD"])
        async def page(request: Request, token: str) -> HTTPResponse:
            summary = (
                published_summary(get_settings().database_url, token)
                if TOKEN.match(token)
                else None
            )
            if summary is None:
                return response.text("Not found.", status=404)
            return response.html(render_page(summary, page_language(request)), headers=PAGE_HEADERS)

        return pages
