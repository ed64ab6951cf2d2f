"""A fake Telegram Bot API server for tests (aiohttp on 127.0.0.1, in a background thread).

python-telegram-bot talks to it with ``Bot(token, base_url=fake.base_url)``.  Tests push updates
(``user_says``, ``user_taps``), then read what the bot did (``sent``, ``calls``).  It can answer
``sendMessage`` with N flood-control errors (429 + ``retry_after``) and redeliver an update.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.threaded_server import ThreadedServer

BOT_USER = {
    "id": 4242,
    "is_bot": True,
    "first_name": "Tracer",
    "username": "tracer_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class SentMessage:
    """One ``sendMessage`` the bot made."""

    message_id: int
    chat_id: int
    text: str
    reply_markup: dict | None
    at: float = field(default_factory=time.monotonic)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(text, callback data) of every inline button, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    @property
    def rows(self) -> list[list[str]]:
        """Button texts per keyboard row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [[b["text"] for b in row] for row in rows]


def _command_entities(text: str) -> dict:
    if not text.startswith("/"):
        return {}
    command = {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
    return {"entities": [command]}


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(status: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


class FakeTelegramAPI(ThreadedServer):
    """The fake server; use as a context manager or call ``start``/``stop``."""

    name = "fake-telegram"

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token
        self.calls: list[tuple[str, dict]] = []
        self.sent: list[SentMessage] = []
        self.webhook: dict | None = None
        self.flood_errors = 0  # next N sendMessage calls answer 429
        self.flood_retry_after = 1
        self.server_errors = 0  # next N sendMessage calls answer 500
        self._updates: list[dict] = []
        self._forced: list[dict] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._lock = threading.Lock()
        self._new_update: asyncio.Event | None = None

    # -- lifecycle ----------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """The ``base_url`` for python-telegram-bot (token is appended by PTB)."""
        return f"http://127.0.0.1:{self.port}/bot"

    def on_loop_start(self) -> None:
        """The event that wakes long polls, bound to the server's loop."""
        self._new_update = asyncio.Event()

    def add_routes(self, app: web.Application) -> None:
        """Every Bot API method, by GET or POST."""
        app.router.add_route("POST", "/bot{token}/{method}", self._dispatch)
        app.router.add_route("GET", "/bot{token}/{method}", self._dispatch)

    # -- what tests do ------------------------------------------------------------------------
    def push(self, update: dict, force: bool = False) -> dict:
        """Queue a raw update; ``force`` delivers it even if its id is below the offset."""
        with self._lock:
            (self._forced if force else self._updates).append(update)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._new_update.set)
        return update

    def _user(self, chat_id: int, language: str | None) -> dict:
        user = {"id": chat_id, "is_bot": False, "first_name": "Trainee"}
        if language:
            user["language_code"] = language
        return user

    def _push_message(self, chat_id: int, language: str | None, **content: object) -> dict:
        """Push a private message from ``chat_id`` with ``content`` (text, sticker...)."""
        return self.push(
            {
                "update_id": next(self._update_ids),
                "message": {
                    "message_id": next(self._message_ids),
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private", "first_name": "Trainee"},
                    "from": self._user(chat_id, language),
                    **content,
                },
            }
        )

    def user_says(self, chat_id: int, text: str, language: str | None = "en") -> dict:
        """A private text message from ``chat_id``; returns the update."""
        return self._push_message(chat_id, language, text=text, **_command_entities(text))

    def user_sends_sticker(self, chat_id: int, language: str | None = "en") -> dict:
        """A sticker (no text) from ``chat_id``."""
        return self._push_message(
            chat_id,
            language,
            sticker={
                "file_id": "sticker-1",
                "file_unique_id": "s1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            },
        )

    def user_taps(self, message: SentMessage, data: str, language: str | None = "en") -> dict:
        """A tap on an inline button of ``message`` carrying callback ``data``."""
        return self.push(
            {
                "update_id": next(self._update_ids),
                "callback_query": {
                    "id": f"cq-{next(self._message_ids)}",
                    "from": self._user(message.chat_id, language),
                    "chat_instance": "ci-1",
                    "data": data,
                    "message": {
                        "message_id": message.message_id,
                        "date": int(time.time()),
                        "chat": {"id": message.chat_id, "type": "private"},
                        "from": BOT_USER,
                        "text": message.text,
                        **({"reply_markup": message.reply_markup} if message.reply_markup else {}),
                    },
                },
            }
        )

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        """Everything sent to ``chat_id`` so far."""
        with self._lock:
            return [m for m in self.sent if m.chat_id == chat_id]

    def calls_of(self, method: str) -> list[dict]:
        """Parameters of every call to ``method``."""
        with self._lock:
            return [params for name, params in self.calls if name == method]

    # -- the API --------------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict:
        if request.content_type == "application/json":
            raw = await request.json()
        else:
            raw = dict(await request.post())
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if isinstance(value, str) and value[:1] in "[{":
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            params[key] = value
        return params

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await self._params(request)
        with self._lock:
            self.calls.append((method, params))
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        return await handler(params)

    async def _api_getMe(self, _: dict) -> web.Response:  # noqa: N802
        return _ok(BOT_USER)

    async def _api_deleteWebhook(self, _: dict) -> web.Response:  # noqa: N802
        self.webhook = None
        return _ok(True)

    async def _api_setWebhook(self, params: dict) -> web.Response:  # noqa: N802
        self.webhook = params
        return _ok(True)

    def _take(self, offset: int, limit: int) -> list[dict]:
        with self._lock:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            batch = (self._forced + self._updates)[:limit]
            self._forced = [u for u in self._forced if u not in batch]
            return batch

    async def _api_getUpdates(self, params: dict) -> web.Response:  # noqa: N802
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            self._new_update.clear()
            batch = self._take(offset, limit)
            remaining = deadline - asyncio.get_running_loop().time()
            if batch or remaining <= 0:
                return _ok(batch)
            try:
                await asyncio.wait_for(self._new_update.wait(), min(remaining, 0.5))
            except asyncio.TimeoutError:
                pass

    async def _api_sendMessage(self, params: dict) -> web.Response:  # noqa: N802
        with self._lock:
            if self.flood_errors > 0:
                self.flood_errors -= 1
                retry = self.flood_retry_after
                flood = True
            else:
                flood = False
            if not flood and self.server_errors > 0:
                self.server_errors -= 1
                return _error(500, "Internal Server Error")
        if flood:
            return _error(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        chat_id = int(params["chat_id"])
        message = SentMessage(
            message_id=next(self._message_ids),
            chat_id=chat_id,
            text=str(params.get("text", "")),
            reply_markup=params.get("reply_markup") or None,
        )
        with self._lock:
            self.sent.append(message)
        result = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            "text": message.text,
        }
        if message.reply_markup:
            result["reply_markup"] = message.reply_markup
        return _ok(result)

    async def _api_answerCallbackQuery(self, _: dict) -> web.Response:  # noqa: N802
        return _ok(True)

    async def _api_editMessageReplyMarkup(self, params: dict) -> web.Response:  # noqa: N802
        message_id = int(params["message_id"])
        with self._lock:
            for message in self.sent:
                if message.message_id == message_id:
                    message.reply_markup = params.get("reply_markup") or None
        return _ok(True)
