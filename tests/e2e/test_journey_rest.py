"""Whole tracer-study journeys through the REST channel, checked answer by answer in the DB."""

from __future__ import annotations

import pytest
import requests
import yaml
from sqlalchemy import select

from bot.i18n import catalog
from bot.storage.db import session_scope
from bot.storage.models import Answer
from tests.conftest import texts
from tests.journeys import EMPLOYEE, LANGUAGE_REPLY, YES, wave_script
from tests.stories.build_stories import HERE as STORIES_DIR

pytestmark = pytest.mark.e2e

WAVES = (("baseline", None), ("exit", "exit"), ("followup", "followup_6"))
THANKS = {
    "baseline": "wave_done_baseline",
    "exit": "wave_done_exit",
    "followup": "wave_done_followup",
}


def register(stack, sender: str, language: str) -> list[dict]:
    """Greeting, consent, language and programme: the replies to the programme choice."""
    stack.say(sender, {"en": "hello", "fr": "bonjour", "es": "hola"}[language])
    stack.say(sender, YES[language])
    stack.say(sender, LANGUAGE_REPLY[language])
    return stack.say(sender, '/inform{"choice":"demo"}')


def stored_rows(stack, store, sender: str) -> list[Answer]:
    trainee = store.find_trainee(sender)
    with session_scope(stack.database_url) as session:
        return list(
            session.execute(
                select(Answer).where(Answer.trainee_id == trainee.id).order_by(Answer.id)
            ).scalars()
        )


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_full_journey_stores_every_answer(stack, stack_store, sender, language):
    register(stack, sender, language)
    for kind, wave in WAVES:
        if wave:
            intro = stack.trigger(sender, "EXTERNAL_followup", {"wave": wave})
            assert intro, f"no message when opening {wave}"
        replies: list[dict] = []
        for _code, turn in wave_script(kind, language):
            replies = stack.say(sender, turn.text)
        assert catalog()[THANKS[kind]][language] in texts(replies)

    current = {
        (a.wave, a.question_code): a
        for a in stored_rows(stack, stack_store, sender)
        if a.is_current
    }
    expected_waves = {"baseline": "baseline", "exit": "exit", "followup": "followup_6"}
    for kind, wave in expected_waves.items():
        for code, _turn in wave_script(kind, language):
            answer = current[(wave, code)]
            if EMPLOYEE[code] is None:
                assert answer.status == "skipped"
            else:
                assert answer.status == "answered"
                assert answer.value_json == EMPLOYEE[code], (code, answer.value_json)
    asked = sum(len(wave_script(kind, language)) for kind in expected_waves)
    assert len(current) == asked


def test_paused_conversation_resumes_at_the_next_question(stack, stack_store, sender):
    register(stack, sender, "en")
    stack.say(sender, '/inform{"choice":"male"}')
    replies = stack.say(sender, "sorry I'm busy, can we continue later")
    assert catalog()["paused"]["en"] in texts(replies)
    replies = stack.say(sender, "hi")
    joined = " ".join(texts(replies))
    assert "Welcome back" in joined and "Question 2 of" in joined and "born" in joined
    stack.say(sender, "1998")
    values = {a.question_code: a.value_json for a in stored_rows(stack, stack_store, sender)}
    assert values == {"bl_sex": "male", "bl_birth_year": 1998}


def test_going_back_changes_an_answer_and_keeps_the_history(stack, stack_store, sender):
    register(stack, sender, "en")
    stack.say(sender, '/inform{"choice":"female"}')
    stack.say(sender, "2001")
    replies = stack.say(sender, "go back, I made a mistake")
    assert any("born" in t for t in texts(replies))
    stack.say(sender, "1999")
    rows = [
        a for a in stored_rows(stack, stack_store, sender) if a.question_code == "bl_birth_year"
    ]
    assert [(a.value_json, a.is_current) for a in rows] == [(2001, False), (1999, True)]
    assert rows[0].superseded_at is not None


BAD_ANSWERS = ["1850", "beaucoup", " ", "x" * 4000, "😀😀😀"]


@pytest.mark.parametrize("bad", BAD_ANSWERS, ids=["range", "type", "empty", "huge", "emoji"])
def test_invalid_answers_are_reasked_in_french_never_in_english(stack, stack_store, sender, bad):
    register(stack, sender, "fr")
    stack.say(sender, '/inform{"choice":"female"}')
    replies = stack.say(sender, bad)
    joined = " ".join(texts(replies))
    assert "En quelle année" in joined
    english = {texts["en"] for key, texts in catalog().items() if texts["en"] != texts["fr"]}
    assert not any(sentence in joined for sentence in english if len(sentence) > 12)
    assert "bl_birth_year" not in {a.question_code for a in stored_rows(stack, stack_store, sender)}
    stack.say(sender, "2002")
    assert "bl_birth_year" in {a.question_code for a in stored_rows(stack, stack_store, sender)}


def test_stop_then_delete_erases_the_trainee_answers(stack, stack_store, sender):
    register(stack, sender, "en")
    stack.say(sender, '/inform{"choice":"female"}')
    assert stack.say(sender, "stop")  # asks for confirmation
    replies = stack.say(sender, "yes")
    assert any("delete" in t for t in texts(replies))
    replies = stack.say(sender, "yes")
    assert catalog()["deleted"]["en"] in texts(replies)
    assert stack_store.find_trainee(sender) is None


def test_stop_without_deleting_opts_out_and_keeps_answers(stack, stack_store, sender):
    register(stack, sender, "es")
    stack.say(sender, '/inform{"choice":"female"}')
    stack.say(sender, "basta, no quiero participar más")
    stack.say(sender, "sí")
    replies = stack.say(sender, "no")
    assert catalog()["opted_out"]["es"] in texts(replies)
    trainee = stack_store.find_trainee(sender)
    assert trainee.status == "opted_out"
    assert stack_store.current_answers(trainee.id)["baseline"]["bl_sex"].value == "female"
    replies = stack.say(sender, "1999")
    assert catalog()["opted_out_already"]["es"] in texts(replies)


def test_story_messages_are_understood_as_their_stories_say(stack):
    """The user texts of the Rasa test stories get the intent the story expects."""
    wrong = []
    for path in sorted(STORIES_DIR.glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            for step in story["steps"]:
                if "user" not in step or step["user"].startswith("/"):
                    continue
                parsed = requests.post(
                    f"{stack.rasa_url}/model/parse",
                    params={"token": stack.token},
                    json={"text": step["user"]},
                    timeout=30,
                ).json()
                if parsed["intent"]["name"] != step["intent"]:
                    wrong.append((path.name, step["user"], step["intent"], parsed["intent"]))
    assert not wrong


def test_a_followup_triggered_mid_wave_opens_the_new_wave(stack, stack_store, sender):
    register(stack, sender, "en")
    stack.say(sender, '/inform{"choice":"female"}')
    replies = stack.trigger(sender, "EXTERNAL_followup", {"wave": "exit"})
    joined = " ".join(texts(replies))
    assert "Did you complete the training?" in joined
    assert "Please" not in joined
    stack.say(sender, '/inform{"choice":"completed"}')
    answers = stack_store.current_answers(stack_store.find_trainee(sender).id)
    assert answers["exit"]["ex_completed"].value == "completed"
    assert "ex_completed" not in answers["baseline"]
