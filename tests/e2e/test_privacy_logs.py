"""A conversation logged at DEBUG leaves no conversation id or typed answer in any log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.stack import running_stack

pytestmark = pytest.mark.e2e

CHAT_ID = "731945286"
SECRET_ANSWERS = ["1987", "Zanzibar-welder-Ouedraogo"]


@pytest.fixture(scope="module")
def debug_stack(tmp_path_factory: pytest.TempPathFactory, model_path: Path):
    with running_stack(
        tmp_path_factory.mktemp("debugstack"),
        model_path,
        extra_env={"TRACER_LOG_LEVEL": "DEBUG"},
        rasa_args=("--debug",),
    ) as stack:
        yield stack


def test_debug_logs_hold_no_chat_id_and_no_typed_answer(debug_stack):
    for text in [
        "hello",
        "yes",
        "English",
        '/inform{"choice":"demo"}',
        '/inform{"choice":"male"}',
        SECRET_ANSWERS[0],
        '/inform{"choice":"tvet"}',
        '/inform{"choice":"unemployed_looking"}',
        "yes",
        '/inform{"choice":"get_job"}',
        '/inform{"choice":"get_job"}',
        "3 months",
        "/skip",
        SECRET_ANSWERS[1],
    ]:
        debug_stack.say(CHAT_ID, text)
    debug_stack.stop_all()
    logs = {
        name: (debug_stack.workdir / f"{name}.log").read_text(errors="replace")
        for name in ("rasa", "actions")
    }
    assert "DEBUG" in logs["rasa"], "the Rasa server did not log at DEBUG"
    for name, text in logs.items():
        # whole tokens only: "1987" inside SQLAlchemy's "[cached since 0.1987s ago]" is a timing
        assert not _token_in(CHAT_ID, text), f"chat id in {name}.log"
        for answer in SECRET_ANSWERS:
            assert not _token_in(answer, text), f"typed answer {answer!r} in {name}.log"


def _token_in(needle: str, text: str) -> bool:
    """``needle`` appears in ``text`` as a token of its own (not inside a longer number)."""
    return re.search(rf"(?<![\w.]){re.escape(needle)}(?![\w]|\.\d)", text) is not None


def test_token_check_sees_a_leak_but_not_a_timing():
    assert _token_in("1987", "born in 1987, welder")
    assert _token_in("1987", '{"text": "1987"}')
    assert not _token_in("1987", "[cached since 0.1987s ago]")
    assert not _token_in("731945286", "id 17319452861")
