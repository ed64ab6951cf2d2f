"""What trainees type, through the REST channel (issue 16), checked in the database.

In each language one baseline shows: an age given for the year of birth offered back as a year,
the numbered options after two failed tries, a choice described in free text echoed, another
one confirmed with Yes/No, an implied yes confirmed, and the typed desired occupation coded to
ISCO-08 with buttons.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.i18n import catalog
from tests.conftest import choices, texts
from tests.e2e.test_journey_rest import register

pytestmark = pytest.mark.e2e

YES = '/inform{"choice":"yes"}'
AGE = {"en": "I'm 19", "fr": "j'ai 19 ans", "es": "tengo 19 años"}
BORN = {
    "en": "19 years old, so born in {year}",
    "fr": "19 ans, donc né·e en {year}",
    "es": "19 años, o sea nacido/a en {year}",
}
NUMBERED = {"en": "1. No schooling", "fr": "1. Aucune scolarité", "es": "1. Sin estudios"}
NOTED = {"en": "Noted: ", "fr": "Noté : ", "es": "Anotado: "}
CONFIRM = {"en": "I understood ", "fr": "J'ai compris ", "es": "Entendí "}
# (question, typed description, stored choice, "echo" or "confirm")
DESCRIBED = {
    "en": [
        (
            "bl_activity_status",
            "im fixing phones for people, my own thing",
            "self_employed",
            "echo",
        ),
        ("bl_enrol_reason", "to find a better life", "better_job", "confirm"),
    ],
    "fr": [
        ("bl_activity_status", "je vends des habits", "self_employed", "confirm"),
        ("bl_enrol_reason", "je veux être embauchée dans une entreprise", "get_job", "echo"),
    ],
    "es": [
        ("bl_activity_status", "ando buscando chamba", "unemployed_looking", "echo"),
        ("bl_enrol_reason", "para conseguir trabajo", "get_job", "confirm"),
    ],
}
IMPLIED_YES = {"en": "since 2019", "fr": "deux ans", "es": "desde 2020"}
TITLE = {"en": "electrician", "fr": "électricien", "es": "electricista"}
FIRST_TITLE = {
    "en": "Building and related electricians (7411)",
    "fr": "Électriciens du bâtiment et assimilés (7411)",
    "es": "Electricistas de obras y afines (7411)",
}


def _value(store, sender: str, code: str):
    answer = store.current_answers(store.find_trainee(sender).id)["baseline"].get(code)
    return None if answer is None else answer.value


def _starts(replies: list[dict], prefix: str) -> bool:
    return any(text.startswith(prefix) for text in texts(replies))


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_baseline_typed_in_words_is_understood_repaired_and_coded(
    stack, stack_store, sender, language
):
    register(stack, sender, language)
    stack.say(sender, '/inform{"choice":"female"}')

    # age → year of birth, confirmed
    year = date.today().year - 19
    replies = stack.say(sender, AGE[language])
    assert any(BORN[language].format(year=year) in text for text in texts(replies))
    assert choices(replies) == ["yes", "no"]
    assert _value(stack_store, sender, "bl_birth_year") is None
    replies = stack.say(sender, YES)
    assert _starts(replies, NOTED[language] + BORN[language].format(year=year))
    assert _value(stack_store, sender, "bl_birth_year") == year

    # two failed tries → numbered options; the number is then understood
    first = stack.say(sender, "xqzt wvpk")
    assert not any(NUMBERED[language] in text for text in texts(first))
    second = stack.say(sender, "xqzt wvpk")
    assert any(NUMBERED[language] in text for text in texts(second)), texts(second)
    stack.say(sender, "5")
    assert _value(stack_store, sender, "bl_education") == "tvet"

    # choices described in free text: echoed when sure, confirmed when not
    for code, typed, stored, how in DESCRIBED[language]:
        replies = stack.say(sender, typed)
        if how == "echo":
            assert _starts(replies, NOTED[language]), texts(replies)
        else:
            assert _starts(replies, CONFIRM[language]), texts(replies)
            assert _value(stack_store, sender, code) is None
            replies = stack.say(sender, YES)
            assert _starts(replies, NOTED[language]), texts(replies)
        assert _value(stack_store, sender, code) == stored
        if code == "bl_activity_status" and stored == "self_employed":
            stack.say(sender, "150 000 FCFA")  # bl_earnings
            assert _value(stack_store, sender, "bl_earnings") == {
                "amount": 150000.0,
                "currency": "XOF",
                "period": "month",
                "follow_up": None,
                "monthly": 150000.0,
            }
        if code == "bl_activity_status":
            # an implied yes to "have you ever done paid work?", confirmed
            replies = stack.say(sender, IMPLIED_YES[language])
            assert _starts(replies, CONFIRM[language]), texts(replies)
            assert _value(stack_store, sender, "bl_work_experience") is None
            stack.say(sender, YES)
            assert _value(stack_store, sender, "bl_work_experience") == "yes"

    stack.say(sender, '/inform{"choice":"learn_skill"}')  # bl_expectation_main
    stack.say(sender, "/skip")  # bl_expected_earnings (optional)

    # the desired occupation, coded to ISCO-08 with buttons
    replies = stack.say(sender, TITLE[language])
    assert catalog()["isco_question"][language] in texts(replies)
    assert choices(replies)[0] == "7411" and len(choices(replies)) == 4
    assert any(
        FIRST_TITLE[language] == b.get("title") for r in replies for b in r.get("buttons", [])
    )
    replies = stack.say(sender, '/inform{"choice":"7411"}')
    assert _starts(replies, NOTED[language])
    assert catalog()["wave_done_baseline"][language] in texts(replies)
    assert _value(stack_store, sender, "bl_desired_occupation") == TITLE[language]
    assert _value(stack_store, sender, "bl_desired_occupation_isco") == "7411"
