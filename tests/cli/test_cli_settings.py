"""Commands invoked in-process one after another (a script, the tests) each read the
environment they are invoked with: the first one's database and keys are not reused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.common import CliContext
from bot.config import get_settings

KEY_A = "M2R0ZXN0a2V5LXRlc3RrZXktdGVzdGtleS10ZXN0a2U="
KEY_B = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="


def test_a_command_reads_its_own_environment_after_another_ran(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACER_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.setenv("TRACER_SECRET_KEY", "first-secret")
    monkeypatch.setenv("TRACER_ENCRYPTION_KEY", KEY_A)
    monkeypatch.setenv("TRACER_DATABASE_URL", f"sqlite:///{tmp_path / 'first.db'}")
    assert CliContext().settings.encryption_key == KEY_A
    get_settings()  # some in-process code cached the first environment's settings

    monkeypatch.setenv("TRACER_SECRET_KEY", "second-secret")
    monkeypatch.setenv("TRACER_ENCRYPTION_KEY", KEY_B)
    second = CliContext(database_url=f"sqlite:///{tmp_path / 'second.db'}").settings
    assert (second.encryption_key, second.secret_key) == (KEY_B, "second-secret")
    assert second.database_url.endswith("second.db")
