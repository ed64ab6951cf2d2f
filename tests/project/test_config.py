"""Settings come from the environment and env files; secrets are never invented in production."""

from __future__ import annotations

import pytest

from bot.config import PROJECT_ROOT, ConfigError, load_settings


def test_env_file_outside_var_is_never_invented(tmp_path):
    with pytest.raises(ConfigError, match="TRACER_SECRET_KEY"):
        load_settings({"TRACER_ENV_FILE": str(tmp_path / "prod.env")})
    assert not (tmp_path / "prod.env").exists()


def test_a_checkout_gets_local_secrets_in_var(tmp_path):
    env_file = PROJECT_ROOT / "var" / "unit-test-generated.env"
    env_file.unlink(missing_ok=True)
    try:
        first = load_settings({"TRACER_ENV_FILE": str(env_file)})
        second = load_settings({"TRACER_ENV_FILE": str(env_file)})
        assert first.secret_key == second.secret_key and len(first.secret_key) > 30
        assert oct(env_file.stat().st_mode)[-3:] == "600"
    finally:
        env_file.unlink(missing_ok=True)


def test_environment_overrides_the_file_and_bad_numbers_are_named(tmp_path):
    env_file = tmp_path / "x.env"
    env_file.write_text("TRACER_SECRET_KEY=a\nTRACER_ENCRYPTION_KEY=b\nTRACER_K_ANONYMITY=3\n")
    settings = load_settings({"TRACER_ENV_FILE": str(env_file), "TRACER_K_ANONYMITY": "7"})
    assert settings.k_anonymity == 7 and settings.secret_key == "a"
    with pytest.raises(ConfigError, match="TRACER_FOLLOWUP_MONTHS"):
        load_settings({"TRACER_ENV_FILE": str(env_file), "TRACER_FOLLOWUP_MONTHS": "six"})
