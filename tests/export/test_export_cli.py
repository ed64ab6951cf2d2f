"""``tracer export`` end to end on a fixture database holding real-looking personal data."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import insert, select

from analytics.anonymise.synthetic import SyntheticSpec, generate
from bot.cli.main import cli
from bot.config import get_settings, load_settings
from bot.security.crypto import keyed_hash, new_invite_code
from bot.storage.db import session_scope
from bot.storage.migrate import upgrade_database
from bot.storage.models import Answer, Invitation, Trainee
from bot.storage.repository import TracerStore

SECRET = "fixture-secret-key-0123456789"
ENCRYPTION = "9hT1i8lJ0mS3d8m3q0Xo2xXr2v8m2Q8m2Q8m2Q8m2Q8="
PEOPLE = [
    ("Amina Diallo", "+221771234567", "amina.diallo@example.org", "987654321"),
    ("Kwame Mensah", "+233241112223", "kwame.mensah@example.org", "123450987"),
    ("Fatou Sow", "+221700000111", "fatou.sow@example.net", "555000777"),
]
FREE_TEXT_NAME = "Moussa Keita"


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A migrated SQLite DB: 150 synthetic trainees plus contacts, invites and named free text."""
    workdir = tmp_path_factory.mktemp("exportdb")
    url = f"sqlite:///{workdir / 'tracer.db'}"
    upgrade_database(url)
    ids = generate(url, SyntheticSpec(trainees=150, seed=3))
    store = TracerStore(
        load_settings(
            {
                "TRACER_SECRET_KEY": SECRET,
                "TRACER_ENCRYPTION_KEY": ENCRYPTION,
                "TRACER_DATABASE_URL": url,
                "TRACER_ENV_FILE": str(workdir / "none.env"),
            }
        )
    )
    codes = []
    with session_scope(url) as session:
        for trainee_id, (name, phone, email, chat) in zip(ids, PEOPLE, strict=False):
            store.add_contact(session, trainee_id, "name", name)
            store.add_contact(session, trainee_id, "phone", phone)
            store.add_contact(session, trainee_id, "email", email)
            store.add_contact(session, trainee_id, "telegram", chat)
            code = new_invite_code()
            codes.append(code)
            session.execute(
                insert(Invitation).values(
                    trainee_id=trainee_id, code_hash=keyed_hash(SECRET, code, purpose="invite")
                )
            )
        session.execute(
            Answer.__table__.update()
            .where(Answer.trainee_id == ids[0], Answer.question_code == "bl_desired_occupation")
            .values(
                value_text=f"tailor like my uncle {FREE_TEXT_NAME}",
                raw_text=f"I am {PEOPLE[0][0]}, tailor like my uncle {FREE_TEXT_NAME}",
            )
        )
        pseudo_ids = list(session.execute(select(Trainee.pseudo_id)).scalars())
    identifiers = [value for person in PEOPLE for value in person] + codes + pseudo_ids
    return {"url": url, "identifiers": identifiers, "n": len(ids)}


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRACER_SECRET_KEY", SECRET)
    monkeypatch.setenv("TRACER_ENCRYPTION_KEY", ENCRYPTION)
    monkeypatch.setenv("TRACER_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.delenv("TRACER_EXPORT_SECRET", raising=False)
    monkeypatch.delenv("TRACER_K_ANONYMITY", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run_export(db: dict, out: Path, *extra: str, env: dict | None = None):
    """Invoke ``tracer export`` with CliRunner; the click Result."""
    args = [
        "--database-url",
        db["url"],
        "export",
        "--programme",
        "solar",
        "--max-suppression",
        "0.3",
        "--out",
        str(out),
        *extra,
    ]
    return CliRunner().invoke(cli, args, env=env, catch_exceptions=False)


def file_texts(path: Path) -> list[str]:
    """Every way an output file can be read: raw bytes, and decoded cell values for binaries."""
    texts = [path.read_bytes().decode("latin-1")]
    if path.suffix == ".parquet":
        texts.append(pd.read_parquet(path).astype(str).to_csv())
    if path.suffix == ".dta":
        texts.append(pd.read_stata(path).astype(str).to_csv())
    return texts


def assert_no_identifiers(out: Path, identifiers: list[str]) -> None:
    files = list(out.iterdir())
    assert len(files) == 5
    for path in files:
        for text in file_texts(path):
            leaked = [value for value in identifiers if value in text]
            assert not leaked, f"{path.name} contains {leaked[:3]}"


@pytest.mark.parametrize("fmt", ["csv", "parquet", "dta"])
def test_no_direct_identifier_in_any_output_file(fixture_db: dict, tmp_path: Path, fmt: str):
    result = run_export(fixture_db, tmp_path / "out", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert_no_identifiers(tmp_path / "out", fixture_db["identifiers"] + [FREE_TEXT_NAME])


def test_every_record_is_k_anonymous_on_its_visible_quasi_identifiers(
    fixture_db: dict, tmp_path: Path
):
    result = run_export(fixture_db, tmp_path / "out", "--format", "csv", "--k", "5")
    assert result.exit_code == 0, result.stderr
    data = pd.read_csv(tmp_path / "out" / "tracer_solar_wide.csv", dtype=str)
    risk = json.loads((tmp_path / "out" / "disclosure_risk.json").read_text())
    qis = risk["quasi_identifiers"]
    assert {"sex", "age_band", "region", "cohort_start"} <= set(qis)
    assert len(data) == fixture_db["n"] == risk["records"]
    rows = data[qis].to_dict("records")
    for row in rows:
        shown = {q: v for q, v in row.items() if v != ".suppressed"}
        matches = sum(all(other[q] == v for q, v in shown.items()) for other in rows)
        assert matches >= 5
    assert risk["k_achieved"] >= 5
    suppressed = int((data[qis] == ".suppressed").sum().sum())
    assert suppressed == sum(risk["quasi_identifier_cells_suppressed"].values())
    assert "birth" not in " ".join(data.columns) and "bl_birth_year" not in data.columns
    codebook = json.loads((tmp_path / "out" / "codebook.json").read_text())
    by_name = {v["name"]: v for v in codebook["variables"]}
    assert "5-year age bands" in by_name["age_band"]["recoding"][0]
    assert any(
        "top-coded at the 99th percentile" in r for r in by_name["fu_earnings_f6"]["recoding"]
    )
    assert by_name["sex"]["label"]["fr"] == "Sexe"
    assert (tmp_path / "out" / "codebook.md").read_text().count("| fu_earnings_f6 |") == 1


def test_pseudonyms_are_stable_per_secret_and_differ_across_secrets(
    fixture_db: dict, tmp_path: Path
):
    for name in ("a", "b"):
        assert run_export(fixture_db, tmp_path / name, "--format", "csv").exit_code == 0
    other = run_export(
        fixture_db,
        tmp_path / "c",
        "--format",
        "csv",
        "--secret-env",
        "OTHER_PROJECT_SECRET",
        env={"OTHER_PROJECT_SECRET": "another-project"},
    )
    assert other.exit_code == 0, other.stderr
    ids = {n: pd.read_csv(tmp_path / n / "tracer_solar_wide.csv", dtype=str)["pid"] for n in "abc"}
    assert list(ids["a"]) == list(ids["b"])
    assert ids["a"].str.fullmatch(r"[0-9a-f]{16}").all() and ids["a"].is_unique
    assert not set(ids["a"]) & set(ids["c"])


def test_export_refuses_when_suppression_would_exceed_the_limit(fixture_db: dict, tmp_path: Path):
    out = tmp_path / "refused"
    result = run_export(
        fixture_db, out, "--format", "dta", "--k", "60", "--max-suppression", "0.01"
    )
    assert result.exit_code != 0
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tracer-export")]


def test_missing_secret_env_is_a_clear_error(fixture_db: dict, tmp_path: Path):
    result = run_export(fixture_db, tmp_path / "x", "--format", "csv", "--secret-env", "NOPE_X")
    assert result.exit_code != 0 and "NOPE_X" in result.stderr
    assert not (tmp_path / "x").exists()


def test_stata_file_reads_back_with_variable_and_value_labels(fixture_db: dict, tmp_path: Path):
    result = run_export(fixture_db, tmp_path / "out", "--format", "dta")
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "out" / "tracer_solar_wide.dta"
    data = pd.read_stata(path)
    assert set(data["sex"].cat.categories) >= {"Woman", "Man"}
    assert "Suppressed (disclosure control)" in list(data["fu_job_start_f6"].cat.categories)
    assert "Not asked" in list(data["fu_earnings_f6_cur"].cat.categories)
    with pd.io.stata.StataReader(path) as reader:
        labels = reader.variable_labels()
    assert labels["fu_earnings_f6"] == "Monthly earnings"
    assert all(len(name) <= 32 for name in data.columns)
    raw = pd.read_stata(path, convert_categoricals=False)
    assert set(raw["sex"].unique()) <= {1, 2, 3, -1, -2, -3}


def test_free_text_only_with_flag_and_a_warning(fixture_db: dict, tmp_path: Path):
    result = run_export(
        fixture_db, tmp_path / "out", "--format", "csv", "--include-free-text", "--layout", "long"
    )
    assert result.exit_code == 0, result.stderr
    assert "free-text" in result.stderr
    data = pd.read_csv(tmp_path / "out" / "tracer_solar_long.csv", dtype=str)
    assert data["bl_desired_occupation"].str.contains(FREE_TEXT_NAME).any()
    assert set(data["wave"]) == {"baseline", "exit", "followup_6", "followup_12"}
    assert data.groupby("pid")["wave"].nunique().max() <= 4
    raw_sentence = f"I am {PEOPLE[0][0]}"
    assert raw_sentence not in (tmp_path / "out" / "tracer_solar_long.csv").read_text()


def test_unknown_programme_and_unmigrated_database_are_clear_errors(
    fixture_db: dict, tmp_path: Path
):
    unknown = CliRunner().invoke(
        cli,
        [
            "--database-url",
            fixture_db["url"],
            "export",
            "--programme",
            "nope",
            "--format",
            "csv",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert unknown.exit_code == 1 and "has no trainees" in unknown.stderr
    empty = CliRunner().invoke(
        cli,
        [
            "--database-url",
            f"sqlite:///{tmp_path / 'e.db'}",
            "export",
            "--programme",
            "x",
            "--format",
            "csv",
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert empty.exit_code == 4 and "tracer db upgrade" in empty.stderr
    assert empty.exception is None or isinstance(empty.exception, SystemExit)
    assert not (tmp_path / "o").exists()
