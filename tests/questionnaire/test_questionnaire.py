"""The questionnaire file is complete, consistent and respects the trainee's time."""

from __future__ import annotations

import itertools

import pytest
import yaml

from bot.questionnaire.loader import default_questionnaire, parse_questionnaire
from bot.questionnaire.model import LANGUAGES, QuestionnaireError
from bot.survey.steps import ButtonStamp, buttons_for

LIMITS = {"baseline": 15, "exit": 12, "followup": 20}
TELEGRAM_CALLBACK_LIMIT = 64


def _branch_values(questionnaire, wave):
    """Every value a skip-logic parent question can take, per parent code."""
    parents = sorted(
        {
            code
            for q in questionnaire.for_wave(wave)
            if q.ask_if
            for code in q.ask_if.referenced_codes()
        }
    )
    options = []
    for code in parents:
        question = questionnaire.question(code)
        values = list(question.choice_codes) if question.type == "choice" else ["yes", "no"]
        options.append([(code, v) for v in values])
    return options


@pytest.mark.parametrize("wave", sorted(LIMITS))
def test_every_path_through_a_wave_stays_within_its_question_limit(wave):
    questionnaire = default_questionnaire()
    for combination in itertools.product(*_branch_values(questionnaire, wave)):
        answers = dict(combination)
        asked = [q for q in questionnaire.for_wave(wave) if q.applies(answers)]
        assert 1 <= len(asked) <= LIMITS[wave], (wave, answers, len(asked))


def test_every_question_is_worded_in_every_language():
    for question in default_questionnaire().questions:
        for language in LANGUAGES:
            assert question.text_in(language).strip()
            assert question.help_in(language).strip()
            for choice in question.choices:
                assert choice.label[language].strip()


def test_button_payloads_fit_telegram_callback_data():
    for question in default_questionnaire().questions:
        for language in LANGUAGES:
            stamp = ButtonStamp("a-secret", "followup_120")
            for title, payload in buttons_for(question, language, stamp):
                assert len(payload.encode()) <= TELEGRAM_CALLBACK_LIMIT, question.code
                assert title


def test_skip_logic_only_refers_to_earlier_questions():
    raw = {
        "waves": {k: {"label": {lang: k for lang in LANGUAGES}} for k in LIMITS},
        "questions": [
            {
                "code": "bl_a",
                "wave": "baseline",
                "type": "yes_no",
                "text": {lang: "?" for lang in LANGUAGES},
                "label": {lang: "a" for lang in LANGUAGES},
                "help": {lang: "h" for lang in LANGUAGES},
                "ask_if": {"code": "bl_later", "in": ["yes"]},
            }
        ],
    }
    with pytest.raises(QuestionnaireError, match="not an earlier question"):
        parse_questionnaire(raw)


def test_missing_translation_is_reported_with_the_question_code(tmp_path):
    from bot.questionnaire.loader import DEFAULT_PATH, load_questionnaire

    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    del raw["questions"][0]["text"]["es"]
    path = tmp_path / "q.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=r"bl_sex.*missing wording in es"):
        load_questionnaire(path)
