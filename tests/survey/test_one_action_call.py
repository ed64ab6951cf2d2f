"""One action-server call per answered message (issue 15).

The form validator asks the next question itself; the domain offers Rasa's form nothing to ask
with (no ``action_ask_answer``/``utter_ask_answer``), so Rasa does not make a second HTTP call,
and the domain is not posted with each call.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa.core.actions.forms import FormAction
from rasa.shared.core.domain import Domain

ROOT = Path(__file__).resolve().parents[2]


def test_rasas_form_has_no_second_action_to_ask_the_next_question():
    domain = Domain.load(str(ROOT / "domain"))
    form = FormAction("survey_form", None)
    assert form._name_of_utterance(domain, "answer") is None
    assert "validate_survey_form" in domain.action_names_or_texts


def test_the_domain_is_not_posted_with_every_action_call():
    for path in (ROOT / "endpoints.yml", ROOT / "deploy" / "endpoints.cluster.yml"):
        endpoints = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert endpoints["action_endpoint"]["enable_selective_domain"] is True, path


def _tracker(text: str, intent: str, step: str | None, answering: bool):
    from rasa_sdk import Tracker

    slots = {"answer": text if answering else None, "step": step, "language": None}
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.99},
        "entities": [],
        "message_id": f"m-{text}",
    }
    return Tracker("chat-1", slots, message, [], False, None, {}, "action_listen")


def test_the_validator_says_the_turns_messages_then_asks_the_next_step(tmp_path, monkeypatch):
    import asyncio
    import json
    from datetime import date

    from rasa_sdk.executor import CollectingDispatcher

    import actions.survey_form as form
    from bot.i18n import t
    from bot.survey.buttons import read_tap
    from tests.survey.helpers import make_engine

    engine = make_engine(tmp_path, date(2026, 3, 2))
    monkeypatch.setattr(form, "survey", lambda: engine)
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        form.ValidateSurveyForm().run(dispatcher, _tracker("bonjour", "greet", None, False), {})
    )
    welcome, consent = dispatcher.messages  # the turn's message, then the question asked
    assert (welcome["text"], consent["text"]) == (t("welcome", "fr"), t("consent", "fr"))
    titles = [button["title"] for button in consent["buttons"]]
    assert titles == [t("yes", "fr"), t("no", "fr")]
    for button in consent["buttons"]:
        token = json.loads(button["payload"][len("/inform") :])["button"]
        assert read_tap("k", token).valid  # signed with the project's secret
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["step"] == "consent" and slots["requested_slot"] == "answer"
    assert "prompt" not in slots  # nothing left for a second action to say


def test_when_the_loop_ends_the_same_call_says_goodbye_and_rasa_only_listens(tmp_path, monkeypatch):
    import asyncio
    from datetime import date

    from rasa_sdk.executor import CollectingDispatcher

    import actions.survey_form as form
    from bot.i18n import t
    from tests.survey.helpers import make_engine

    engine = make_engine(tmp_path, date(2026, 3, 2))
    monkeypatch.setattr(form, "survey", lambda: engine)
    asyncio.run(  # asked for consent, in Spanish
        form.ValidateSurveyForm().run(
            CollectingDispatcher(), _tracker("hola", "greet", None, False), {}
        )
    )
    declined = _tracker("no", "deny", "consent", True)
    declined.slots["language"] = "es"  # set by the first turn
    dispatcher = CollectingDispatcher()
    events = asyncio.run(form.ValidateSurveyForm().run(dispatcher, declined, {}))
    assert dispatcher.messages[-1]["text"] == t("consent_declined", "es")
    slots = [(e["name"], e["value"]) for e in events if e["event"] == "slot"]
    assert ("outcome", "declined") in slots  # the turn's outcome, then the loop's slots cleared
    assert slots[-3:] == [("step", None), ("outcome", None), ("requested_slot", None)]

    rules = yaml.safe_load((ROOT / "data" / "rules" / "survey.yml").read_text(encoding="utf-8"))
    after_the_loop = [
        rule["steps"][rule["steps"].index({"active_loop": None}) + 2 :]
        for rule in rules["rules"]
        if {"active_loop": None} in rule["steps"]
    ]
    assert after_the_loop == [[{"action": "action_listen"}]]  # no second action-server call
