"""Rasa's Redis ticket lock, with each change of a conversation's lock made atomically.

Rasa 3.6's ``RedisLockStore`` changes a lock by GET, edit in Python, then SET. Two Rasa
processes doing that at once (one finishing a message of a chat while the other takes a ticket
for the chat's next message, as happens whenever a chat's messages reach different processes)
can overwrite each other: a finished ticket comes back to life and the next message waits for
it to expire (60 s), or both tickets expire together and the next message waits for ever on an
empty lock. Here every change is one optimistic Redis transaction (``WATCH``/``MULTI``, retried
by redis-py on a conflict), a waiter whose ticket has gone raises ``LockError`` (the channels
retry with a new ticket) instead of waiting on nothing, and waiters poll every 50 ms instead of
every second. Tickets, their order and their lifetime are Rasa's own.
"""

from __future__ import annotations

import asyncio
import json
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Callable, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

POLL_SECONDS = 0.05  # a waiting message looks at the lock this often (Rasa's default: 1 s)
Result = TypeVar("Result")


class AtomicRedisLockStore(RedisLockStore):
    """``RedisLockStore`` whose ticket changes are Redis transactions (``type:`` in endpoints)."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def _change(self, conversation_id: str, edit: Callable[[TicketLock], Result]) -> Result:
        """Apply ``edit`` to the conversation's lock (a new one when none is stored) and store
        the result in one transaction; an empty lock is deleted."""
        key = self.key_prefix + conversation_id
        outcome: list[Result] = []

        def transaction(pipe: Any) -> None:
            stored = pipe.get(key)
            lock = (
                TicketLock.from_dict(json.loads(stored)) if stored else TicketLock(conversation_id)
            )
            result = edit(lock)
            lock.remove_expired_tickets()
            pipe.multi()
            if lock.tickets:
                pipe.set(key, lock.dumps())
            else:
                pipe.delete(key)
            outcome[:] = [result]

        self.red.transaction(transaction, key)
        return outcome[0]

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """A new ticket for the conversation, after those already issued."""
        try:
            ticket = self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))
        except Exception as error:  # noqa: BLE001 - Rasa's contract: any failure is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error
        return ticket

    def update_lock(self, conversation_id: str) -> None:
        """Drop the conversation's expired tickets."""
        self._change(conversation_id, lambda lock: None)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        """Remove ``ticket_number`` (the lock goes when no ticket is left)."""
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove ``ticket_number``; ``finish_serving`` already deletes an empty lock."""
        self.finish_serving(conversation_id, ticket_number)

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = POLL_SECONDS,
    ) -> AsyncGenerator[TicketLock, None]:
        """Hold the conversation's lock (Rasa's ``lock``, polling every ``POLL_SECONDS``)."""
        ticket = self.issue_ticket(conversation_id, lock_lifetime)
        try:
            yield await self._acquire_lock(
                conversation_id, ticket, min(wait_time_in_seconds, POLL_SECONDS)
            )
        finally:
            self.cleanup(conversation_id, ticket)

    async def _acquire_lock(
        self, conversation_id: str, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        """Wait until ``ticket`` is served; ``LockError`` once it is no longer in the lock."""
        while True:
            lock = self.get_lock(conversation_id)
            if lock is None or lock._ticket_for_ticket_number(ticket) is None:
                raise LockError("the ticket expired before the conversation's lock was free")
            if not lock.is_locked(ticket):
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            self.update_lock(conversation_id)
