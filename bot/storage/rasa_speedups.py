"""Avoidable work removed from Rasa's hot path (installed when Rasa loads Tracer's tracker store).

Rasa 3.6 validates every action-server response with ``jsonschema.validate``, which checks the
*schema itself* against the JSON-Schema meta-schema and builds a new validator on every call.
Profiling a Tracer turn (two remote actions per message) showed this as the largest cost on the
Rasa side. The replacement checks the (constant) schema once, reuses one validator and raises
exactly what Rasa raised: the best-matching ``ValidationError`` with Rasa's hint appended.
"""

from __future__ import annotations

from typing import Any

from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match

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


def install() -> None:
    """Patch Rasa's ``RemoteAction`` (idempotent)."""
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
