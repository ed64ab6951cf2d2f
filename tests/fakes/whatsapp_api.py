"""A fake WhatsApp Cloud API (Graph API) for tests: aiohttp on 127.0.0.1 in a background thread.

The channel sends to ``{base_url}/{phone_number_id}/messages``; the fake checks the bearer
token and WhatsApp's limits (3 reply buttons of 20 characters, 10 list rows of 24...), enforces
the 24-hour customer-service window on its own clock (a free-form message outside it is refused
with error 131047 like the real API; approved templates are allowed), and posts what a user does
and the delivery statuses of what it accepted to the bot's webhook, signed with the app secret
(``X-Hub-Signature-256``).  Tests read ``sent`` and can inject 429/5xx errors or mark a number
as not on WhatsApp (131026).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import requests
from aiohttp import web

from bot.channels.whatsapp.signature import HEADER, sign
from tests.fakes.threaded_server import ThreadedServer

API_VERSION = "v21.0"
WINDOW_SECONDS = 24 * 3600


@dataclass
class SentMessage:
    """One message the bot sent through the fake."""

    wamid: str
    to: str
    body: dict
    at: float = field(default_factory=time.monotonic)

    @property
    def kind(self) -> str:
        """``text``, ``button``, ``list`` or ``template``."""
        if self.body["type"] == "interactive":
            return self.body["interactive"]["type"]
        return self.body["type"]

    @property
    def text(self) -> str:
        """What the user reads (for a template: its name)."""
        if self.kind == "text":
            return self.body["text"]["body"]
        if self.kind == "template":
            return self.body["template"]["name"]
        return self.body["interactive"]["body"]["text"]

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(title, reply id) of every reply button or list row."""
        if self.kind == "button":
            return [
                (b["reply"]["title"], b["reply"]["id"])
                for b in self.body["interactive"]["action"]["buttons"]
            ]
        if self.kind == "list":
            sections = self.body["interactive"]["action"]["sections"]
            return [(r["title"], r["id"]) for s in sections for r in s["rows"]]
        return []


def _error(status: int, code: int, message: str) -> web.Response:
    body = {"error": {"message": message, "type": "OAuthException", "code": code}}
    return web.json_response(body, status=status)


def check_shape(body: dict) -> str | None:
    """Why the Cloud API would refuse ``body`` (code 100 invalid parameter), or None."""
    kind = body.get("type")
    if body.get("messaging_product") != "whatsapp" or not body.get("to"):
        return "messaging_product and to are required"
    if kind == "text":
        text = body.get("text", {}).get("body", "")
        return None if 0 < len(text) <= 4096 else "text body empty or over 4096"
    if kind == "template":
        template = body.get("template", {})
        return None if template.get("name") and template.get("language") else "bad template"
    if kind != "interactive":
        return f"unsupported type {kind}"
    interactive = body["interactive"]
    if not 0 < len(interactive.get("body", {}).get("text", "")) <= 1024:
        return "interactive body over 1024"
    action = interactive.get("action", {})
    if interactive.get("type") == "button":
        buttons = action.get("buttons", [])
        titles = [b["reply"]["title"] for b in buttons]
        if not 1 <= len(buttons) <= 3 or len(set(titles)) != len(titles):
            return "1 to 3 buttons with distinct titles"
        for button in buttons:
            if (
                not 0 < len(button["reply"]["title"]) <= 20
                or not 0 < len(button["reply"]["id"]) <= 256
            ):
                return "button title over 20 or id over 256"
        return None
    if interactive.get("type") == "list":
        rows = [r for s in action.get("sections", []) for r in s.get("rows", [])]
        titles = [r["title"] for r in rows]
        if not 1 <= len(rows) <= 10 or len(set(titles)) != len(titles):
            return "1 to 10 rows with distinct titles"
        if not 0 < len(action.get("button", "")) <= 20:
            return "list button over 20"
        for row in rows:
            if not 0 < len(row["title"]) <= 24 or not 0 < len(row["id"]) <= 200:
                return "row title over 24 or id over 200"
            if len(row.get("description", "")) > 72:
                return "row description over 72"
        return None
    return "unknown interactive type"


