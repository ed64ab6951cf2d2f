"""Avoidable work removed from Rasa's hot path, installed explicitly at Rasa start-up.

Rasa 3.6 validates every action-server response with ``jsonschema.validate``, which checks the
*schema itself* against the JSON-Schema meta-schema and builds a new validator on every call.
Profiling a Tracer turn (two remote actions per message) showed this as the largest cost on the
Rasa side. The replacement checks the (constant) schema once, reuses one validator and raises
exactly what Rasa raised: the best-matching ``ValidationError`` with Rasa's hint appended. A
valid response is recognised faster still: each event is checked against the one alternative
of its name in the schema's ``oneOf`` (exact, since each alternative pins the name), and only
a response that fails that goes through the full schema for Rasa's error.

Rasa also resolves the class of every stored event by its type name (``Event.resolve_by_type``)
by walking all ``Event`` subclasses recursively, once per event: loading a conversation of 100
events walked the class tree 100 times (11 % of the Rasa process's time in a py-spy profile of
a baseline at one chat). The replacement looks the name up in a table built from the same walk,
in the same order (first match wins, as in Rasa), rebuilt when a name is not found (a subclass
imported later), with Rasa's answers for ``topic``, a default, or an unknown name.

Rasa recomputes ``DialogueStateTracker.applied_events`` from the first event of the session on
every call, several times per message (policies, session checks, replays; with the survey
form's undo scans it grows with the session, 7.6 % of the Rasa process's time). The
replacement continues the same fold from where the previous call on the same tracker stopped,
when only events were appended and no new loop name appeared (Rasa's loop names are taken over
*all* events, so a new one means computing from the start, as Rasa does).

All three replace Rasa methods, so :func:`install` only does it on the Rasa version it was
written and tested against (``PATCHED_RASA_VERSION``); on any other version it logs a warning
and leaves Rasa alone (correct, only slower). ``TracerSQLTrackerStore`` calls :func:`install`
when Rasa creates it at server start-up. ``tests/cluster/test_hot_path.py`` fails if Rasa stops
calling the patched method on a real action call.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

from jsonschema import ValidationError, validators
from jsonschema.exceptions import best_match
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)

PATCHED_RASA_VERSION = "3.6.21"
log = logging.getLogger(__name__)
_validator: Any = None


class _ResponseCheck:
    """Rasa's action-response schema, checked once, with a shortcut for valid responses.

    The schema's event items are a ``oneOf`` of one alternative per event name (each pins
    ``event`` to a constant), so an event is valid exactly when it passes the common part and
    the alternative of its own name: the shortcut checks that one instead of all 23. Anything
    the shortcut does not accept goes through the full schema, which gives Rasa's error.
    """

    def __init__(self, spec: dict) -> None:
        cls = validators.validator_for(spec)
        cls.check_schema(spec)
        self.full = cls(spec)
        self.by_event = _validators_by_event(spec, cls)
        self.responses = cls(spec.get("properties", {}).get("responses", {}))

    def accepts(self, result: Any) -> bool:
        """True only when the full schema accepts ``result`` (False: ask the full schema)."""
        if not self.by_event or not isinstance(result, dict):
            return False
        events = result.get("events", [])
        if not isinstance(events, list):
            return False
        for event in events:
            name = event.get("event") if isinstance(event, dict) else None
            check = self.by_event.get(name) if isinstance(name, str) else None
            if check is None or not check.is_valid(event):
                return False
        return "responses" not in result or self.responses.is_valid(result["responses"])


def _validators_by_event(spec: dict, cls: Any) -> dict[str, Any]:
    """Event name → validator of that event's alternative; empty when the schema is not
    the shape the shortcut is exact for (then every response gets the full check)."""
    events = spec.get("properties", {}).get("events", {})
    items = events.get("items", {})
    alternatives = items.get("oneOf")
    if set(spec) != {"type", "properties"} or set(events) != {"type", "items"} or not alternatives:
        return {}
    common = {key: value for key, value in items.items() if key != "oneOf"}
    table: dict[str, Any] = {}
    for alternative in alternatives:
        name = alternative.get("properties", {}).get("event", {}).get("const")
        if not isinstance(name, str) or name in table:
            return {}
        table[name] = cls({**common, "allOf": [alternative]})
    return table


def _response_validator(spec: dict) -> _ResponseCheck:
    global _validator
    if _validator is None:
        _validator = _ResponseCheck(spec)
    return _validator


def validate_action_result(self: Any, result: dict) -> bool:
    """Drop-in for ``RemoteAction._validate_action_result`` with a cached validator."""
    from rasa.shared.constants import DOCS_BASE_URL

    check = _response_validator(self.action_response_format_spec())
    if check.accepts(result):
        return True
    error: ValidationError | None = best_match(check.full.iter_errors(result))
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


_APPLIED_CACHE = "_tracer_applied_events"


def applied_events(self: Any) -> list:
    """Drop-in for ``DialogueStateTracker.applied_events``: Rasa's fold over the events,
    resumed from the previous call's state when the events were only appended to."""
    events = self.events
    count = len(events)
    cached = self.__dict__.get(_APPLIED_CACHE)
    start, loop_names, applied = 0, None, []
    if cached is not None:
        source, done, boundary, known_loops, known_applied = cached
        if source is events and 0 < done <= count and events[done - 1] is boundary:
            new_loops = {
                event.name
                for event in itertools.islice(events, done, count)
                if isinstance(event, ActiveLoop) and event.name
            }
            if new_loops <= known_loops:
                start, loop_names, applied = done, known_loops, known_applied
    if loop_names is None:
        loop_names = {e.name for e in events if isinstance(e, ActiveLoop) and e.name}
    for event in itertools.islice(events, start, count):
        applied = _apply(self, event, applied, loop_names)
    if count:
        self.__dict__[_APPLIED_CACHE] = (events, count, events[-1], loop_names, applied)
    return list(applied)


def _apply(tracker: Any, event: Any, applied: list, loop_names: set) -> list:
    """One step of Rasa's ``applied_events`` loop (same branches, same order)."""
    if isinstance(event, (Restarted, SessionStarted)):
        return []
    if isinstance(event, ActionReverted):
        tracker._undo_till_previous(ActionExecuted, applied)
    elif isinstance(event, UserUtteranceReverted):
        tracker._undo_till_previous(UserUttered, applied)
        tracker._undo_till_previous(ActionExecuted, applied)
    elif (
        isinstance(event, ActionExecuted)
        and event.action_name in loop_names
        and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
    ):
        tracker._undo_till_previous_loop_execution(event.action_name, applied)
    else:
        applied.append(event)
    return applied


def install() -> bool:
    """Patch Rasa's ``RemoteAction``, ``Event`` and ``DialogueStateTracker`` (idempotent);
    False, with a warning, on another Rasa."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker
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
    DialogueStateTracker.applied_events = applied_events
    return True
