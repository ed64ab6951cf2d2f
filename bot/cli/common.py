"""Shared CLI state: settings and store built lazily from the global options."""

from __future__ import annotations

from dataclasses import dataclass, field

import click

from bot.config import Settings, load_settings
from bot.storage.repository import TracerStore


@dataclass
class CliContext:
    """What every command needs: settings (with the --database-url override) and a store."""

    database_url: str | None = None
    _settings: Settings | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        """Settings with CLI overrides applied, read from the environment of this invocation
        (not the process-wide cache: an in-process caller, such as a test or a script, may
        invoke several commands with different environments)."""
        if self._settings is None:
            settings = load_settings()
            if self.database_url:
                settings = settings.with_overrides(database_url=self.database_url)
            self._settings = settings
        return self._settings

    @property
    def store(self) -> TracerStore:
        """A repository on the configured database."""
        return TracerStore(self.settings)


pass_cli = click.make_pass_decorator(CliContext)
