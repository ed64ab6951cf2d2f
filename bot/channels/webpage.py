"""The web chat page, served by the Rasa server itself: ``GET /webchat/`` and its static files.

Messages do not go through this channel: the page embeds the ``rasa-webchat`` widget, which
talks to Rasa's built-in ``socketio`` channel on the same origin.  This channel only serves
``web/index.html``, the files in ``web/static/`` and the widget bundle installed by
``scripts/setup-web.sh``.  The bundle is served with every remote ``@import`` removed (the
upstream build pulls its font from Google Fonts), so the page makes no request to any other host;
a strict Content-Security-Policy backs that up in the browser.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
WEB_DIR = ROOT / "web"
BUNDLE = Path("node_modules") / "rasa-webchat" / "lib" / "index.js"
BUNDLE_NAME = "rasa-webchat.js"
REMOTE_IMPORT = re.compile(r"@import\s+url\(\s*['\"]?(?:https?:)?//[^)]*\)\s*;?", re.IGNORECASE)
CONTENT_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
}
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # the widget injects its CSS as <style> elements
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",  # same-origin socket.io (polling and websocket)
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}
MISSING_BUNDLE = (
    "The web chat widget is not installed. Run scripts/setup-web.sh (needs Node.js and npm)."
)


def strip_remote_imports(css_or_js: str) -> str:
    """``css_or_js`` without CSS ``@import url(...)`` rules that point at another host."""
    return REMOTE_IMPORT.sub("", css_or_js)


class WebChatPage(InputChannel):
    """Serves the web chat page and its assets under ``/webchat/`` (no messages in or out)."""

    def __init__(self, web_dir: str | None = None) -> None:
        self.web_dir = Path(web_dir) if web_dir else WEB_DIR
        self._bundle: bytes | None = None

    @classmethod
    def name(cls) -> str:
        """Channel name used in ``credentials.yml`` errors and logs."""
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        """Build from the ``credentials.yml`` entry; ``web_dir`` optionally moves the files."""
        credentials = credentials or {}
        return cls(web_dir=credentials.get("web_dir"))

    def url_prefix(self) -> str:
        """Mount at ``/webchat`` rather than under ``/webhooks/``."""
        return "/webchat"

    # -- files -------------------------------------------------------------------------------
    def bundle(self) -> bytes | None:
        """The widget bundle without remote imports (read once), or None when not installed."""
        if self._bundle is None:
            path = self.web_dir / BUNDLE
            if not path.is_file():
                return None
            cleaned = strip_remote_imports(path.read_text(encoding="utf-8"))
            self._bundle = cleaned.encode("utf-8")
        return self._bundle

    def static_file(self, name: str) -> Path | None:
        """A file of ``web/static/`` by plain name and known type, else None."""
        if not SAFE_NAME.match(name) or Path(name).suffix not in CONTENT_TYPES:
            return None
        path = self.web_dir / "static" / name
        return path if path.is_file() else None

    # -- routes ------------------------------------------------------------------------------
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes: the page, the cleaned widget bundle, and the page's own static files."""
        page = Blueprint("tracer_webchat_page", __name__)

        @page.route("/", methods=["GET", "HEAD"])
        async def index(request: Request) -> HTTPResponse:
            path = self.web_dir / "index.html"
            if not path.is_file():
                return response.text("Web chat page not found.", status=404)
            return response.html(path.read_text(encoding="utf-8"), headers=PAGE_HEADERS)

        @page.route("/static/<name>", methods=["GET", "HEAD"])
        async def static(request: Request, name: str) -> HTTPResponse:
            headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=300"}
            if name == BUNDLE_NAME:
                body = self.bundle()
                if body is None:
                    log.error(MISSING_BUNDLE)
                    return response.text(MISSING_BUNDLE, status=503)
                return response.raw(body, content_type=CONTENT_TYPES[".js"], headers=headers)
            path = self.static_file(name)
            if path is None:
                return response.text("Not found.", status=404)
            return response.raw(
                path.read_bytes(), content_type=CONTENT_TYPES[path.suffix], headers=headers
            )

        return page