class FakeWhatsAppAPI(ThreadedServer):
    """The fake server; use as a context manager."""

    name = "fake-whatsapp"

    def __init__(self, phone_number_id: str, token: str, app_secret: str) -> None:
        super().__init__()
        self.phone_number_id = phone_number_id
        self.token = token
        self.app_secret = app_secret
        self.webhook_url = ""  # where user messages and statuses are posted
        self.approved_templates: set[tuple[str, str]] = set()  # (name, language)
        self.not_on_whatsapp: set[str] = set()
        self.rate_limit_errors = 0  # next N sends answer 429 / 130429
        self.server_errors = 0  # next N sends answer 500 / 131000
        self.sent: list[SentMessage] = []
        self.refused: list[tuple[str, int]] = []  # (to, error code)
        self.webhooks: list[dict] = []
        self.clock_offset = 0.0
        self._last_inbound: dict[str, float] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """``WHATSAPP_API_BASE_URL`` for the channel."""
        return f"http://127.0.0.1:{self.port}/{API_VERSION}"

    def add_routes(self, app: web.Application) -> None:
        """The Cloud API's messages endpoint."""
        app.router.add_route("POST", f"/{API_VERSION}/{{phone}}/messages", self._messages)

    # -- the clock and the window ---------------------------------------------------------------
    def now(self) -> float:
        """The fake's clock (real time plus what tests advanced it by)."""
        return time.time() + self.clock_offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock forward (e.g. six months for a follow-up)."""
        self.clock_offset += seconds

    def window_open(self, wa_id: str) -> bool:
        """True when ``wa_id`` wrote within the last 24 hours (fake clock)."""
        last = self._last_inbound.get(wa_id)
        return last is not None and self.now() - last < WINDOW_SECONDS

    # -- what users do --------------------------------------------------------------------------
    def post(self, payload: dict, signature: str | None = None, raw: bytes | None = None) -> int:
        """Post a webhook delivery to the bot, signed unless ``signature`` is given."""
        body = raw if raw is not None else json.dumps(payload).encode()
        headers = {
            "Content-Type": "application/json",
            HEADER: signature or sign(self.app_secret, body),
        }
        return requests.post(self.webhook_url, data=body, headers=headers, timeout=10).status_code

    def _envelope(self, value: dict) -> dict:
        value = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": "15550001111",
                "phone_number_id": self.phone_number_id,
            },
            **value,
        }
        return {
            "object": "whatsapp_business_account",
            "entry": [{"id": "WABA-1", "changes": [{"field": "messages", "value": value}]}],
        }

    def user_message(self, wa_id: str, content: dict) -> dict:
        """A user message delivery (``content`` holds ``type`` and its object); returns it."""
        with self._lock:
            self._last_inbound[wa_id] = self.now()
            wamid = f"wamid.IN{next(self._ids):08d}"
        message = {"from": wa_id, "id": wamid, "timestamp": str(int(self.now())), **content}
        delivery = self._envelope(
            {"contacts": [{"profile": {"name": "Trainee"}, "wa_id": wa_id}], "messages": [message]}
        )
        assert self.post(delivery) == 200
        return delivery

    def user_says(self, wa_id: str, text: str) -> dict:
        """A text message."""
        return self.user_message(wa_id, {"type": "text", "text": {"body": text}})

    def user_chooses(self, message: SentMessage, title: str) -> dict:
        """A tap on the reply button or list row titled ``title`` of ``message``."""
        reply_id = dict(message.choices)[title]
        kind = "button_reply" if message.kind == "button" else "list_reply"
        interactive = {"type": kind, kind: {"id": reply_id, "title": title}}
        return self.user_message(message.to, {"type": "interactive", "interactive": interactive})

    def user_presses_template_button(self, message: SentMessage, text: str = "Continue") -> dict:
        """A tap on the first quick-reply button of a template message (its payload is the one
        the send set, else the button text, as with the real API)."""
        payload = text
        for component in message.body["template"].get("components", []):
            if component.get("type") == "button" and component.get("index") == "0":
                payload = component["parameters"][0]["payload"]
        button = {"payload": payload, "text": text}
        return self.user_message(
            message.to, {"type": "button", "button": button, "context": {"id": message.wamid}}
        )

    def user_sends_image(self, wa_id: str) -> dict:
        """A photo."""
        return self.user_message(
            wa_id, {"type": "image", "image": {"id": "media-1", "mime_type": "image/jpeg"}}
        )

    def read(self, message: SentMessage) -> None:
        """The user reads ``message``: a ``read`` status webhook."""
        self._post_status(message.wamid, message.to, "read")

    # -- what tests read ------------------------------------------------------------------------
    def messages_to(self, wa_id: str) -> list[SentMessage]:
        """Everything accepted for ``wa_id`` so far."""
        with self._lock:
            return [m for m in self.sent if m.to == wa_id]

    # -- the API --------------------------------------------------------------------------------
    def _status(self, wamid: str, wa_id: str, status: str, error: int | None = None) -> dict:
        entry: dict[str, Any] = {
            "id": wamid,
            "status": status,
            "timestamp": str(int(self.now())),
            "recipient_id": wa_id,
        }
        if error is not None:
            entry["errors"] = [{"code": error, "title": "Message undeliverable"}]
        payload = self._envelope({"statuses": [entry]})
        with self._lock:
            self.webhooks.append(payload)
        return payload

    def _post_later(self, *payloads: dict) -> None:
        """Post status webhooks in order, a moment after the send (as Meta does)."""

        def run() -> None:
            time.sleep(0.2)
            for payload in payloads:
                self.post(payload)

        threading.Thread(target=run, daemon=True).start()

    def _post_status(self, wamid: str, wa_id: str, status: str) -> None:
        self._post_later(self._status(wamid, wa_id, status))

    async def _messages(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _error(401, 190, "Invalid OAuth access token")
        if request.match_info["phone"] != self.phone_number_id:
            return _error(400, 100, "Unsupported post request")
        body = await request.json()
        with self._lock:
            if self.rate_limit_errors > 0:
                self.rate_limit_errors -= 1
                return _error(429, 130429, "Rate limit hit")
            if self.server_errors > 0:
                self.server_errors -= 1
                return _error(500, 131000, "Something went wrong")
        problem = check_shape(body)
        if problem:
            return _error(400, 100, f"Invalid parameter: {problem}")
        to = body["to"]
        if body["type"] == "template":
            template = body["template"]
            if (template["name"], template["language"]["code"]) not in self.approved_templates:
                self.refused.append((to, 132001))
                return _error(404, 132001, "Template name does not exist in the translation")
        elif not self.window_open(to):
            self.refused.append((to, 131047))
            return _error(400, 131047, "Re-engagement message")
        wamid = f"wamid.OUT{next(self._ids):08d}"
        with self._lock:
            self.sent.append(SentMessage(wamid, to, body))
        sent = self._status(wamid, to, "sent")
        if to in self.not_on_whatsapp:
            self._post_later(sent, self._status(wamid, to, "failed", 131026))
        else:
            self._post_later(sent, self._status(wamid, to, "delivered"))
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": wamid}],
            }
        )
