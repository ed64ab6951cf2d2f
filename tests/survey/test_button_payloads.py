"""Button payloads name their question and wave; taps on old keyboards never answer another one."""

from __future__ import annotations

import json
import re
from datetime import date
from itertools import count

import pytest
from sqlalchemy import select

from bot.i18n import t
from bot.questionnaire.loader import default_questionnaire
from bot.storage.db import session_scope
from bot.storage.models import Answer
from bot.survey.buttons import (
    ENTITY,
    MAX_PAYLOAD_BYTES,
    button_payload,
    read_tap,
)
from bot.survey.confirm import read_confirm_step
from bot.survey.steps import ButtonStamp, buttons_for, choice_codes
from bot.survey.turn import SurveyTurn, TurnResult, prompt_for_step
from tests.survey import helpers as survey_chat
from tests.survey.helpers import make_engine

SECRET = "unit-test-secret"
PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?P<entities>\{.*\})?$")
_ids = count(1)


def token_of(payload: str) -> str:
    """The ``button`` entity Rasa reads from a payload (as its RegexMessageHandler does)."""
    match = PAYLOAD.match(payload)
    assert match, payload
    return json.loads(match.group("entities"))[ENTITY]


# -- the encoding ---------------------------------------------------------------------------
@pytest.mark.parametrize("wave", ["baseline", "exit", "followup_6", "followup_12", None])
def test_every_button_of_the_questionnaire_fits_telegram_and_reads_back(wave):
    questionnaire = default_questionnaire()
    for question in questionnaire.questions:
        for language in ("en", "fr", "es"):
            buttons = buttons_for(question, language, ButtonStamp(SECRET, wave))
            codes = list(choice_codes(question))
            for (_, payload), code in zip(buttons[: len(codes)], codes, strict=True):
                assert len(payload.encode()) <= MAX_PAYLOAD_BYTES, (question.code, payload)
                tap = read_tap(SECRET, token_of(payload))
                assert tap.valid and tap.wave == wave
                assert tap.question_among(q.code for q in questionnaire.questions) == question.code
                assert tap.choice_among(codes) == code


@pytest.mark.parametrize(
    ("question", "choice"),
    [
        ("fu_status_in_employment", "family_worker"),
        ("fu_occupation_isco_08_unit_group_detailed", "7411_building_and_related_electricians"),
        ("bl_programme_module", "module-éléctricité-bâtiment-niveau-3"),
        ("q", "x" * 200),
    ],
)
def test_long_codes_still_fit_64_bytes_and_read_back(question, choice):
    payload = button_payload(SECRET, "followup_12", question, choice)
    assert len(payload.encode()) <= MAX_PAYLOAD_BYTES
    tap = read_tap(SECRET, token_of(payload))
    assert tap.valid and tap.wave == "followup_12"
    assert tap.is_for(question) and not tap.is_for("fu_other")
    assert tap.choice_among(["other", choice]) == choice


def test_a_forged_or_foreign_token_reads_as_invalid():
    token = token_of(button_payload(SECRET, "baseline", "bl_sex", "male"))
    forged = token.replace(".male.", ".female.")
    assert read_tap(SECRET, forged).valid is False
    assert read_tap("another-deployment", token).valid is False
    assert read_tap(SECRET, "male").valid is False
    assert read_tap(SECRET, None) is None


# -- the survey turn ------------------------------------------------------------------------
@pytest.fixture
def engine(tmp_path) -> SurveyTurn:
    """A turn on a fresh SQLite store (secret "k"), on a fixed date in the baseline."""
    return make_engine(tmp_path, date(2026, 3, 1))


