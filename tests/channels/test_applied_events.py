"""Rasa's ``applied_events`` resumed from the previous call (``bot/rasa_speedups.py``) gives
exactly what Rasa's own computes from the start, however a conversation's events grow."""

from __future__ import annotations

import copy
from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    DefinePrevUserUtteredFeaturization,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot import rasa_speedups

RASAS = DialogueStateTracker.__dict__["applied_events"]
LOOPS = ["survey_form", "other_form"]
EVENTS = st.one_of(
    st.builds(lambda: UserUttered("text", {"name": "inform"})),
    st.sampled_from(["action_listen", "utter_ask", "validate_survey_form", *LOOPS]).map(
        ActionExecuted
    ),
    st.sampled_from([*LOOPS, None]).map(ActiveLoop),
    st.sampled_from(LOOPS).map(ActionExecutionRejected),
    st.builds(ActionReverted),
    st.builds(UserUtteranceReverted),
    st.builds(SessionStarted),
    st.builds(Restarted),
    st.builds(lambda: SlotSet("step", "q:x")),
    st.builds(lambda: DefinePrevUserUtteredFeaturization(False)),
)
# a conversation grows turn by turn: each chunk is appended, then the events are asked for
CHUNKS = st.lists(st.lists(EVENTS, max_size=6), min_size=1, max_size=12)


def test_rasas_function_is_the_one_compared_against() -> None:
    assert RASAS is not rasa_speedups.applied_events


@settings(max_examples=400, deadline=None)
@given(CHUNKS)
def test_resumed_applied_events_equal_rasas_after_every_turn(chunks: list) -> None:
    tracker = DialogueStateTracker("s", [])
    for chunk in chunks:
        tracker.events.extend(chunk)
        resumed = rasa_speedups.applied_events(tracker)
        assert resumed == RASAS(tracker)
        assert all(a is b for a, b in zip(resumed, RASAS(tracker), strict=True))
        resumed.clear()  # a caller editing the returned list does not touch the next answer
    assert rasa_speedups.applied_events(tracker) == RASAS(tracker)


@settings(max_examples=100, deadline=None)
@given(CHUNKS, st.lists(EVENTS, max_size=6))
def test_a_copied_or_replaced_history_is_not_mistaken_for_the_cached_one(
    chunks: list, more: list
) -> None:
    tracker = DialogueStateTracker("s", [])
    for chunk in chunks:
        tracker.events.extend(chunk)
        rasa_speedups.applied_events(tracker)
    copied = copy.deepcopy(tracker)
    copied.events.extend(more)
    assert rasa_speedups.applied_events(copied) == RASAS(copied)
    assert rasa_speedups.applied_events(tracker) == RASAS(tracker)
    tracker.events = deque(more)  # same length and last event are possible: not the same list
    assert rasa_speedups.applied_events(tracker) == RASAS(tracker)
    tracker.events.clear()  # the same list, emptied and refilled in place
    tracker.events.extend([*(event for chunk in chunks for event in chunk), *more])
    assert rasa_speedups.applied_events(tracker) == RASAS(tracker)


def test_a_loop_named_only_in_new_events_changes_the_earlier_ones_as_in_rasa() -> None:
    tracker = DialogueStateTracker("s", [])
    tracker.events.extend(
        [
            ActionExecuted("action_listen"),
            ActionExecuted("other_form"),
            SlotSet("step", "a"),
            ActionExecuted("other_form"),
        ]  # fmt: skip
    )
    before = rasa_speedups.applied_events(tracker)
    assert before == RASAS(tracker) and len(before) == 4
    tracker.events.append(ActiveLoop("other_form"))  # now "other_form" is a loop, from the start
    after = rasa_speedups.applied_events(tracker)
    assert after == RASAS(tracker)
    assert len(after) == 4  # the second execution was undone (SlotSet kept, ActiveLoop added)
