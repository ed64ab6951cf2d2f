"""The Telegram channel's pieces without Rasa: translation, keyboards, retries, ordering, state,
and the channel itself polling a fake Bot API with a stub in place of Rasa."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.telegram.channel import TelegramInput
from bot.channels.telegram.config import TelegramConfig, build_config
from bot.channels.telegram.keyboard import inline_keyboard, rows_for
from bot.channels.telegram.output import TelegramOutput, split_text
from bot.channels.telegram.privacy import conversation_ref
from bot.channels.telegram.queues import ChatQueues
from bot.channels.telegram.retry import RetryPolicy, with_retries
from bot.channels.telegram.state import KeyboardStore, OffsetStore, RecentIds
from bot.channels.telegram.translate import command_text, inbound_from_update, supported_language
from bot.config import load_settings
from bot.storage.migrate import upgrade_database
from bot.survey.buttons import button_payload
from tests.fakes.telegram_api import FakeTelegramAPI

TOKEN = "5550009999:AAH-unit_test_token_0123456789abcdefgh"
ENV = {
    "TRACER_SECRET_KEY": "unit-secret",
    "TRACER_ENCRYPTION_KEY": "M2R0ZXN0a2V5LXRlc3RrZXktdGVzdGtleS10ZXN0a2U=",
    "TRACER_ENV_FILE": "/nonexistent/tracer.env",
}


def _message_update(text: str | None, language: str | None = "fr", chat_type: str = "private"):
    message = {
        "message_id": 5,
        "date": 0,
        "chat": {"id": 42, "type": chat_type},
        "from": {"id": 42, "is_bot": False, "first_name": "A", "language_code": language},
    }
    if text is not None:
        message["text"] = text
    return Update.de_json({"update_id": 9, "message": message}, None)


# -- translation --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("/start K7PQ2MXR9A", "fr", '/greet{"invite_code":"K7PQ2MXR9A","language":"fr"}'),
        ("/start K7PQ2MXR9A", "de", '/greet{"invite_code":"K7PQ2MXR9A"}'),
        ("/start", "es", '/greet{"language":"es"}'),
        ("/start", None, "/greet"),
        ('/start x"}{', "en", '/greet{"language":"en"}'),
        ("/help", "en", "/help"),
        ("/stop@tracer_bot", "en", "/stop"),
        ("/language", "en", "/change_language"),
        ("/whatever now", "en", "whatever now"),
    ],
)
def test_commands_become_rasa_input(text, language, expected):
    assert command_text(text, supported_language(language)) == expected


def test_text_message_keeps_its_words_and_a_stable_message_id():
    inbound = inbound_from_update(_message_update("I was born in 2001", "fr-CA"))
    assert inbound.text == "I was born in 2001"
    assert inbound.chat_id == "42" and inbound.language == "fr"
    assert inbound.message_id == "tg-9"


def test_sticker_is_unsupported_and_group_chats_are_ignored():
    assert inbound_from_update(_message_update(None)).unsupported
    assert inbound_from_update(_message_update("hi", chat_type="group")) is None


def test_button_tap_carries_the_payload_and_the_tapped_message():
    update = Update.de_json(
        {
            "update_id": 11,
            "callback_query": {
                "id": "cq1",
                "from": {"id": 42, "is_bot": False, "first_name": "A"},
                "chat_instance": "x",
                "data": '/inform{"choice":"female"}',
                "message": {"message_id": 77, "date": 0, "chat": {"id": 42, "type": "private"}},
            },
        },
        None,
    )
    inbound = inbound_from_update(update)
    assert inbound.text == '/inform{"choice":"female"}'
    assert (inbound.callback_query_id, inbound.tapped_message_id) == ("cq1", 77)
    assert inbound.message_id == "tg-11"


# -- keyboards --------------------------------------------------------------------------------
def _buttons(*titles: str) -> list[dict]:
    return [{"title": title, "payload": f'/inform{{"choice":"{title}"}}'} for title in titles]


def test_ratings_share_a_row_long_labels_get_one_each_skip_goes_last():
    assert rows_for(["1", "2", "3", "4", "5"]) == [[0, 1, 2, 3, 4]]
    assert rows_for(["Yes", "No"]) == [[0, 1]]
    assert rows_for(["Working for an employer", "Studying"]) == [[0], [1]]
    markup = inline_keyboard(_buttons("1", "2", "3") + [{"title": "Skip", "payload": "/skip"}])
    rows = [[b.text for b in row] for row in markup.inline_keyboard]
    assert rows == [["1", "2", "3"], ["Skip"]]


def test_callback_data_is_the_payload_itself_and_never_over_64_bytes():
    signed = button_payload("k", "followup_12", "fu_status_in_employment", "family_worker")
    too_long = '/inform{"choice":"' + "x" * 80 + '"}'
    markup = inline_keyboard(
        [{"title": "Family", "payload": signed}, {"title": "Long", "payload": too_long}]
    )
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert data == [signed]  # read by any process: nothing kept in memory
    assert inline_keyboard([{"title": "Long", "payload": too_long}]) is None


def test_a_chat_keeps_one_live_keyboard_across_processes(tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    upgrade_database(url)
    yes_no = [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]
    with FakeTelegramAPI(TOKEN) as fake:
        from telegram import Bot

        async def run() -> None:
            bot = Bot(TOKEN, base_url=fake.base_url)
            keyboards = KeyboardStore(url, "k")
            first = TelegramOutput(bot, "k", keyboards)  # one Rasa process...
            await first.send_text_with_buttons("9", "Question 1", yes_no)
            await first.retire_keyboard("9")  # it sent a keyboard: nothing to retire
            second = TelegramOutput(bot, "k", KeyboardStore(url, "k"))  # ...then another one
            await second.send_text_with_buttons("9", "Question 2", yes_no)
            third = TelegramOutput(bot, "k", KeyboardStore(url, "k"))
            await third.send_text_message("9", "Thank you, that is all.")
            await third.retire_keyboard("9")
            await bot.shutdown()

        asyncio.run(run())
    q1, q2, thanks = fake.messages_to(9)
    assert [m.reply_markup for m in (q1, q2, thanks)] == [None, None, None]
    edited = [int(c["message_id"]) for c in fake.calls_of("editMessageReplyMarkup")]
    assert edited == [q1.message_id, q2.message_id]
    assert KeyboardStore(url, "k").load(9) is None


def test_long_text_is_split_under_telegram_limit():
    parts = split_text("word " * 2000)
    assert len(parts) == 3 and all(len(p) <= 4096 for p in parts)


# -- retries ----------------------------------------------------------------------------------
class _Flaky:
    def __init__(self, errors: list[Exception]) -> None:
        self.errors = errors
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "sent"


def _run_with_retries(errors: list[Exception], attempts: int = 5) -> tuple[object, list, int]:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    call = _Flaky(errors)
    policy = RetryPolicy(attempts=attempts)

    async def run() -> object:
        return await with_retries(call, what="sendMessage", ref="c1", policy=policy, sleep=sleep)

    try:
        result: object = asyncio.run(run())
    except Exception as error:  # noqa: BLE001
        result = error
    return result, waits, call.calls


def test_flood_control_waits_what_telegram_asks():
    result, waits, calls = _run_with_retries([RetryAfter(3), RetryAfter(1)])
    assert result == "sent" and waits == [3.0, 1.0] and calls == 3


def test_network_errors_back_off_exponentially_then_give_up():
    result, waits, calls = _run_with_retries([NetworkError("502"), TimedOut(), NetworkError("x")])
    assert result == "sent" and waits == [0.5, 1.0, 2.0]
    result, waits, calls = _run_with_retries([NetworkError("down")] * 9, attempts=4)
    assert isinstance(result, NetworkError) and calls == 4 and len(waits) == 3


def test_bad_requests_and_blocked_users_are_not_retried():
    for error in (BadRequest("chat not found"), Forbidden("bot was blocked")):
        result, waits, calls = _run_with_retries([error])
        assert result is error and calls == 1 and waits == []


# -- ordering and state -----------------------------------------------------------------------
def test_one_chat_in_order_different_chats_concurrently():
    events: list[str] = []

    async def handle(item: tuple[str, int]) -> None:
        chat, n = item
        events.append(f"{chat}{n}+")
        await asyncio.sleep(0.05 if chat == "a" else 0.01)
        events.append(f"{chat}{n}-")

    async def run() -> None:
        queues: ChatQueues[tuple[str, int]] = ChatQueues(handle)
        for item in (("a", 1), ("a", 2), ("b", 1), ("b", 2)):
            queues.submit(item[0], item)
        assert await queues.join(5)
        assert queues.active_chats == 0

    asyncio.run(run())
    a_events = [e for e in events if e.startswith("a")]
    assert a_events == ["a1+", "a1-", "a2+", "a2-"]
    assert events.index("b2-") < events.index("a1-")  # b did not wait for a


def test_recent_ids_forget_the_oldest():
    recent = RecentIds(maxsize=2)
    assert recent.first_time(1) and recent.first_time(2) and not recent.first_time(1)
    assert recent.first_time(3) and recent.first_time(2)  # 2 was evicted


def test_offset_survives_and_never_moves_back(tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    upgrade_database(url)
    store = OffsetStore(url)
    assert store.load() is None
    store.save(120)
    store.save(100)
    assert OffsetStore(url).load() == 120


def test_conversation_ref_hides_the_chat_id():
    ref = conversation_ref("k", 123456789)
    assert "123456789" not in ref and ref == conversation_ref("k", "123456789")


# -- configuration ----------------------------------------------------------------------------
def test_env_overrides_the_file_and_no_token_means_disabled():
    settings = load_settings(ENV)
    config = build_config(
        {"mode": "polling", "poll_timeout": 5}, settings, {"TELEGRAM_MODE": "webhook"}
    )
    assert (config.mode, config.poll_timeout, config.enabled) == ("webhook", 5, False)
    config = build_config({}, settings, {"TELEGRAM_BOT_TOKEN": TOKEN})
    assert config.enabled and config.mode == "polling"
    with pytest.raises(ValueError, match="mode"):
        build_config({"mode": "push"}, settings, {})


def test_channel_without_token_logs_one_line_and_offers_no_output(caplog):
    caplog.set_level("INFO")
    channel = TelegramInput(config=TelegramConfig(token=""))
    assert channel.get_output_channel() is None
    assert "Telegram channel disabled (no TELEGRAM_BOT_TOKEN)" in caplog.text


# -- the channel against the fake API, Rasa replaced by an echo --------------------------------
def test_polling_channel_dedups_orders_and_survives_flood_control(tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    upgrade_database(url)
    with FakeTelegramAPI(TOKEN) as fake:
        config = TelegramConfig(
            token=TOKEN,
            poll_timeout=1,
            api_base_url=fake.base_url,
            database_url=url,
            secret_key="k",
        )
        seen: list[tuple[str, str, str]] = []

        async def echo(message) -> None:  # stands in for Rasa's agent
            seen.append((message.sender_id, message.text, message.message_id))
            await message.output_channel.send_response(
                message.sender_id,
                {
                    "text": f"got {message.text}",
                    "buttons": [{"title": "Yes", "payload": "/affirm"}],
                },
            )

        last: dict = {}

        async def run() -> None:
            nonlocal last
            channel = TelegramInput(config=config)
            channel.blueprint(echo)
            await channel.start()
            fake.flood_errors = 1
            first = fake.user_says(1, "one")
            fake.user_says(1, "two")
            fake.push(first, force=True)  # redelivered
            last = fake.user_says(2, "/start")
            deadline = time.monotonic() + 15
            while len(fake.sent) < 3 and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            await channel.stop()

        asyncio.run(run())
    assert [text for sender, text, _ in seen if sender == "1"] == ["one", "two"]
    assert ("2", '/greet{"language":"en"}') in [(s, t) for s, t, _ in seen]
    assert len(seen) == 3 and all(mid.startswith("tg-") for _, _, mid in seen)
    assert [m.text for m in fake.messages_to(1)] == ["got one", "got two"]
    first_reply, second_reply = fake.messages_to(1)
    assert second_reply.rows == [["Yes"]] and first_reply.reply_markup is None  # one live keyboard
    assert fake.calls_of("deleteWebhook")
    assert OffsetStore(url).load() == last["update_id"] + 1  # persisted for restarts


def test_output_channel_raises_for_proactive_sends_that_fail():
    with FakeTelegramAPI(TOKEN) as fake:
        from telegram import Bot

        async def run() -> None:
            bot = Bot(TOKEN, base_url=fake.base_url)
            fake.server_errors = 10
            proactive = TelegramOutput(
                bot, "k", raise_on_failure=True, policy=RetryPolicy(attempts=2, base_delay=0.01)
            )
            with pytest.raises(RuntimeError, match="not delivered"):
                await proactive.send_text_message("5", "hello")
            reply = TelegramOutput(bot, "k", policy=RetryPolicy(attempts=2, base_delay=0.01))
            await reply.send_text_message("5", "hello")  # logged, not raised
            assert reply.failed == 1
            await bot.shutdown()

        asyncio.run(run())


def test_a_rasa_failure_gets_a_polite_retry_message_in_the_user_language(tmp_path):
    url = f"sqlite:///{tmp_path / 't.db'}"
    upgrade_database(url)
    with FakeTelegramAPI(TOKEN) as fake:
        config = TelegramConfig(
            token=TOKEN, poll_timeout=1, api_base_url=fake.base_url, database_url=url,
            secret_key="k",
        )  # fmt: skip

        async def broken_rasa(message) -> None:
            raise RuntimeError("database is down")

        async def run() -> None:
            channel = TelegramInput(config=config)
            channel.blueprint(broken_rasa)
            await channel.start()
            fake.user_says(5, "bonjour", "fr")
            deadline = time.monotonic() + 15
            while not fake.messages_to(5) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            await channel.stop()

        asyncio.run(run())
    assert [m.text for m in fake.messages_to(5)] == [
        "Désolé, je n'ai pas pu enregistrer cela pour le moment. Réessayez dans un instant."
    ]


def test_a_long_flood_wait_is_handed_back_to_the_follow_up_sender():
    """A proactive send does not sit out a flood wait longer than its HTTP request may last:
    it fails at once with the wait, in words the sender's transport reads as a rate limit."""
    from bot.outreach.transport import _RATE_LIMITED, _RETRY_IN

    with FakeTelegramAPI(TOKEN) as fake:
        from telegram import Bot

        async def run() -> None:
            bot = Bot(TOKEN, base_url=fake.base_url)
            fake.flood_errors, fake.flood_retry_after = 1, 600
            proactive = TelegramOutput(bot, "k", raise_on_failure=True)
            started = time.monotonic()
            with pytest.raises(RuntimeError) as raised:
                await proactive.send_text_message("5", "hello")
            assert time.monotonic() - started < 5  # not cut short to 20 or 60 s and retried
            message = str(raised.value)
            assert _RATE_LIMITED.search(message) and _RETRY_IN.search(message).group(1) == "600"
            assert "nothing sent" in message and fake.messages_to(5) == []
            fake.flood_errors, fake.flood_retry_after = 1, 1  # a short one is sat out here
            await proactive.send_text_message("5", "hello")
            assert [m.text for m in fake.messages_to(5)] == ["hello"]
            await bot.shutdown()

        asyncio.run(run())


