"""Test-only fault injection: the survey turn raises when a message holds ``FORCED_FAILURE``.

This directory is put first on ``PYTHONPATH`` only by tests that want an exception inside a
Rasa custom action (tests/e2e/test_privacy_erasure.py); Python then imports this module at
start-up (``sitecustomize``). Nothing in the application imports it and no deployment puts
``tests/`` on the path, so no user can reach it. The exception text holds the whole incoming
message (sender id and typed text), as a careless ``raise`` would: the logs must still not.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from typing import Any

FORCED_FAILURE = "FORCED-ACTION-FAILURE"
TARGET = "bot.survey.turn"


def _patch(module: Any) -> None:
    original = module.SurveyTurn._run

    def failing_run(self: Any, incoming: Any, result: Any) -> Any:
        if FORCED_FAILURE in (incoming.text or ""):
            raise RuntimeError(f"forced failure for chat {incoming.sender_id} on {incoming!r}")
        return original(self, incoming, result)

    module.SurveyTurn._run = failing_run


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Patches ``bot.survey.turn`` right after it is first imported (only in that process)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != TARGET:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        execute = spec.loader.exec_module

        def exec_module(module: Any) -> None:
            execute(module)
            _patch(module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


sys.meta_path.insert(0, _PatchOnImport())
