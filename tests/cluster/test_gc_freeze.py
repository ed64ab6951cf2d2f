"""Both servers exempt what they hold at start-up from garbage collection (``bot/gc_freeze.py``):
full collections in the Rasa process walked TensorFlow and the model, 200–250 ms per pause."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.stack import ROOT, make_env, python_executable

RASA_START_UP = """
import asyncio, gc
from bot.storage.rasa_tracker_store import TracerSQLTrackerStore

async def start() -> None:
    TracerSQLTrackerStore(url={url!r})  # as Rasa does, then it loads the model
    assert gc.get_freeze_count() == 0, "froze before the model was loaded"
    await asyncio.sleep(0)  # the loop's next turn
    print(gc.get_freeze_count())

asyncio.run(start())
"""

ACTION_SERVER_START_UP = """
import gc
from actions.runtime import survey
from bot.action_server import warm_up

warm_up()
print(survey.cache_info().currsize, gc.get_freeze_count())
"""


def _run(code: str, tmp_path: Path) -> str:
    env = make_env(tmp_path, f"sqlite:///{tmp_path / 'tracer.db'}", 5055)
    done = subprocess.run(
        [python_executable(), "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_rasa_freezes_what_it_holds_once_its_start_up_yields(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    assert int(_run(RASA_START_UP.format(url=url), tmp_path)) > 10_000


def test_the_action_server_builds_the_survey_engine_then_freezes(tmp_path: Path) -> None:
    cached, frozen = _run(ACTION_SERVER_START_UP, tmp_path).split()
    assert cached == "1"  # the first trainee's message does not build it
    assert int(frozen) > 10_000


def test_a_store_built_outside_a_server_freezes_nothing(tmp_path: Path) -> None:
    code = "import gc\nfrom bot.storage.rasa_tracker_store import TracerSQLTrackerStore\n"
    code += f"TracerSQLTrackerStore(url='sqlite:///{tmp_path}/t.db')\nprint(gc.get_freeze_count())"
    assert _run(code, tmp_path) == "0"
