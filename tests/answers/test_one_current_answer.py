"""One current answer per (trainee, wave, question): the database refuses a second one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.config import load_settings
from bot.security.crypto import keyed_hash, new_pseudo_id
from bot.storage.db import session_scope
from bot.storage.migrate import upgrade_database
from bot.storage.models import Answer, Invitation, Trainee
from bot.storage.repository import TracerStore


def _store(tmp_path: Path) -> TracerStore:
    url = f"sqlite:///{tmp_path / 't.db'}"
    upgrade_database(url)
    return TracerStore(
        load_settings(
            {
                "TRACER_ENV_FILE": str(tmp_path / "none.env"),
                "TRACER_SECRET_KEY": "k",
                "TRACER_DATABASE_URL": url,
                "TRACER_ENCRYPTION_KEY": "M2R0ZXN0a2V5LXRlc3RrZXktdGVzdGtleS10ZXN0a2U=",
            }
        )
    )


def _current(store: TracerStore, trainee_id: int, code: str) -> int:
    with session_scope(store.url) as session:
        return session.execute(
            select(func.count())
            .select_from(Answer)
            .where(
                Answer.trainee_id == trainee_id,
                Answer.question_code == code,
                Answer.is_current.is_(True),
            )
        ).scalar_one()


def test_the_database_refuses_a_second_current_answer(tmp_path):
    store = _store(tmp_path)
    trainee = store.register_consent("chat-1", "rest", "en")
    store.store_answer(
        trainee.id, "baseline", "bl_sex", "female", raw_text=None, source_message_id="m1"
    )
    store.store_answer(
        trainee.id, "baseline", "bl_sex", "male", raw_text=None, source_message_id="m2"
    )  # a correction supersedes
    assert _current(store, trainee.id, "bl_sex") == 1
    with pytest.raises(IntegrityError), session_scope(store.url) as session:
        session.add(
            Answer(
                trainee_id=trainee.id,
                wave="baseline",
                question_code="bl_sex",
                value_json="female",
                source_message_id="m3",
                is_current=True,
            )
        )


def test_merging_a_chat_into_its_invited_record_keeps_one_current_answer(tmp_path):
    store = _store(tmp_path)
    with session_scope(store.url) as session:
        invited = Trainee(pseudo_id=new_pseudo_id(), status="active")
        session.add(invited)
        session.flush()
        invited_id = invited.id
        session.add(
            Invitation(
                trainee_id=invited_id,
                code_hash=keyed_hash(store.settings.secret_key, "ABCDEFGHJK", purpose="invite"),
            )
        )
    store.store_answer(
        invited_id, "baseline", "bl_sex", "female", raw_text=None, source_message_id="old"
    )
    chat = store.register_consent("chat-2", "rest", "en")
    store.store_answer(
        chat.id, "baseline", "bl_sex", "male", raw_text=None, source_message_id="new"
    )
    assert store.redeem_invite(chat.id, "ABCDEFGHJK", "rest", "chat-2")
    assert _current(store, invited_id, "bl_sex") == 1
    values = store.current_answers(invited_id)["baseline"]
    assert values["bl_sex"].value == "male"  # the chat's answer is the newer one


def test_the_migration_keeps_the_newest_of_duplicate_current_answers(tmp_path):
    from sqlalchemy import text

    from bot.storage.db import engine_for

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade_database(url, "0004")
    with engine_for(url).begin() as connection:
        trainee = (
            "INSERT INTO trainee (id, pseudo_id, status, created_at) "
            "VALUES (1, 'p', 'active', '2026-01-01')"
        )
        connection.execute(text(trainee))
        for answer_id, value in ((1, '"female"'), (2, '"male"')):
            connection.execute(
                text(
                    "INSERT INTO answer (id, trainee_id, wave, question_code, status, value_json, "
                    "source_message_id, answered_at, is_current) VALUES "
                    f"({answer_id}, 1, 'baseline', 'bl_sex', 'answered', '{value}', "
                    f"'m{answer_id}', "
                    "'2026-01-01', 1)"
                )
            )
    upgrade_database(url)
    with engine_for(url).connect() as connection:
        rows = connection.execute(text("SELECT id, is_current FROM answer ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(1, 0), (2, 1)]  # history kept, newest current
