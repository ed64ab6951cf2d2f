"""``scripts/check-exposure.sh``: Rasa's API leaves loopback only with an explicit token."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check-exposure.sh"
STRONG = "k7Qm2vX9pL4sT8wZ1cR6yB3nH5jF0dGa"


def _check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    base["TRACER_DEV_ENV_FILE"] = str(tmp_path / "tracer.env")
    return subprocess.run(
        ["bash", str(SCRIPT)], env={**base, **env}, capture_output=True, text=True, timeout=10
    )


@pytest.mark.parametrize("bind", ["", "127.0.0.1", "127.0.1.1", "localhost", "::1"])
def test_loopback_needs_no_token(tmp_path, bind):
    env = {"TRACER_BIND": bind} if bind else {}
    assert _check(tmp_path, **env).returncode == 0


@pytest.mark.parametrize("bind", ["0.0.0.0", "192.0.2.10", "::"])
def test_public_bind_without_token_is_refused(tmp_path, bind):
    done = _check(tmp_path, TRACER_BIND=bind)
    assert done.returncode == 1
    assert f"refusing to serve Rasa's API on TRACER_BIND={bind}" in done.stderr
    assert "TRACER_RASA_TOKEN is not set" in done.stderr


def test_public_bind_with_explicit_token_is_allowed(tmp_path):
    assert _check(tmp_path, TRACER_BIND="0.0.0.0", TRACER_RASA_TOKEN=STRONG).returncode == 0


def test_short_or_generated_dev_token_is_refused(tmp_path):
    short = _check(tmp_path, TRACER_BIND="0.0.0.0", TRACER_RASA_TOKEN="secret")
    assert short.returncode == 1 and "shorter than 16" in short.stderr
    (tmp_path / "tracer.env").write_text(
        f"# Generated on first run. Keep it out of version control.\nTRACER_RASA_TOKEN={STRONG}\n",
        encoding="utf-8",
    )
    dev = _check(tmp_path, TRACER_BIND="0.0.0.0", TRACER_RASA_TOKEN=STRONG)
    assert dev.returncode == 1 and "development token" in dev.stderr
    assert STRONG not in dev.stderr


def test_run_script_checks_exposure_before_anything_else():
    run = (SCRIPT.parent / "run.sh").read_text(encoding="utf-8")
    commands = [line for line in run.splitlines() if line and not line.startswith(("#", "set "))]
    assert commands[1] == "scripts/check-exposure.sh"  # right after cd
    assert '--interface "$bind"' in run


def test_run_script_refuses_to_start_exposed_without_token(tmp_path):
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    done = subprocess.run(
        ["bash", str(SCRIPT.parent / "run.sh")],
        env={**base, "TRACER_BIND": "0.0.0.0"},
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert done.returncode == 1 and "refusing to serve" in done.stderr
