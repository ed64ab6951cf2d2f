"""Metadata a chat client may send with a message, minus what only Rasa itself may set."""

from __future__ import annotations

from typing import Any

# Rasa marks a trigger_intent call with ``is_external``; a client must never claim it.
RESERVED_KEYS = frozenset({"is_external"})


def client_metadata(raw: Any) -> dict[str, Any]:
    """A client's message metadata as a dict without reserved keys (anything else → {})."""
    if not isinstance(raw, dict):
        return {}
    return {key: value for key, value in raw.items() if key not in RESERVED_KEYS}
