"""Where every page of the console is registered (one module per group of pages)."""

from __future__ import annotations

from sanic import Sanic

PAGE_MODULES = (
    "bot.console.views_auth",
    "bot.console.views_admin",
    "bot.console.views_programmes",
    "bot.console.views_import",
    "bot.console.views_invites",
    "bot.console.views_followups",
    "bot.console.views_dashboard",
    "bot.console.views_reports",
    "bot.console.views_exports",
    "bot.console.views_trainees",
)


def register(app: Sanic) -> None:
    """Add the routes of every page module to ``app``."""
    for name in PAGE_MODULES:
        module = __import__(name, fromlist=["register"])
        module.register(app)
