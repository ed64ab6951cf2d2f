"""Where browser tests put their screenshots: test-artifacts/ (ignored by git), or the
documentation's own images under docs/ when ``TRACER_UPDATE_SCREENSHOTS=1`` is set — so that
``make test`` leaves the checkout as it found it."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def screenshot_path(name: str) -> Path:
    """The path to write the screenshot ``name`` (``report.png``) to; its folder exists."""
    folder = ROOT / (
        "docs" if os.environ.get("TRACER_UPDATE_SCREENSHOTS") == "1" else "test-artifacts"
    )
    folder.mkdir(exist_ok=True)
    return folder / name
