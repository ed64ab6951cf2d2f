"""The Rasa domain, NLU data and questionnaire agree with each other."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from bot.questionnaire.model import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
MIN_EXAMPLES_PER_LANGUAGE = 15


def _domain() -> dict:
    return yaml.safe_load((ROOT / "domain" / "survey.yml").read_text(encoding="utf-8"))


def _examples(language: str) -> Counter:
    counts: Counter = Counter()
    for path in (ROOT / "data" / "nlu" / language).glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            lines = [x for x in block["examples"].splitlines() if x.strip().startswith("- ")]
            counts[block["intent"]] += len(lines)
    return counts


def test_every_user_intent_has_training_data_in_every_language():
    intents = [i for i in _domain()["intents"] if not i.startswith("EXTERNAL_")]
    for language in LANGUAGES:
        counts = _examples(language)
        thin = {i: counts[i] for i in intents if counts[i] < MIN_EXAMPLES_PER_LANGUAGE}
        assert not thin, f"{language}: too few examples for {thin}"
        assert set(counts) <= set(intents), f"{language}: intents missing from the domain"


def test_survey_questions_are_not_hard_coded_in_the_domain():
    """The questionnaire is the only place questions live: no per-question slots or responses."""
    domain = _domain()
    assert set(domain["slots"]) == {
        "answer",
        "language",
        "invite_code",
        "wave",
        "step",
        "outcome",
    }
    assert domain["forms"]["survey_form"]["required_slots"] == ["answer"]
    assert "responses" not in domain
