"""The deployment files agree with each other and with the code that reads them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
ENV = COMPOSE["x-tracer-env"]
DOCKERFILE = (DEPLOY / "Dockerfile").read_text()
ENDPOINTS_TEXT = (DEPLOY / "endpoints.cluster.yml").read_text()
CLUSTER_SH = (DEPLOY / "cluster.sh").read_text()


def _config_variables() -> set[str]:
    """Every variable name bot/config.py reads."""
    text = (ROOT / "bot" / "config.py").read_text()
    return set(re.findall(r'get\("([A-Z_]+)"', text)) | {"TRACER_ENV_FILE"}


def _endpoint_variables() -> set[str]:
    """Variables of the cluster endpoints plus those of the base endpoints.yml."""
    base = (ROOT / "endpoints.yml").read_text()
    return set(re.findall(r"\$\{([A-Z_]+)\}", ENDPOINTS_TEXT + base))


def test_compose_services_match_the_topology() -> None:
    assert {"postgres", "redis", "migrate", "actions-1", "rasa-1", "rasa-2", "nginx"} <= set(
        SERVICES
    )
    assert SERVICES["migrate"]["command"] == ["tracer", "db", "upgrade"]
    rasa_services = sorted(name for name in SERVICES if name.startswith("rasa-"))
    nginx_command = SERVICES["nginx"]["command"]
    for name in rasa_services:
        assert f"{name}:5005" in nginx_command, f"{name} is not behind nginx"
        assert SERVICES[name]["command"] == ["sh", "deploy/rasa-entrypoint.sh"]
    entrypoint = (DEPLOY / "rasa-entrypoint.sh").read_text()
    assert "--port 5005" in entrypoint and "deploy/endpoints.cluster.yml" in entrypoint
    assert '--auth-token "$TRACER_RASA_TOKEN"' in entrypoint


def test_compose_env_uses_the_names_the_code_reads() -> None:
    known = (
        _config_variables()
        | _endpoint_variables()
        | {
            "TELEGRAM_MODE",
            "TICKET_LOCK_LIFETIME",
            "SANIC_BACKLOG",  # read by Rasa (rasa/core/run.py)
            "TRACER_LOG_LEVEL",
        }
    )
    unknown = set(ENV) - known
    assert not unknown, f"compose sets variables nothing reads: {unknown}"
    required = {
        "TRACER_DATABASE_URL",
        "TRACER_SECRET_KEY",
        "TRACER_ENCRYPTION_KEY",
        "TRACER_RASA_TOKEN",
        "TRACER_ACTION_SERVER_URL",
        "TRACER_LOCK_STORE",
    }
    assert required | _endpoint_variables() <= set(ENV)
    assert ENV["TRACER_LOCK_STORE"] == "redis"
    assert ENV["TRACER_DATABASE_URL"].startswith("postgresql://")
    assert ENV["TELEGRAM_MODE"] == "webhook"


def test_local_cluster_env_sets_the_same_names() -> None:
    written = set(re.findall(r"^(TRACER_[A-Z_]+)=", CLUSTER_SH, flags=re.M))
    assert _endpoint_variables() <= written
    assert {
        "TRACER_DATABASE_URL",
        "TRACER_SECRET_KEY",
        "TRACER_ENCRYPTION_KEY",
        "TRACER_RASA_TOKEN",
        "TRACER_ACTION_SERVER_URL",
        "TRACER_LOCK_STORE",
    } <= written
    assert written <= _config_variables() | _endpoint_variables()


def test_ports_agree() -> None:
    exposed = set(re.findall(r"^EXPOSE (.+)$", DOCKERFILE, flags=re.M)[0].split())
    assert exposed == {"5005", "5055"}
    assert ENV["TRACER_ACTION_SERVER_URL"].endswith(":5055/webhook")
    assert "--port 5055" in " ".join(SERVICES["actions-1"]["command"])
    published = SERVICES["nginx"]["ports"][0].split(":")
    assert published[0] == published[1] == "8080"
    assert ENV["TRACER_RASA_URL"].endswith(":8081")  # nginx's internal listener
    assert SERVICES["nginx"]["environment"]["NGINX_INTERNAL_LISTEN"] == "8081"
    assert " 8080 " in SERVICES["nginx"]["command"]


TEST_TOOLS = ("pytest", "pytest-xdist", "hypothesis", "playwright", "ruff", "mypy", "pip-tools")


def _pins(name: str) -> dict[str, str]:
    """``{package: version}`` of a lock file in requirements/ (names normalised as pip does)."""
    text = (ROOT / "requirements" / name).read_text()
    found = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", text, flags=re.M)
    return {re.sub(r"[-_.]+", "-", package).lower(): version for package, version in found}


def test_dockerfile_installs_the_runtime_lock_on_python_310() -> None:
    assert re.search(r"^FROM python:3\.10[-.\w]*$", DOCKERFILE, flags=re.M)
    assert "pip install -r requirements/runtime.txt" in DOCKERFILE
    installs = re.findall(r"pip install ([^\n]*)", DOCKERFILE)
    assert installs == ["-r requirements/runtime.txt", "--no-deps -e . \\"], installs
    runtime = _pins("runtime.txt")
    assert runtime["rasa"] == "3.6.21"
    for driver in ("psycopg2-binary", "redis"):
        assert driver in runtime, f"{driver} missing: PostgreSQL/Redis would not work"


def test_the_image_ships_no_test_tools_and_the_tests_run_what_ships() -> None:
    runtime, dev = _pins("runtime.txt"), _pins("dev.txt")
    assert not [tool for tool in TEST_TOOLS if tool in runtime]
    assert all(tool in dev for tool in TEST_TOOLS)
    moved = {name: (version, dev.get(name)) for name, version in runtime.items()}
    assert {name: pair for name, pair in moved.items() if pair[0] != pair[1]} == {}
    assert "requirements/dev.txt" in (ROOT / "scripts" / "setup.sh").read_text()


def test_the_locks_pin_what_pyproject_declares() -> None:
    """Editing pyproject.toml's dependencies without ``make lock`` fails here."""
    import tomli
    from packaging.requirements import Requirement

    project = tomli.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, dev = _pins("runtime.txt"), _pins("dev.txt")
    declared = [(Requirement(r), runtime) for r in project["dependencies"]]
    declared += [(Requirement(r), dev) for r in project["optional-dependencies"]["dev"]]
    for requirement, lock in declared:
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in lock, f"{name} is declared but not locked: run 'make lock'"
        assert requirement.specifier.contains(lock[name]), f"{name}=={lock[name]}: run 'make lock'"


