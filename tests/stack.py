"""Start a real Tracer stack (action server + Rasa server) on free local ports for tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import requests

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


# Start-up timeouts scale on a loaded machine (e.g. benchmarks beside other jobs).
SLOW = float(os.environ.get("TRACER_STARTUP_SCALE", "1"))


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def trained_model() -> Path:
    """The model for the current data (trained once, cached by a hash of its inputs)."""
    out = subprocess.run(
        ["bash", str(ROOT / "scripts" / "train.sh")],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return ROOT / out.stdout.strip().splitlines()[-1]


def wait_until(
    check,
    timeout: float,
    what: str,  # type: ignore[no-untyped-def]
    process: subprocess.Popen | None = None,
    log: Path | None = None,
) -> None:
    """Poll ``check`` until it returns truthy; fail after ``timeout`` s or if ``process`` dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{tail}")
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{what} did not come up within {timeout:.0f} s")


@dataclass
class Stack:
    """A running action server and Rasa server sharing one database."""

    workdir: Path
    model: Path
    env: dict[str, str]
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    token: str = "test-token"
    credentials: Path | None = None
    rasa_args: list[str] = field(default_factory=list)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        """Base URL of the Rasa server."""
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def database_url(self) -> str:
        """The database both servers use."""
        return self.env["TRACER_DATABASE_URL"]

    def _log(self, name: str) -> Any:
        return open(self.workdir / f"{name}.log", "ab")

    def start_actions(self) -> None:
        """Start (or restart) the action server."""
        self.processes["actions"] = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "bot.action_server", "--port", str(self.actions_port)],
            cwd=ROOT,
            env=self.env,
            stdout=self._log("actions"),
            stderr=subprocess.STDOUT,
        )
        wait_until(
            lambda: requests.get(f"http://127.0.0.1:{self.actions_port}/health", timeout=2).ok,
            90 * SLOW,
            "action server",
            self.processes["actions"],
            self.workdir / "actions.log",
        )

    def start_rasa(self) -> None:
        """Start (or restart) the Rasa server with REST and socket.io channels."""
        credentials = self.credentials or ROOT / "credentials.yml"
        self.processes["rasa"] = subprocess.Popen(
            [
                str(VENV_BIN / "rasa"),
                "run",
                "--model",
                str(self.model),
                "--endpoints",
                str(ROOT / "endpoints.yml"),
                "--credentials",
                str(credentials),
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.rasa_port),
                "--enable-api",
                "--auth-token",
                self.token,
                "--cors",
                "*",
                *self.rasa_args,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log("rasa"),
            stderr=subprocess.STDOUT,
        )
        wait_until(
            lambda: requests.get(f"{self.rasa_url}/status?token={self.token}", timeout=2).ok,
            180 * SLOW,
            "Rasa server",
            self.processes["rasa"],
            self.workdir / "rasa.log",
        )

    def stop(self, name: str, kill: bool = False) -> None:
        """Stop one process (SIGKILL when ``kill``)."""
        process = self.processes.pop(name, None)
        if process is None:
            return
        process.kill() if kill else process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop_all(self) -> None:
        """Stop every process."""
        for name in list(self.processes):
            self.stop(name)

    # -- talking to the bot ------------------------------------------------------------------
    def say(self, sender: str, message: str, metadata: dict | None = None) -> list[dict]:
        """Send one message over the REST channel; the bot's replies."""
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
        response.raise_for_status()
        return response.json()

    def trigger(
        self, sender: str, intent: str, entities: dict | None = None, channel: str = "latest"
    ) -> list[dict]:
        """Inject an intent as the scheduler does (``trigger_intent``)."""
        response = requests.post(
            f"{self.rasa_url}/conversations/{sender}/trigger_intent",
            params={"token": self.token, "output_channel": channel},
            json={"name": intent, "entities": entities or {}},
            timeout=60,
        )
        response.raise_for_status()
        return response.json().get("messages", [])


def make_env(
    workdir: Path, database_url: str, actions_port: int, extra: dict | None = None
) -> dict:
    """Environment for a test stack: its own database and secrets, nothing from var/."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="3",
        PYTHONPATH=str(ROOT),
        TRACER_ENV_FILE=str(workdir / "tracer.env"),
        TRACER_DATABASE_URL=database_url,
        TRACER_SECRET_KEY="test-secret-key",
        TRACER_ENCRYPTION_KEY="M2R0ZXN0a2V5LXRlc3RrZXktdGVzdGtleS10ZXN0a2U=",
        TRACER_ACTION_SERVER_URL=f"http://127.0.0.1:{actions_port}/webhook",
        TRACER_LOCK_STORE="in_memory",
        TRACER_REST_ENABLED="1",  # tests talk REST on loopback (bot/channels/rest_guarded.py)
        SANIC_HOST="127.0.0.1",
        TRACER_LOG_LEVEL="INFO",
    )
    env.update(extra or {})
    return env


def python_executable() -> str:
    """The venv's Python (tests may run under it already)."""
    return str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable


@contextmanager
def running_stack(
    workdir: Path,
    model: Path,
    *,
    extra_env: dict | None = None,
    credentials: Path | None = None,
    rasa_args: tuple[str, ...] = (),
    database_url: str | None = None,
    rasa_port: int | None = None,
) -> Iterator[Stack]:
    """A started stack on a migrated database seeded with the demo programme; stopped after."""
    from bot.devseed import seed_demo_programme
    from bot.storage.migrate import upgrade_database

    database_url = database_url or f"sqlite:///{workdir / 'tracer.db'}"
    upgrade_database(database_url)
    seed_demo_programme(database_url)
    actions_port = free_port()
    stack = Stack(
        workdir=workdir,
        model=model,
        env=make_env(workdir, database_url, actions_port, extra_env),
        actions_port=actions_port,
        credentials=credentials,
        rasa_args=list(rasa_args),
        **({"rasa_port": rasa_port} if rasa_port else {}),
    )
    try:
        stack.start_actions()
        stack.start_rasa()
        yield stack
    finally:
        stack.stop_all()
