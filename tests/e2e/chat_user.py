"""A user of a messenger (Telegram, WhatsApp) as the e2e tests drive them through a fake API."""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar

Sent = TypeVar("Sent")


class FakeMessenger(Protocol[Sent]):
    """What a fake messenger API offers the tests: the messages the bot sent to an address."""

    def messages_to(self, address: Any) -> list[Sent]: ...


class ChatUser(Generic[Sent]):
    """One user of a fake messenger, known to it by ``address`` (chat id, WhatsApp id)."""

    def __init__(self, fake: FakeMessenger[Sent], address: Any, language: str = "en") -> None:
        self.fake = fake
        self.address = address
        self.language = language

    @property
    def seen(self) -> int:
        """How many messages the bot has sent this user."""
        return len(self.fake.messages_to(self.address))

    @property
    def last(self) -> Sent:
        """The bot's latest message to this user."""
        return self.fake.messages_to(self.address)[-1]
