"""``tracer cluster``: start, stop and inspect the local production topology (deploy/cluster.sh)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import click

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "cluster.sh"


def _run(*args: str) -> None:
    """Run deploy/cluster.sh; its exit code becomes ours, without a traceback."""
    if not SCRIPT.exists():
        raise click.ClickException(f"{SCRIPT} is missing")
    code = subprocess.run(["bash", str(SCRIPT), *args], check=False).returncode
    if code != 0:
        raise click.exceptions.Exit(code)


def _dir_args(run_dir: str | None) -> list[str]:
    return ["--dir", run_dir] if run_dir else []


@click.group()
def cluster() -> None:
    """PostgreSQL + Redis + N Rasa + M action servers behind nginx, on this machine."""


@cluster.command("start")
@click.option("--rasa", "rasa_count", type=click.IntRange(1, 20), default=2, show_default=True)
@click.option(
    "--actions", "actions_count", type=click.IntRange(1, 20), default=1, show_default=True
)
@click.option("--dir", "run_dir", default=None, help="Run dir (default var/cluster).")
@click.option("--port", type=click.IntRange(1024, 65400), default=8080, show_default=True)
def start(rasa_count: int, actions_count: int, run_dir: str | None, port: int) -> None:
    """Install what is missing, migrate the database, start everything; print the URL."""
    _run(
        "start",
        "--rasa",
        str(rasa_count),
        "--actions",
        str(actions_count),
        "--port",
        str(port),
        *_dir_args(run_dir),
    )


@cluster.command("status")
@click.option("--dir", "run_dir", default=None, help="Run dir (default var/cluster).")
def status(run_dir: str | None) -> None:
    """Every process of the cluster, running or down (exit 1 when one is down)."""
    _run("status", *_dir_args(run_dir))


@cluster.command("stop")
@click.option("--dir", "run_dir", default=None, help="Run dir (default var/cluster).")
def stop(run_dir: str | None) -> None:
    """Stop every process; the data stays in the run dir."""
    _run("stop", *_dir_args(run_dir))