class Chat(survey_chat.Chat):
    """A trainee who also taps any button of any prompt the bot sent so far."""

    def __init__(self, engine: SurveyTurn, language: str = "en") -> None:
        super().__init__(engine, sender=f"chat-{next(_ids)}")
        self.language = language
        self.prompts: dict[str, dict[str, str]] = {}  # step → button title → payload
        self.said: list[str] = []

    def send(self, text: str, intent: str = "inform", *, active: bool = True) -> TurnResult:
        result = super().send(text, intent, active=active)
        self.said = list(result.messages)
        if result.step:
            prompt = prompt_for_step(self.engine, self.sender, result.step, result.language)
            self.prompts[result.step] = dict(prompt.buttons)
        return result

    def say(self, text: str, intent: str = "inform", active: bool = True) -> TurnResult:
        return self.send(text, intent, active=active)

    def tap(self, title: str, step: str | None = None, active: bool = True) -> TurnResult:
        payload = self.prompts[step or self.step][title]
        return self.send(payload, PAYLOAD.match(payload).group("intent"), active=active)

    def open_wave(self, wave: str) -> TurnResult:
        """The scheduler starts ``wave``; the trainee comes back and is asked its questions."""
        self.engine.store.start_wave(self.engine.store.find_trainee(self.sender).id, wave)
        return self.send("hi", "greet", active=False)

    def answers(self, wave: str = "baseline") -> dict:
        trainee = self.engine.store.find_trainee(self.sender)
        stored = self.engine.store.current_answers(trainee.id).get(wave, {})
        return {code: a.value for code, a in stored.items()}

    def rows(self, code: str) -> list[tuple[object, bool]]:
        trainee = self.engine.store.find_trainee(self.sender)
        with session_scope(self.engine.settings.database_url) as session:
            found = session.execute(
                select(Answer.value_json, Answer.is_current)
                .where(Answer.trainee_id == trainee.id, Answer.question_code == code)
                .order_by(Answer.id)
            ).all()
        return [(value, current) for value, current in found]


def registered(engine: SurveyTurn, language: str = "en") -> Chat:
    chat = Chat(engine, language)
    chat.say("hello", "greet", active=False)
    chat.tap(t("yes", language))
    if chat.step == "language":  # asked only when the language is not known yet
        chat.tap({"en": "English", "fr": "Français", "es": "Español"}[language])
    chat.tap("Demo programme")
    assert chat.step == "q:bl_sex"
    return chat


def to_work_experience(chat: Chat) -> None:
    questionnaire, language = chat.engine.questionnaire, chat.language
    chat.tap(questionnaire.question("bl_sex").choice("female").label_in(language))
    chat.say("1999")
    chat.tap(questionnaire.question("bl_education").choice("tvet").label_in(language))
    chat.tap(
        questionnaire.question("bl_activity_status").choice("unemployed_looking").label_in(language)
    )
    assert chat.step == "q:bl_work_experience"


def test_a_tap_on_the_pending_question_answers_it(engine):
    chat = registered(engine)
    chat.tap("Woman")
    assert chat.step == "q:bl_birth_year"
    assert chat.answers() == {"bl_sex": "female"}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_an_old_button_changes_its_own_question_and_the_pending_one_is_asked_again(
    engine, language
):
    chat = registered(engine, language)
    to_work_experience(chat)
    chat.say({"en": "yes", "fr": "oui", "es": "sí"}[language], "affirm")  # typed, not tapped
    assert chat.step == "q:bl_enrol_reason"
    result = chat.tap(t("no", language), step="q:bl_work_experience")  # the old keyboard
    assert result.step == "q:bl_enrol_reason"  # asked again, not answered
    label = engine.questionnaire.question("bl_work_experience").label_in(language)
    assert chat.said == [t("tap_changed", language, question=label, answer=t("no", language))]
    assert chat.answers()["bl_work_experience"] == "no"
    assert "bl_enrol_reason" not in chat.answers()
    assert chat.rows("bl_work_experience") == [("yes", False), ("no", True)]  # history kept


def test_the_same_old_answer_tapped_again_changes_nothing(engine):
    chat = registered(engine)
    chat.tap("Woman")
    result = chat.tap("Woman", step="q:bl_sex")
    assert result.step == "q:bl_birth_year"
    assert "already" in chat.said[0]
    assert chat.rows("bl_sex") == [("female", True)]


def test_a_button_of_a_system_step_never_answers_a_question(engine):
    chat = registered(engine)
    result = chat.tap(t("no", "en"), step="consent")
    assert result.step == "q:bl_sex" and result.outcome is None
    assert chat.said == [t("tap_earlier_question", "en")]
    assert chat.answers() == {}


def test_a_forged_button_is_refused(engine):
    chat = registered(engine)
    payload = chat.prompts["q:bl_sex"]["Woman"]
    chat.prompts["q:bl_sex"]["Forged"] = payload.replace(".female.", ".male.")
    result = chat.tap("Forged")
    assert result.step == "q:bl_sex"
    assert chat.said == [t("tap_earlier_question", "en")]
    assert chat.answers() == {}


