"""Per-chat ordering: messages of one chat are handled one after another, chats concurrently."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Awaitable, Callable, Generic, TypeVar

log = logging.getLogger(__name__)
Item = TypeVar("Item")


class ChatQueues(Generic[Item]):
    """One FIFO and one worker task per active chat; a worker ends when its FIFO is empty."""

    def __init__(self, handle: Callable[[Item], Awaitable[None]]) -> None:
        self._handle = handle
        self._queues: dict[str, deque[Item]] = {}
        self._tasks: set[asyncio.Task] = set()

    def submit(self, chat_key: str, item: Item) -> None:
        """Queue ``item`` behind earlier items of the same chat (must run inside the loop)."""
        queue = self._queues.get(chat_key)
        if queue is not None:
            queue.append(item)
            return
        self._queues[chat_key] = deque([item])
        task = asyncio.get_running_loop().create_task(self._drain(chat_key))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @property
    def active_chats(self) -> int:
        """How many chats have messages waiting or in progress."""
        return len(self._queues)

    async def _drain(self, chat_key: str) -> None:
        queue = self._queues[chat_key]
        try:
            while queue:
                try:
                    await self._handle(queue[0])
                except asyncio.CancelledError:
                    raise
                except Exception as error:  # noqa: BLE001 - a bad message must not stop the chat
                    log.error("chat message handling failed: %s", type(error).__name__)
                finally:
                    queue.popleft()
        finally:
            del self._queues[chat_key]

    async def join(self, timeout: float) -> bool:
        """Wait up to ``timeout`` s for queued messages to be handled; True when all were."""
        if not self._tasks:
            return True
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in pending:
            task.cancel()
        return not pending
