"""An aiohttp server on 127.0.0.1 running in a daemon thread, the base of the fake APIs."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any, Callable

from aiohttp import web


class ThreadedServer:
    """Serve ``add_routes`` on a free port in a background thread; a context manager."""

    name = "fake-api"

    def __init__(self) -> None:
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    def add_routes(self, app: web.Application) -> None:
        """Register the fake's routes (subclasses)."""
        raise NotImplementedError

    def on_loop_start(self) -> None:
        """Create loop-bound objects (events...) before serving (subclasses may override)."""

    def start(self) -> Any:
        """Start serving in a daemon thread; returns ``self`` once the port is bound."""
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            self.on_loop_start()
            self._loop.run_until_complete(self._serve())
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name=self.name, daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"{self.name} did not start")
        return self

    async def _serve(self) -> None:
        app = web.Application()
        self.add_routes(app)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def stop(self) -> None:
        """Stop the server and its thread."""
        if self._loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop = None

    def messages_to(self, chat: Any) -> list[Any]:
        """Everything the bot sent to ``chat`` so far (subclasses)."""
        raise NotImplementedError

    def wait_for(
        self,
        chat: Any,
        predicate: Callable[[Any], bool],
        after: int = 0,
        timeout: float = 30.0,
    ) -> list[Any]:
        """Messages to ``chat`` from index ``after`` on, once one of them matches."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            new = self.messages_to(chat)[after:]
            if any(predicate(m) for m in new):
                return new
            time.sleep(0.05)
        got = [m.text[:60] for m in self.messages_to(chat)[after:]]
        raise TimeoutError(f"no matching message within {timeout} s; got {got}")

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
