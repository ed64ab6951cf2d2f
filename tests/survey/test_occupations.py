"""ISCO-08 occupation coding (issue 16): the data, the search, the conversation, the queue."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from bot.occupations.isco import LANGUAGES, default_index, read_unit_groups
from bot.survey.occupation import read_occupation_step
from bot.survey.turn import prompt_for_step
from tests.outreach.helpers import outreach_env, run_cli
from tests.survey import helpers as survey_chat
from tests.survey.helpers import WaveChat

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import bench_isco  # noqa: E402

GROUPS = read_unit_groups()
# Unit groups per major group in ISCO-08 (ILO 2012): the trades' major groups ship complete.
COMPLETE = {"3": 84, "4": 29, "5": 40, "6": 18, "7": 66, "8": 40, "9": 33}


def test_unit_groups_have_four_digit_unique_codes_and_titles_in_three_languages():
    codes = [group.code for group in GROUPS]
    assert len(codes) == len(set(codes))
    for group in GROUPS:
        assert len(group.code) == 4 and group.code.isdigit()
        assert all(group.titles[language] for language in LANGUAGES), group.code


@pytest.mark.parametrize(("major", "count"), sorted(COMPLETE.items()))
def test_the_trades_major_groups_are_complete(major, count):
    assert sum(group.code.startswith(major) for group in GROUPS) == count


def test_the_data_file_names_its_source():
    header = Path(read_unit_groups.__defaults__[0]).read_text(encoding="utf-8")[:800]
    assert "Labour Office" in header and "ISCO-08" in header and "CIUO-08" in header


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("electrician", "7411"),
        ("I fix solar panels for a company", "7411"),
        ("électricien", "7411"),
        ("couturière", "7531"),
        ("je répare des motos", "7231"),
        ("plomero", "7126"),
        ("mecanico de motos", "7231"),
        ("trabajo en una panadería", "7512"),
    ],
)
def test_the_right_unit_group_is_proposed_first(text, code):
    assert default_index().propose(text)[0][0] == code


def test_nonsense_proposes_nothing_close():
    assert all(score < 0.3 for _, score in default_index().propose("qqqq zzzz"))


def test_at_least_80_percent_of_the_test_titles_get_their_unit_group_among_three():
    stats = bench_isco.measure()
    assert stats["all"]["n"] == 100
    assert stats["all"]["top3"] / stats["all"]["n"] >= 0.80


# -- in the conversation ------------------------------------------------------------------------

TODAY = date(2026, 10, 1)
QUESTION = {
    "en": "Which of these is closest to that job?",
    "fr": "Lequel de ces métiers est le plus proche ?",
    "es": "¿Cuál de estos oficios se parece más?",
}
FIRST = {
    "en": "Building and related electricians (7411)",
    "fr": "Électriciens du bâtiment et assimilés (7411)",
    "es": "Electricistas de obras y afines (7411)",
}
NONE = {"en": "None of these", "fr": "Aucun de ceux-ci", "es": "Ninguno de estos"}


def _chat(tmp_path, language: str) -> WaveChat:
    engine = survey_chat.make_engine(tmp_path, TODAY)
    chat = WaveChat(engine, language, until="bl_desired_occupation")
    chat.wave = "baseline"
    return chat


@pytest.mark.parametrize(
    ("language", "typed"), [("en", "electrician"), ("fr", "électricien"), ("es", "electricista")]
)
def test_a_typed_title_is_offered_as_isco_buttons_and_the_tapped_code_stored(
    tmp_path, language, typed
):
    chat = _chat(tmp_path, language)
    chat.send(typed)
    assert chat.stored("bl_desired_occupation") == typed
    assert read_occupation_step(chat.step)[1][0] == "7411"
    prompt = prompt_for_step(chat.engine, chat.sender, chat.step, language)
    assert prompt.text == QUESTION[language]
    titles = [title for title, _ in prompt.buttons]
    assert titles[0] == FIRST[language] and titles[-1] == NONE[language] and len(titles) == 4
    result = chat.send(prompt.buttons[0][1])
    assert result.messages[0].startswith({"en": "Noted", "fr": "Noté", "es": "Anotado"}[language])
    assert chat.stored("bl_desired_occupation_isco") == "7411"
    assert chat.step is None or not chat.step.startswith("isco:")


def test_none_of_these_stores_no_code_and_moves_on(tmp_path):
    chat = _chat(tmp_path, "fr")
    chat.send("électricien")
    prompt = prompt_for_step(chat.engine, chat.sender, chat.step, "fr")
    chat.send(prompt.buttons[-1][1])
    assert chat.stored("bl_desired_occupation_isco") is None
    assert chat.stored("bl_desired_occupation") == "électricien"
    assert chat.step is None or not chat.step.startswith("isco:")


def test_the_option_number_can_be_typed(tmp_path):
    chat = _chat(tmp_path, "es")
    chat.send("electricista")
    chat.send("1")
    assert chat.stored("bl_desired_occupation_isco") == "7411"


# -- officer coding queue, programmes' trained-for codes, the match indicator -------------------


def _cli_env(tmp_path, engine) -> dict[str, str]:
    env = outreach_env(tmp_path / "cli")
    env["TRACER_DATABASE_URL"] = engine.settings.database_url
    env["TRACER_ENCRYPTION_KEY"] = engine.settings.encryption_key
    return env


def test_an_unconfirmed_title_waits_in_the_queue_until_an_officer_codes_it(tmp_path):
    (tmp_path / "cli").mkdir()
    chat = _chat(tmp_path, "fr")
    chat.send("je fais des tresses")
    prompt = prompt_for_step(chat.engine, chat.sender, chat.step, "fr")
    chat.send(prompt.buttons[-1][1])  # none of these
    env = _cli_env(tmp_path, chat.engine)
    listed = run_cli(env, "occupations", "queue", "--language", "fr")
    assert "'je fais des tresses'" in listed.output and "5141 Coiffeurs" in listed.output
    trainee = chat.engine.store.find_trainee(chat.sender).id
    bad = run_cli(
        env, "occupations", "code", str(trainee), "baseline", "bl_desired_occupation", "1234"
    )
    assert bad.exit_code != 0 and "not an ISCO-08 unit group" in bad.output
    done = run_cli(
        env, "occupations", "code", str(trainee), "baseline", "bl_desired_occupation", "5141"
    )
    assert done.exit_code == 0 and "Hairdressers" in done.output
    assert chat.stored("bl_desired_occupation_isco") == "5141"
    assert run_cli(env, "occupations", "queue").output.strip() == "Nothing to code."


def test_working_in_the_occupation_trained_for_is_computed_per_programme(tmp_path):
    (tmp_path / "cli").mkdir()
    engine = survey_chat.make_engine(tmp_path, date(2027, 7, 1))
    # joined in time for the baseline; desired and current occupation both 7411
    WaveChat(engine, "en", until="fu_job_relevance", joined=date(2026, 10, 1))
    env = _cli_env(tmp_path, engine)
    assert run_cli(env, "occupations", "programme", "demo", "9999").exit_code != 0
    assert run_cli(env, "occupations", "programme", "demo", "7411", "7412").exit_code == 0
    output = run_cli(env, "occupations", "match").output
    assert "demo: trained for 7411 7412" in output
    assert "working in the occupation trained for 100% (1/1 coded" in output
    assert "in the occupation desired at baseline 100% (1/1)" in output
    run_cli(env, "occupations", "programme", "demo", "7231")
    assert "trained for 0% (0/1" in run_cli(env, "occupations", "match").output
