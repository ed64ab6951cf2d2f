"""Avoidable work removed from Rasa's hot path, installed explicitly at Rasa start-up.

Rasa 3.6 validates every action-server response with ``jsonschema.validate``, which checks the
*schema itself* against the JSON-Schema meta-schema and builds a new validator on every call.
Profiling a Tracer turn (two remote actions per message) showed this as the largest cost on the
Rasa side. The replacement checks the (constant) schema once, reuses one validator and raises
exactly what Rasa raised: the best-matching ``ValidationError`` with Rasa's hint appended.

It replaces a private Rasa method, so :func:`install` only does it on the Rasa version it was
written and tested against (``PATCHED_RASA_VERSION``); on any other version it logs a warning
and leaves Rasa alone (correct, only slower). ``TracerSQLTrackerStore`` calls :func:`install`
when Rasa creates it at server start-up. ``tests/cluster/test_hot_path.py`` fails if Rasa stops
calling the patched method on a real action call.
"""

from __future__ import annotations

import logging
from typing import Any

from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match

PATCHED_RASA_VERSION = "3.6.21"
log = logging.getLogger(__name__)
_validator: Any = None


def _response_validator(spec: dict) -> Any:
    global _validator
    if _validator is None:
        cls = validators.validator_for(spec)
        cls.check_schema(spec)
        _validator = cls(spec)
    return _validator


def validate_action_result(self: Any, result: dict) -> bool:
    """Drop-in for ``RemoteAction._validate_action_result`` with a cached validator."""
    from rasa.shared.constants import DOCS_BASE_URL

    error: ValidationError | None = best_match(
        _response_validator(self.action_response_format_spec()).iter_errors(result)
    )
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> bool:
    """Patch Rasa's ``RemoteAction`` (idempotent); False, with a warning, on another Rasa."""
    from rasa.core.actions.action import RemoteAction
    from rasa.version import __version__ as rasa_version

    if rasa_version != PATCHED_RASA_VERSION:
        log.warning(
            "Rasa %s is not %s: Tracer's action-response speed-up (bot/rasa_speedups.py) is "
            "not installed; check it against this Rasa version before re-enabling it",
            rasa_version,
            PATCHED_RASA_VERSION,
        )
        return False
    RemoteAction._validate_action_result = validate_action_result
    return True
