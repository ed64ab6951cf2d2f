"""Start the officer console on a free port against a test database; a form-aware client."""

from __future__ import annotations

import re
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import requests

from tests.stack import ROOT, free_port, make_env, python_executable, wait_until

CONSOLE_SECRET = "console-test-secret"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Console:
    """A running console."""

    url: str
    env: dict[str, str]
    files: Path
    process: subprocess.Popen


def console_env(workdir: Path, database_url: str, extra: dict | None = None) -> dict[str, str]:
    """The stack's test environment plus the console's own settings."""
    env = make_env(workdir, database_url, free_port(), extra)
    env.update(
        TRACER_CONSOLE_SECRET=CONSOLE_SECRET,
        TRACER_CONSOLE_FILES=str(workdir / "console-files"),
        TRACER_CONSOLE_LOCKOUT_MINUTES="15",
        TRACER_CONSOLE_MAX_FAILURES="5",
        PYTHONWARNINGS="ignore",
    )
    return env


@contextmanager
def running_console(workdir: Path, env: dict[str, str]) -> Iterator[Console]:
    """A console process on a free port; stopped afterwards."""
    port = free_port()
    log = workdir / "console.log"
    process = subprocess.Popen(
        [python_executable(), "-m", "bot.console", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: requests.get(f"{url}/login", timeout=2).ok, 90, "console", process, log)
        yield Console(url, env, Path(env["TRACER_CONSOLE_FILES"]), process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


class Client:
    """A browser-like HTTP client: keeps the cookie, sends each form with its CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = requests.Session()

    def get(self, path: str, **kwargs) -> requests.Response:  # type: ignore[no-untyped-def]
        """GET a page (redirects followed)."""
        return self.http.get(self.base + path, timeout=60, **kwargs)

    def csrf(self, path: str = "/login") -> str:
        """The CSRF token of the form on ``path``."""
        match = _CSRF.search(self.get(path).text)
        assert match, f"no form with a CSRF token on {path}"
        return match.group(1)

    def post(
        self,
        path: str,
        data: dict | None = None,
        *,
        form_page: str | None = None,
        token: str | None = None,
        **kwargs,
    ) -> requests.Response:  # type: ignore[no-untyped-def]  # noqa: E501
        """POST ``data`` with the token of ``form_page`` (default: the page itself)."""
        body = dict(data or {})
        body["csrf_token"] = token if token is not None else self.csrf(form_page or path)
        return self.http.post(self.base + path, data=body, timeout=300, **kwargs)

    def login(self, username: str, password: str) -> requests.Response:
        """Sign in through the form."""
        return self.post("/login", {"username": username, "password": password})