def test_a_tap_after_the_session_expired_is_checked_too(engine):
    chat = registered(engine)
    to_work_experience(chat)
    chat.say("yes", "affirm")
    # hours later the loop is no longer active; the step slot still says bl_enrol_reason
    result = chat.tap("No", step="q:bl_work_experience", active=False)
    assert result.step == "q:bl_enrol_reason"
    assert chat.answers()["bl_work_experience"] == "no"
    assert "bl_enrol_reason" not in chat.answers()


def test_a_button_from_last_wave_never_answers_this_wave(engine):
    chat = registered(engine)
    to_work_experience(chat)
    chat.tap("Yes")
    baseline_yes_no = chat.prompts["q:bl_work_experience"]
    for _ in range(10):
        if chat.step is None:
            break
        buttons = chat.prompts[chat.step]
        skip = t("skip_button", "en")
        if skip in buttons:
            chat.tap(skip)
        elif buttons:
            chat.tap(next(iter(buttons)))
        else:
            chat.say({"q:bl_earnings": "100 FCFA"}.get(chat.step, "3 months"))
    assert chat.step is None
    baseline = chat.answers()
    chat.open_wave("exit")
    chat.tap("Completed")
    chat.tap("Yes")  # ex_certificate
    chat.say("6 months")
    chat.tap(next(iter(chat.prompts[chat.step])))  # ex_practice_share
    assert chat.step == "q:ex_workplace_learning"
    chat.prompts["old"] = baseline_yes_no
    result = chat.tap("No", step="old")
    assert result.step == "q:ex_workplace_learning"
    assert chat.said == [t("tap_earlier_question", "en")]
    assert "ex_workplace_learning" not in chat.answers("exit")
    assert chat.answers() == baseline


def test_a_button_of_the_same_question_in_an_earlier_follow_up_does_not_answer_it(engine):
    chat = registered(engine)
    chat.open_wave("followup_12")
    assert chat.step == "q:fu_worked_last_week"
    # the 6-month follow-up asked the very same question, with this button
    chat.prompts["six months ago"] = {
        "No": button_payload(engine.settings.secret_key, "followup_6", "fu_worked_last_week", "no")
    }
    result = chat.tap("No", step="six months ago")
    assert result.step == "q:fu_worked_last_week"
    assert chat.said == [t("tap_earlier_question", "en")]
    assert chat.answers("followup_12") == {}
    chat.tap("Yes")
    assert chat.answers("followup_12") == {"fu_worked_last_week": "yes"}


def at_confirmation(engine: SurveyTurn) -> Chat:
    """A trainee in the exit wave whose "maybe quite good" awaits confirmation (4 out of 5)."""
    chat = registered(engine)
    chat.open_wave("exit")
    chat.tap("Completed")
    chat.tap("Yes")  # ex_certificate
    chat.say("6 months")
    chat.tap(next(iter(chat.prompts[chat.step])))  # ex_practice_share
    chat.tap("Yes")  # ex_workplace_learning
    assert chat.step == "q:ex_satisfaction"
    chat.say("maybe quite good")
    assert read_confirm_step(chat.step) == ("ex_satisfaction", 4)
    return chat


@pytest.mark.parametrize(("title", "stored"), [("Yes", 4), ("5", 5)])
def test_at_a_confirmation_its_yes_or_the_rating_keyboard_answers(engine, title, stored):
    chat = at_confirmation(engine)
    step = chat.step if title == "Yes" else "q:ex_satisfaction"  # the rating keyboard, still there
    chat.tap(title, step=step)
    assert chat.answers("exit")["ex_satisfaction"] == stored
    assert chat.step == "q:ex_usefulness"


def test_a_yes_kept_from_another_confirmation_confirms_nothing(engine):
    chat = at_confirmation(engine)
    pending = chat.step
    other = button_payload(engine.settings.secret_key, None, "confirm:ex_usefulness", "yes")
    chat.prompts["an earlier confirmation"] = {"Yes": other}
    result = chat.tap("Yes", step="an earlier confirmation")
    assert result.step == pending
    assert chat.said == [t("tap_earlier_question", "en")]
    assert "ex_satisfaction" not in chat.answers("exit")
