"""The country setting of programmes and cohorts (issue 25): CLI, importer and what the
conversation sees."""

from __future__ import annotations

from pathlib import Path

from bot.config import load_settings
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Programme
from bot.storage.repository import TracerStore
from tests.outreach.helpers import add_programme, outreach_env, run_cli

HEADER = "cohort_code,cohort_name,end_date,country,trainee_ref,name,phone,language"


def _countries(env) -> dict[str, str | None]:
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        found = {p.code: p.country for p in session.query(Programme)}
        found.update({c.code: c.country for c in session.query(Cohort)})
        return found


def test_programmes_add_and_set_country(tmp_path):
    env = outreach_env(tmp_path)
    result = run_cli(
        env, "programmes", "add", "weld", "Welding", "--cohort", "w1", "--country", "co"
    )
    assert result.exit_code == 0, result.output
    result = run_cli(env, "programmes", "set-country", "weld", "KE", "--cohort", "w1")
    assert result.exit_code == 0 and "KES" in result.output
    assert _countries(env) == {"weld": "CO", "w1": "KE"}
    listing = run_cli(env, "programmes", "list").output
    assert "country CO" in listing and "country KE" in listing


def test_an_unknown_country_is_refused_with_what_to_type(tmp_path):
    env = outreach_env(tmp_path)
    result = run_cli(env, "programmes", "add", "weld", "Welding", "--country", "Kenya")
    assert result.exit_code != 0 and "ISO 3166" in result.output
    add_programme(load_settings(env), "solar", {})
    result = run_cli(env, "programmes", "set-country", "solar", "XX")
    assert result.exit_code != 0 and "ISO 3166" in result.output


def test_the_importer_reads_a_country_column(tmp_path: Path):
    env = outreach_env(tmp_path)
    add_programme(load_settings(env), "solar", {})
    path = tmp_path / "cohort.csv"
    path.write_text(
        f"{HEADER}\nC1,Cohort one,2026-06-30,sn,R1,Awa,+221 77 123 45 67,fr\n", encoding="utf-8"
    )
    result = run_cli(env, "cohorts", "import", str(path), "--programme", "solar")
    assert result.exit_code == 0, result.output
    assert _countries(env)["C1"] == "SN"
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nC2,Two,2026-06-30,Senegal,R2,Ba,+221 77 234 56 78,fr\n")
    result = run_cli(env, "cohorts", "import", str(bad), "--programme", "solar")
    assert result.exit_code != 0 and "country 'SENEGAL'" in result.output


def test_the_conversation_sees_the_cohort_country_else_the_programme_country(tmp_path):
    env = outreach_env(tmp_path)
    settings = load_settings(env)
    ids = add_programme(settings, "solar", {"a": (None, None), "b": (None, None)})
    store = TracerStore(settings)
    with session_scope(settings.database_url) as session:
        session.query(Programme).update({"country": "CO"})
        session.get(Cohort, ids["b"]).country = "MX"
    for cohort, expected in (("a", "CO"), ("b", "MX")):
        sender = f"web-{cohort}"
        store.register_consent(sender, "rest", "es", None)
        trainee = store.find_trainee(sender)
        store.set_cohort(trainee.id, ids[cohort])
        assert store.find_trainee(sender).country == expected
        assert store.trainee_by_id(trainee.id).country == expected
