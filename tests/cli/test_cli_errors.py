"""The CLI's one error boundary: a one-line message and a documented exit code, no traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli.main import EXIT_CODES
from tests.outreach.helpers import outreach_env, run_cli

ROOT = Path(__file__).resolve().parents[2]


def _unmigrated(tmp_path: Path) -> dict[str, str]:
    env = outreach_env(tmp_path)
    env["TRACER_DATABASE_URL"] = f"sqlite:///{tmp_path / 'never-created.db'}"
    return env


@pytest.mark.parametrize(
    "args",
    [
        ("programmes", "list"),
        ("status",),
        ("followups", "plan"),
        ("report", "--programme", "x", "--out", "never-written.html"),
        ("purge", "--dry-run"),
        ("export", "--programme", "x", "--format", "csv", "--out", "never-written"),
    ],
)
def test_a_database_that_was_never_migrated_is_exit_4_with_the_fix(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    result = run_cli(_unmigrated(tmp_path), *args)
    assert result.exit_code == 4, result.output
    assert "tracer db upgrade" in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [("programmes", "list"), ("status",), ("followups", "plan")])
def test_a_bad_setting_is_exit_3_and_names_the_setting(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    env = outreach_env(tmp_path, TRACER_QUIET_HOURS="21")
    result = run_cli(env, *args)
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("Error: configuration:")
    assert "TRACER_QUIET_HOURS must be two hours" in result.stderr
    assert "Traceback" not in result.output


def test_a_user_error_is_exit_1_and_a_usage_error_exit_2(tmp_path: Path) -> None:
    env = outreach_env(tmp_path)
    bad_clock = run_cli(env, "followups", "plan", "--now", "next tuesday")
    assert bad_clock.exit_code == 1 and "--now must be an ISO date" in bad_clock.stderr
    unknown = run_cli(env, "report", "--programme", "nope", "--out", str(tmp_path / "r.html"))
    assert unknown.exit_code == 1 and "unknown programme 'nope'" in unknown.stderr
    usage = run_cli(env, "status", "--no-such-option")
    assert usage.exit_code == 2 and "No such option" in usage.stderr


def test_every_exit_code_is_in_the_help_and_in_the_docs(tmp_path: Path) -> None:
    help_text = run_cli(outreach_env(tmp_path), "--help").output
    docs = (ROOT / "docs" / "cli.md").read_text()
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", docs, flags=re.M)}
    assert documented == {code for code, _ in EXIT_CODES}
    for code, meaning in EXIT_CODES:
        assert f"{code}  {meaning}" in help_text
