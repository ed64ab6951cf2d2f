"""What a messenger channel does when Rasa fails on an inbound message: never leave silence."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from rasa.core.channels.channel import OutputChannel

from bot.i18n import t


@asynccontextmanager
async def apology_if_rasa_fails(
    output: OutputChannel,
    recipient_id: str,
    secret_key: str,
    language: str,
    log: logging.Logger,
) -> AsyncIterator[None]:
    """Run the hand-over to Rasa; if it raises (e.g. database down), log the failure under a
    pseudonymous conversation reference and tell the user, in their language, to try later."""
    try:
        yield
    except Exception as error:  # noqa: BLE001 - Rasa failed: never leave silence
        # imported here: bot.channels.telegram's package imports its channel, which imports us
        from bot.channels.telegram.privacy import conversation_ref

        ref = conversation_ref(secret_key, recipient_id)
        log.error("message for %s failed in Rasa (%s)", ref, type(error).__name__)
        await output.send_text_message(recipient_id, t("service_unavailable", language))
