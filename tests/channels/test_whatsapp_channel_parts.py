"""WhatsApp channel parts: signatures, webhook parsing, message shapes, label fit, retries."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from bot.channels.whatsapp.config import build_config, parse_templates
from bot.channels.whatsapp.graph import GraphClient, GraphError, RetryPolicy
from bot.channels.whatsapp.messages import (
    BUTTON_TITLE,
    ROW_TITLE,
    ReplyIds,
    choice_body,
    shorten,
    titles_for,
)
from bot.channels.whatsapp.signature import sign, valid_signature
from bot.channels.whatsapp.translate import parse_delivery
from bot.questionnaire.loader import default_questionnaire
from bot.survey.steps import ButtonStamp, buttons_for

SECRET = "app-secret"


def test_signature_accepts_only_the_exact_body():
    body = b'{"object":"whatsapp_business_account"}'
    header = sign(SECRET, body)
    assert valid_signature(SECRET, body, header)
    assert not valid_signature(SECRET, body + b" ", header)
    assert not valid_signature("other", body, header)
    assert not valid_signature(SECRET, body, header.replace("sha256=", "sha1="))
    assert not valid_signature(SECRET, body, None)
    assert not valid_signature("", body, sign("", body))


def _delivery(*messages: dict, statuses: tuple = ()) -> dict:
    value = {"messaging_product": "whatsapp", "messages": list(messages)}
    if statuses:
        value["statuses"] = list(statuses)
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": value}]}],
    }


@pytest.mark.parametrize(
    "message, kind, text",
    [
        ({"type": "text", "text": {"body": "Bonjour"}}, "text", "Bonjour"),
        (
            {"type": "text", "text": {"body": "START abcd2345xy"}},
            "text",
            '/greet{"invite_code":"ABCD2345XY"}',
        ),
        ({"type": "text", "text": {"body": "start tomorrow"}}, "text", "start tomorrow"),
        ({"type": "text", "text": {"body": "código: XY12AB34"}}, "text", "código: XY12AB34"),
        (
            {
                "type": "interactive",
                "interactive": {
                    "type": "button_reply",
                    "button_reply": {"id": "/affirm", "title": "Sí"},
                },
            },
            "reply",
            "/affirm",
        ),
        (
            {
                "type": "interactive",
                "interactive": {
                    "type": "list_reply",
                    "list_reply": {"id": '/inform{"choice":"tvet"}', "title": "Formation"},
                },
            },
            "reply",
            '/inform{"choice":"tvet"}',
        ),
        (
            {"type": "button", "button": {"payload": "tracer-resume", "text": "Continuer"}},
            "resume",
            "tracer-resume",
        ),
        ({"type": "image", "image": {"id": "m1"}}, "unsupported", ""),
        ({"type": "audio", "audio": {"id": "m2"}}, "unsupported", ""),
        ({"type": "location", "location": {"latitude": 1, "longitude": 2}}, "unsupported", ""),
        ({"type": "sticker", "sticker": {"id": "m3"}}, "unsupported", ""),
    ],
)
def test_inbound_messages(message, kind, text):
    inbound, statuses = parse_delivery(
        _delivery({"from": "22670000000", "id": "wamid.A", "timestamp": "1", **message})
    )
    assert statuses == []
    assert [(i.wa_id, i.wamid, i.kind, i.text) for i in inbound] == [
        ("22670000000", "wamid.A", kind, text)
    ]


def test_statuses_with_error_codes():
    _, statuses = parse_delivery(
        _delivery(
            statuses=(
                {"id": "wamid.1", "status": "delivered", "recipient_id": "1"},
                {"id": "wamid.2", "status": "failed", "errors": [{"code": 131026, "title": "x"}]},
                {"id": "wamid.3", "status": "deleted"},
            )
        )
    )
    assert [(s.wamid, s.status, s.error_code) for s in statuses] == [
        ("wamid.1", "delivered", None),
        ("wamid.2", "failed", 131026),
    ]


def test_not_a_delivery_is_rejected():
    with pytest.raises(ValueError):
        parse_delivery({"object": "page", "entry": []})


def _buttons(n: int) -> list[dict]:
    return [{"title": f"Choice number {i}", "payload": f"/p{i}"} for i in range(n)]


def test_button_list_or_numbered_text_by_count():
    ids = ReplyIds()
    three = choice_body("Q?", _buttons(3), ids)
    assert three["interactive"]["type"] == "button"
    assert [b["reply"]["id"] for b in three["interactive"]["action"]["buttons"]] == [
        "/p0",
        "/p1",
        "/p2",
    ]
    ten = choice_body("Q?", _buttons(10), ids, "fr")
    assert ten["interactive"]["type"] == "list"
    assert ten["interactive"]["action"]["button"] == "Choisir"
    assert len(ten["interactive"]["action"]["sections"][0]["rows"]) == 10
    eleven = choice_body("Q?", _buttons(11), ids)
    assert eleven["type"] == "text"
    assert "11. Choice number 10" in eleven["text"]["body"]


def test_long_payloads_get_a_token_that_maps_back():
    ids = ReplyIds()
    payload = "/inform" + json.dumps({"choice": "x" * 300})
    body = choice_body("Q?", [{"title": "A", "payload": payload}], ids)
    reply_id = body["interactive"]["action"]["buttons"][0]["reply"]["id"]
    assert len(reply_id) <= 256 and reply_id != payload
    assert ids.resolve(reply_id) == payload
    assert ids.resolve("~unknown") is None


@pytest.mark.parametrize(
    "label, limit, short",
    [
        ("Other / prefer not to say", 20, "Other"),
        ("Autre / je préfère ne pas dire", 20, "Autre"),
        ("Otro / prefiero no decir", 20, "Otro"),
        ("Woman", 20, "Woman"),
        ("Formation professionnelle longue", 24, "Formation…"),
    ],
)
def test_shorten(label, limit, short):
    assert shorten(label, limit) == short


def test_every_questionnaire_label_fits_whatsapp_titles():
    questionnaire = default_questionnaire()
    checked = 0
    for wave in ("baseline", "exit", "followup"):
        # the longest wave id of the kind: payloads as long as they get
        stamp = ButtonStamp("test-secret", {"followup": "followup_12"}.get(wave, wave))
        for question in questionnaire.for_wave(wave):
            for language in ("en", "fr", "es"):
                buttons = [
                    {"title": title, "payload": payload}
                    for title, payload in buttons_for(question, language, stamp)
                ]
                body = choice_body(question.text_in(language), buttons, ReplyIds(), language)
                if body["type"] == "text":  # more than 10 choices: numbered, full labels
                    continue
                interactive = body["interactive"]
                if interactive["type"] == "button":
                    limit = BUTTON_TITLE
                    titles = [b["reply"]["title"] for b in interactive["action"]["buttons"]]
                else:
                    limit = ROW_TITLE
                    titles = [r["title"] for r in interactive["action"]["sections"][0]["rows"]]
                checked += 1
                assert all(0 < len(x) <= limit for x in titles), (question.code, titles)
                assert len(set(titles)) == len(titles), (question.code, language, titles)
    assert checked > 30


def test_clashing_short_titles_are_told_apart():
    titles = titles_for(["Secondaire (1er cycle)", "Secondaire (2nd cycle)", "Aucune"], 20)
    assert len(set(titles)) == 3 and all(len(x) <= 20 for x in titles)


def test_templates_config():
    templates = parse_templates('{"followup_6": {"name": "fu6", "parameters": ["{months}"]}}')
    assert templates["followup_6"].name == "fu6"
    config = build_config("sqlite://", "k", {"WHATSAPP_PHONE_NUMBER_ID": "1"})
    assert not config.enabled
    assert config.template_for("exit").name == "tracer_exit"
    with pytest.raises(ValueError):
        parse_templates("[1]")


def _client(responses: list[httpx.Response], slept: list[float]) -> GraphClient:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer tok"
        return responses.pop(0)

    async def sleep(delay: float) -> None:
        slept.append(delay)

    return GraphClient(
        "http://graph.test/v21.0/123/messages",
        "tok",
        RetryPolicy(attempts=4),
        sleep=sleep,
        transport=httpx.MockTransport(handler),
    )


def _error(status: int, code: int) -> httpx.Response:
    return httpx.Response(status, json={"error": {"code": code, "message": "m"}})


def test_rate_limits_and_server_errors_are_retried_with_back_off():
    ok = httpx.Response(200, json={"messages": [{"id": "wamid.X"}]})
    slept: list[float] = []
    client = _client([_error(429, 130429), _error(503, 131000), ok], slept)
    assert asyncio.run(client.send("1", {"type": "text", "text": {"body": "hi"}})) == "wamid.X"
    assert slept == [0.5, 1.0]


@pytest.mark.parametrize("code", [131047, 131026, 132001])
def test_recipient_and_template_errors_are_final(code):
    slept: list[float] = []
    client = _client([_error(400, code)], slept)
    with pytest.raises(GraphError) as caught:
        asyncio.run(client.send("1", {"type": "text", "text": {"body": "hi"}}))
    assert caught.value.code == code and not caught.value.retryable and slept == []
    assert str(code) in caught.value.reason


def test_retries_end():
    slept: list[float] = []
    client = _client([_error(500, 2)] * 4, slept)
    with pytest.raises(GraphError):
        asyncio.run(client.send("1", {"type": "text", "text": {"body": "hi"}}))
    assert len(slept) == 3


def test_wa_me_invitation_link_is_read_back_as_the_code():
    from urllib.parse import parse_qs, urlparse

    from bot.config import load_settings
    from bot.outreach.invites import whatsapp_link
    from bot.security.crypto import new_invite_code

    code = new_invite_code()
    settings = load_settings().with_overrides(whatsapp_invite_number="+226 70 00 00 00")
    link = whatsapp_link(settings, code)
    assert link.startswith("https://wa.me/22670000000?text=")
    typed = parse_qs(urlparse(link).query)["text"][0]
    inbound, _ = parse_delivery(
        _delivery({"from": "1", "id": "wamid.L", "type": "text", "text": {"body": typed}})
    )
    assert inbound[0].text == '/greet{"invite_code":"' + code + '"}'
    assert whatsapp_link(settings.with_overrides(whatsapp_invite_number=""), code) == ""


@pytest.mark.parametrize("code", ["HLJJSZJGEU", "23456789AB", "hljjszjgeu"])
def test_every_shape_of_invitation_code_is_read_from_start(code: str) -> None:
    """Codes are drawn from A-Z/2-9 without I and O: letters only is a valid code too."""
    inbound, _ = parse_delivery(
        _delivery({"from": "1", "id": "wamid.S", "type": "text", "text": {"body": f"START {code}"}})
    )
    assert inbound[0].text == '/greet{"invite_code":"' + code.upper() + '"}'


def test_start_with_a_word_that_cannot_be_a_code_is_plain_text() -> None:
    inbound, _ = parse_delivery(
        _delivery(
            {"from": "1", "id": "wamid.T", "type": "text", "text": {"body": "start OIOIOIOIOI"}}
        )
    )
    assert inbound[0].text == "start OIOIOIOIOI"


def test_exhausted_rate_limit_gives_the_followup_back_and_errors_reach_the_row():
    """What the follow-up sender reads from Rasa's 500 when a proactive WhatsApp send failed."""
    import requests

    from bot.outreach.transport import RasaTriggerTransport

    class Answer:
        def __init__(self, message: str) -> None:
            self.response = requests.Response()
            self.response.status_code = 500
            body = {"status": "failure", "reason": "ConversationError", "message": message}
            self.response._content = json.dumps(body).encode()

    def delivery(error: GraphError):
        transport = RasaTriggerTransport.__new__(RasaTriggerTransport)
        transport.base_url, transport.token, transport.timeout = "http://rasa", "", 1
        answer = Answer(f"An unexpected error occurred. Error: {error.reason}")
        transport.session = type("S", (), {"post": lambda *a, **k: answer.response})()
        return transport.send("whatsapp", "22670000000", "followup_6")

    limited = delivery(GraphError(429, 130429))
    assert limited.rate_limited and not limited.ok
    refused = delivery(GraphError(400, 131026))
    assert not refused.rate_limited
    assert refused.detail == (
        "http 500 ConversationError (WhatsApp 131026: undeliverable (not a WhatsApp user?))"
    )


def test_template_sets_the_resume_payload_that_inbound_reads_back():
    from bot.channels.whatsapp.messages import template_body

    body = template_body("tracer_followup_6", "fr", ["6"])
    components = body["template"]["components"]
    assert components[0] == {"type": "body", "parameters": [{"type": "text", "text": "6"}]}
    payload = components[1]["parameters"][0]["payload"]
    inbound, _ = parse_delivery(
        _delivery(
            {"from": "1", "id": "w", "type": "button", "button": {"payload": payload, "text": "Go"}}
        )
    )
    assert inbound[0].kind == "resume"
