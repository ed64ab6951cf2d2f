"""Start and stop a local Tracer cluster through ``deploy/cluster.sh`` (tests and benchmarks)."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
CLUSTER_SH = ROOT / "deploy" / "cluster.sh"
# deploy/cluster.sh uses ports base .. base + 40 (see its header).
PORT_SPAN = 41


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port_block(span: int = PORT_SPAN) -> int:
    """A base port such that base .. base + span - 1 are all free right now.

    The block lies below Linux's ephemeral range (32768 and up), from which the kernel picks
    the ports of outgoing connections and of ``free_port()`` (the crash tests run beside the
    cluster tests): neither can take a port of the block before the cluster binds it.
    """
    for _ in range(200):
        base = random.randrange(20000, 32768 - span)
        if all(_port_free(base + offset) for offset in range(span)):
            return base
    raise RuntimeError("no free block of local ports")


@dataclass
class Cluster:
    """A running cluster: its public URL, run dir and settings."""

    rundir: Path
    url: str
    env: dict[str, str]

    @property
    def settings(self) -> Settings:
        """Tracer settings of the cluster (database URL and secrets)."""
        return load_settings(self.env)

    def pid(self, name: str) -> int:
        """The pid of one process (``rasa-1``, ``actions-1``, ``nginx``)."""
        return int((self.rundir / "pids" / f"{name}.pid").read_text().strip())

    def kill(self, name: str) -> None:
        """SIGKILL one process, as a crash would."""
        os.kill(self.pid(name), signal.SIGKILL)

    def status(self) -> subprocess.CompletedProcess:
        """``deploy/cluster.sh status`` (exit 0 when everything runs)."""
        return _run("status", "--dir", str(self.rundir))

    def log_tail(self, name: str, lines: int = 30) -> str:
        """The last lines of one process's log (``nginx``, ``rasa-1``…), for failure messages."""
        path = self.rundir / ("nginx/error.log" if name == "nginx" else f"logs/{name}.log")
        if not path.exists():
            return f"({path.name}: no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Stop every process of the cluster."""
        _run("stop", "--dir", str(self.rundir))


def _run(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
    return subprocess.run(
        ["bash", str(CLUSTER_SH), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a generated env file."""
    values = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def start_cluster(
    rundir: Path, rasa: int = 2, actions: int = 1, extra_env: dict[str, str] | None = None
) -> Cluster:
    """``deploy/cluster.sh start`` on a free port block; raises with the output on failure."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACER_")}
    env.update(extra_env or {})
    base = free_port_block()
    done = _run(
        "start",
        "--rasa",
        str(rasa),
        "--actions",
        str(actions),
        "--dir",
        str(rundir),
        "--port",
        str(base),
        env=env,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"cluster start failed:\n{done.stdout}\n{done.stderr}")
    cluster_env = {**env, **read_env_file(rundir / "cluster.env")}
    cluster_env["TRACER_ENV_FILE"] = str(rundir / "cluster.env")
    return Cluster(rundir=rundir, url=done.stdout.strip().splitlines()[-1], env=cluster_env)
