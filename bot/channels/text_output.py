"""An output channel base for messengers that show everything as text, with or without choices.

Subclasses implement ``send_text_message`` and ``send_text_with_buttons``; quick replies,
images, attachments, custom payloads and whole Rasa message dicts are mapped onto those two.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.core.channels.channel import OutputChannel


class TextFirstOutput(OutputChannel):
    """Rasa's message kinds in terms of text and text-with-choices."""

    async def send_quick_replies(
        self,
        recipient_id: str,
        text: str,
        quick_replies: List[Dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        """Quick replies are shown like buttons."""
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """Images are sent as their link (messengers show a preview)."""
        await self.send_text_message(recipient_id, image)

    async def send_attachment(self, recipient_id: str, attachment: str, **kwargs: Any) -> None:
        """Attachments are sent as text."""
        await self.send_text_message(recipient_id, str(attachment))

    async def send_custom_json(
        self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any
    ) -> None:
        """Custom payloads: their ``text`` (with ``buttons``) is sent, anything else ignored."""
        if isinstance(json_message, dict) and json_message.get("text"):
            await self.send_response(
                recipient_id,
                {"text": json_message["text"], "buttons": json_message.get("buttons")},
            )

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        """Send one Rasa bot message dict: text with buttons/quick replies, image, custom."""
        message = dict(message)
        text = message.pop("text", None) or ""
        buttons = message.pop("buttons", None) or message.pop("quick_replies", None)
        if buttons:
            await self.send_text_with_buttons(recipient_id, text, buttons)
        elif text:
            await self.send_text_message(recipient_id, text)
        if message.get("image"):
            await self.send_image_url(recipient_id, message["image"])
        if message.get("attachment"):
            await self.send_attachment(recipient_id, message["attachment"])
        if message.get("custom"):
            await self.send_custom_json(recipient_id, message["custom"])
