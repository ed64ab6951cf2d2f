"""Run the rasa-sdk action server for ``actions/`` on a chosen host (localhost by default)."""

from __future__ import annotations

import argparse
import logging
import os

from rasa_sdk.endpoint import create_app

from bot.gc_freeze import freeze_objects_alive_now
from bot.logging_filters import install_log_redaction

log = logging.getLogger(__name__)


def main() -> None:
    """Parse ``--host``/``--port`` and serve the actions package."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "127.0.0.1"))
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("TRACER_ACTIONS_PORT", 5055))
    )
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(
        level=os.environ.get("TRACER_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    install_log_redaction(logging.getLogger())
    app = create_app("actions", cors_origins="")
    warm_up()
    app.run(host=args.host, port=args.port, workers=args.workers, access_log=False, motd=False)


def warm_up() -> None:
    """Build the survey engine (questionnaire, answer readers, ISCO-08 index) before the first
    message instead of during it, then exempt what it holds from garbage collection."""
    from actions.runtime import survey

    try:
        survey()
    except Exception as error:  # the first action call meets it again and answers politely
        log.warning("survey engine not built at start-up: %s: %s", type(error).__name__, error)
        return
    freeze_objects_alive_now("action server start-up")


if __name__ == "__main__":
    main()
