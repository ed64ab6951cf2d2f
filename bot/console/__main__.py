"""``python -m bot.console [--port N]``: serve the officer console on localhost."""

from __future__ import annotations

import argparse
import logging

from bot.config import get_settings
from bot.console.app import create_app
from bot.console.config import load_console_config
from bot.logging_filters import install_log_redaction


def main() -> None:
    """Parse the port, build the app and serve it on 127.0.0.1 (one worker)."""
    parser = argparse.ArgumentParser(description="Tracer officer console")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    install_log_redaction(logging.getLogger())
    settings = get_settings()  # first: creates var/tracer.env on a fresh developer checkout
    config = load_console_config()
    app = create_app(settings, config)
    app.run(
        host=args.host,
        port=args.port or config.port,
        access_log=False,
        workers=1,
        auto_reload=False,
    )


if __name__ == "__main__":
    main()
