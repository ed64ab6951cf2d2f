"""The shortcut check of action-server responses (``bot/rasa_speedups.py``) accepts exactly
what Rasa's own schema accepts, and takes the shortcut for the responses Tracer sends."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import validate
from jsonschema.exceptions import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, FollowupAction, SlotSet

from bot.rasa_speedups import _ResponseCheck

SPEC = RemoteAction.action_response_format_spec()
CHECK = _ResponseCheck(SPEC)
NAMES = sorted(CHECK.by_event) + ["no_such_event", ""]
SMALL_DICTS = st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5),
    st.lists(st.integers(), max_size=2), SMALL_DICTS,
)  # fmt: skip
FIELDS = ["name", "value", "text", "timestamp", "metadata", "entities", "intent", "policy",
          "confidence", "parse_data", "input_channel", "message_id", "data"]  # fmt: skip
EVENT = st.one_of(
    st.fixed_dictionaries(
        {"event": st.sampled_from(NAMES)},
        optional={field: VALUES for field in FIELDS},
    ),
    VALUES,
)
BOT_RESPONSE = st.one_of(st.dictionaries(st.text(max_size=3), VALUES, max_size=2), VALUES)
RESPONSE = st.fixed_dictionaries(
    {},
    optional={
        "events": st.one_of(st.lists(EVENT, max_size=4), VALUES),
        "responses": st.one_of(st.lists(BOT_RESPONSE, max_size=2), VALUES),
    },
)


def _rasa_accepts(result: Any) -> bool:
    try:
        validate(result, SPEC)
    except ValidationError:
        return False
    return True


@settings(max_examples=600, deadline=None)
@given(RESPONSE)
def test_the_shortcut_never_accepts_what_rasa_refuses(result: dict) -> None:
    if CHECK.accepts(result):
        assert _rasa_accepts(result), result


def test_the_shortcut_takes_tracers_own_responses() -> None:
    events = [SlotSet("step", "q:bl_sex"), SlotSet("answer", None), ActiveLoop("survey_form"),
              FollowupAction("action_listen"), BotUttered("Hi", {"buttons": []}),
              ActionExecuted("action_listen")]  # fmt: skip
    result = {
        "events": [event.as_dict() for event in events],
        "responses": [{"text": "Question 2 of 11", "buttons": [{"title": "A", "payload": "/x"}]}],
    }
    assert _rasa_accepts(result)
    assert CHECK.accepts(result)
    assert len(CHECK.by_event) == 23


def test_an_event_that_fits_two_names_is_left_to_the_full_check() -> None:
    slot_without_value = {"events": [{"event": "slot", "name": "step"}]}
    assert not CHECK.accepts(slot_without_value)
    assert not _rasa_accepts(slot_without_value)
