"""The ``tracer`` command line for programme officers and operators."""

from bot.cli.main import main

__all__ = ["main"]
