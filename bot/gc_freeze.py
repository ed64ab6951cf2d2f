"""Short garbage-collector pauses in the long-running servers (Rasa and the action server).

A full (generation-2) collection walks every object a process holds. In the Rasa process
that is TensorFlow, the trained model and Rasa itself: each full pass took 210–250 ms
(measured with ``gc.callbacks`` along baselines at one chat), a pause that lands on whichever
message is being handled, a few times a minute under load. In the action server (questionnaire,
ISCO-08 index, answer readers) a full pass took 40–55 ms.

What is alive once a server is ready stays alive for its whole life. ``gc.freeze()`` moves
those objects to a permanent generation that collections skip, so later full passes walk only
what was created since (Instagram's remedy for the same pauses; see the ``gc`` docs). Nothing
is leaked that was not already kept: frozen objects are still freed when their last reference
goes, only cycles among them are no longer looked for.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time

log = logging.getLogger(__name__)
_frozen = False


def freeze_objects_alive_now(moment: str) -> None:
    """Collect once, then exempt every object still alive from later collections (once per
    process; ``moment`` names the point reached, for the log)."""
    global _frozen
    if _frozen:
        return
    _frozen = True
    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    log.info(
        "%d objects alive after %s exempted from garbage collection (%.0f ms)",
        gc.get_freeze_count(),
        moment,
        (time.perf_counter() - started) * 1000,
    )


def freeze_when_loop_is_free(moment: str) -> bool:
    """Freeze at the running event loop's next turn (Rasa creates its tracker store, then
    loads the model without yielding: the next turn comes once the model is loaded).
    False when no loop is running (a script or a test building the store)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return False
    loop.call_soon(freeze_objects_alive_now, moment)
    return True