def test_endpoints_use_the_atomic_redis_lock_store() -> None:
    endpoints = yaml.safe_load(re.sub(r"\$\{([A-Z_]+)\}", r"\1", ENDPOINTS_TEXT))
    lock = endpoints["lock_store"]
    assert lock["type"] == "bot.storage.redis_lock_store.AtomicRedisLockStore"
    assert {"url", "port", "db", "key_prefix"} <= set(lock)
    assert str(lock["key_prefix"]).isalnum()
    base = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    assert endpoints["tracker_store"] == base["tracker_store"]


def _render(tmp_path: Path, *extra: str) -> str:
    out = tmp_path / "nginx.conf"
    subprocess.run(
        [
            "sh",
            str(DEPLOY / "render-nginx.sh"),
            str(DEPLOY / "nginx.conf.template"),
            str(out),
            "127.0.0.1:8080",
            str(tmp_path),
            str(tmp_path / "error.log"),
            "127.0.0.1:9001,127.0.0.1:9002",
            *extra,
        ],
        check=True,
    )
    return out.read_text()


def test_nginx_config_balances_rest_and_pins_socketio(tmp_path: Path) -> None:
    text = _render(tmp_path)
    assert "@" not in text.replace("$", "")
    rasa_block = re.search(r"upstream tracer_rasa \{(.*?)\}", text, flags=re.S).group(1)
    sticky = re.search(r"upstream tracer_rasa_sticky \{(.*?)\}", text, flags=re.S).group(1)
    assert "ip_hash" in sticky and "ip_hash" not in rasa_block
    assert rasa_block.count("server 127.0.0.1:900") == 2
    assert "tracer_actions" not in text
    with_actions = _render(tmp_path, "127.0.0.1:8081", "127.0.0.1:9101,127.0.0.1:9102")
    assert "listen 127.0.0.1:8081;" in with_actions
    assert with_actions.count("server 127.0.0.1:910") == 2


