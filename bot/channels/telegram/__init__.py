"""Telegram as a Rasa input/output channel, through python-telegram-bot (polling or webhook).

Configure it in ``credentials.yml`` as ``bot.channels.telegram.TelegramInput:``; secrets come
from Tracer settings or the environment (see ``docs/telegram.md``).
"""

from bot.channels.telegram.channel import TelegramInput
from bot.channels.telegram.output import TelegramOutput

__all__ = ["TelegramInput", "TelegramOutput"]