def test_a_lost_rasa_lock_ticket_is_retried_not_answered_with_sorry(tmp_path):
    """Rasa's lock store can lose a ticket when the chat's previous message has just been
    handled by another process (LockError before anything is processed): try again."""
    from rasa.core.lock_store import LockError

    url = f"sqlite:///{tmp_path / 't.db'}"
    upgrade_database(url)
    calls: list[str] = []
    with FakeTelegramAPI(TOKEN) as fake:
        config = TelegramConfig(
            token=TOKEN, poll_timeout=1, api_base_url=fake.base_url, database_url=url,
            secret_key="k",
        )  # fmt: skip

        async def racing_rasa(message) -> None:
            calls.append(message.message_id)
            if len(calls) < 3:
                raise LockError("Could not acquire lock")
            await message.output_channel.send_text_message(message.sender_id, "Question 2")

        async def run() -> None:
            channel = TelegramInput(config=config)
            channel.blueprint(racing_rasa)
            await channel.start()
            fake.user_says(6, "1999")
            deadline = time.monotonic() + 15
            while not fake.messages_to(6) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            await channel.stop()

        asyncio.run(run())
    assert [m.text for m in fake.messages_to(6)] == ["Question 2"]
    assert len(calls) == 3 and len(set(calls)) == 1  # the same message id each time
