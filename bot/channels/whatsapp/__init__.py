"""WhatsApp Business Cloud API as a Rasa input/output channel (Meta Graph API over HTTPS).

Configure it in ``credentials.yml`` as ``bot.channels.whatsapp.WhatsAppInput:``; secrets come
from the environment (see ``docs/whatsapp.md``).
"""

from bot.channels.whatsapp.channel import WhatsAppInput, WhatsAppOutput

__all__ = ["WhatsAppInput", "WhatsAppOutput"]
