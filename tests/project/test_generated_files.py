"""Files generated from the questionnaire are committed up to date."""

from __future__ import annotations

from bot.questionnaire.nlu_labels import OUTPUT, render_labels_file
from tests.stories.build_stories import build


def test_nlu_choice_labels_match_the_questionnaire():
    assert OUTPUT.read_text(encoding="utf-8") == render_labels_file(), (
        "run: .venv/bin/python -m bot.questionnaire.nlu_labels"
    )


def test_test_stories_match_the_questionnaire():
    for path, content in build().items():
        assert path.read_text(encoding="utf-8") == content, (
            f"{path.name} is stale: run .venv/bin/python -m tests.stories.build_stories"
        )
