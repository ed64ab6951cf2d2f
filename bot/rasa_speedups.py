"""Avoidable work removed from Rasa's hot path, installed explicitly at Rasa start-up.

Rasa 3.6 validates every action-server response with ``jsonschema.validate``, which checks the
*schema itself* against the JSON-Schema meta-schema and builds a new validator on every call.
Profiling a Tracer turn (two remote actions per message) showed this as the largest cost on the
Rasa side. The replacement checks the (constant) schema once, reuses one validator and raises
exactly what Rasa raised: the best-matching ``ValidationError`` with Rasa's hint appended.

Rasa also resolves the class of every stored event by its type name (``Event.resolve_by_type``)
by walking all ``Event`` subclasses recursively, once per event: loading a conversation of 100
events walked the class tree 100 times (11 % of the Rasa process's time in a py-spy profile of
a baseline at one chat). The replacement looks the name up in a table built from the same walk,
in the same order (first match wins, as in Rasa), rebuilt when a name is not found (a subclass
imported later), with Rasa's answers for ``topic``, a default, or an unknown name.

Both replace Rasa methods, so :func:`install` only does it on the Rasa version it was
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


_event_types: dict[str, Any] = {}


def _event_types_by_name() -> dict[str, Any]:
    """Type name → event class, first in Rasa's own ``all_subclasses(Event)`` order."""
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    table: dict[str, Any] = {}
    for cls in all_subclasses(Event):
        table.setdefault(cls.type_name, cls)
    return table


def resolve_event_type(type_name: str, default: Any = None) -> Any:
    """Drop-in for ``Event.resolve_by_type``: the event class named ``type_name``."""
    global _event_types
    found = _event_types.get(type_name)
    if found is None:
        _event_types = _event_types_by_name()
        found = _event_types.get(type_name)
    if found is not None:
        return found
    if type_name == "topic":
        return None  # Rasa's backwards compatibility for old TopicSet events
    if default is not None:
        return default
    raise ValueError(f"Unknown event name '{type_name}'.")


def install() -> bool:
    """Patch Rasa's ``RemoteAction`` and ``Event`` (idempotent); False, with a warning, on
    another Rasa."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event
    from rasa.version import __version__ as rasa_version

    if rasa_version != PATCHED_RASA_VERSION:
        log.warning(
            "Rasa %s is not %s: Tracer's speed-ups (bot/rasa_speedups.py) are "
            "not installed; check them against this Rasa version before re-enabling them",
            rasa_version,
            PATCHED_RASA_VERSION,
        )
        return False
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_event_type)
    return True