@pytest.mark.skipif(
    shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
    reason="nginx is not installed",
)
def test_rendered_nginx_config_is_valid(tmp_path: Path) -> None:
    _render(tmp_path, "127.0.0.1:8081", "127.0.0.1:9101")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    done = subprocess.run(
        [
            nginx,
            "-t",
            "-p",
            str(tmp_path),
            "-c",
            str(tmp_path / "nginx.conf"),
            "-e",
            str(tmp_path / "error.log"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["start", "--rasa", "0"], "--rasa must be"),
        (["start", "--port", "80"], "--port must be"),
        (["start", "--bogus"], "unknown option"),
        (["status", "--dir", "/nonexistent/tracer-cluster"], "no cluster"),
    ],
)
def test_cluster_script_rejects_bad_use_clearly(args: list[str], message: str) -> None:
    done = subprocess.run(
        ["bash", str(DEPLOY / "cluster.sh"), *args], capture_output=True, text=True, timeout=30
    )
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_tracer_cluster_wraps_the_script() -> None:
    from click.testing import CliRunner

    from bot.cli.main import cli

    result = CliRunner().invoke(cli, ["cluster", "status", "--dir", "/nonexistent/tracer-cl"])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    bad = CliRunner().invoke(cli, ["cluster", "start", "--rasa", "0"])
    assert bad.exit_code == 2 and "--rasa" in bad.output


def _server_blocks(text: str) -> dict[str, str]:
    """listen address → body of each ``server`` block of a rendered config."""
    blocks = {}
    for match in re.finditer(r"server \{\n\s+listen ([^;]+);(.*?)\n    \}", text, flags=re.S):
        blocks[match.group(1)] = match.group(2)
    return blocks


def test_public_nginx_server_publishes_only_trainee_paths(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "NGINX_INTERNAL_LISTEN": "127.0.0.1:8084"}
    out = tmp_path / "nginx.conf"
    subprocess.run(
        [
            "sh",
            str(DEPLOY / "render-nginx.sh"),
            str(DEPLOY / "nginx.conf.template"),
            str(out),
            "127.0.0.1:8080",
            str(tmp_path),
            str(tmp_path / "error.log"),
            "127.0.0.1:9001",
        ],
        check=True,
        env=env,
    )
    blocks = _server_blocks(out.read_text())
    public = blocks["127.0.0.1:8080"]
    proxied = set(re.findall(r"location (\S+) \{\s*proxy_pass", public))
    assert proxied == {"/socket.io/", "/webchat/", "/webhooks/telegram/"}
    assert re.search(r"location / \{\s*return 404;", public)
    assert "location / {\n            proxy_pass" in blocks["127.0.0.1:8084"]
    without_internal = _server_blocks(_render(tmp_path))
    assert set(without_internal) == {"127.0.0.1:8080"}


def test_rasa_image_refuses_to_start_without_a_token(tmp_path: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "TRACER_RASA_TOKEN"}
    done = subprocess.run(
        ["sh", str(DEPLOY / "rasa-entrypoint.sh")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=30,
    )
    assert done.returncode == 64
    assert "TRACER_RASA_TOKEN" in done.stderr
