"""Console accounts: create, list, assign programmes, disable; shared by CLI and admin pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from bot.console.passwords import hash_password
from bot.storage.console_models import ROLES, ConsoleAssignment, ConsoleSession, ConsoleUser
from bot.storage.db import session_scope
from bot.storage.models import Programme

LANGUAGES = ("en", "fr", "es")


class AccountError(ValueError):
    """A user request that cannot be done; the message says why."""


@dataclass(frozen=True)
class Account:
    """What pages and commands need to know about a user."""

    id: int
    username: str
    role: str
    language: str
    disabled: bool
    programmes: tuple[str, ...]


def _account(session, user: ConsoleUser) -> Account:
    codes = session.execute(
        select(Programme.code)
        .join(ConsoleAssignment, ConsoleAssignment.programme_id == Programme.id)
        .where(ConsoleAssignment.user_id == user.id)
        .order_by(Programme.code)
    ).scalars()
    return Account(
        user.id, user.username, user.role, user.language or "en", bool(user.disabled), tuple(codes)
    )


def add_user(url: str, username: str, password: str, role: str, language: str = "en") -> Account:
    """Create an account; AccountError for a bad role, name or a taken username."""
    username = username.strip()
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if (
        not username
        or len(username) > 64
        or not username.replace(".", "")
        .replace("_", "")
        .replace("-", "")
        .replace("@", "")
        .isalnum()
    ):
        raise AccountError("a username is 1-64 letters, digits, '.', '_', '-' or '@'")
    if language not in LANGUAGES:
        raise AccountError(f"language must be one of {', '.join(LANGUAGES)}")
    try:
        with session_scope(url) as session:
            user = ConsoleUser(
                username=username,
                password_hash=hash_password(password),
                role=role,
                language=language,
                disabled=False,
            )
            session.add(user)
            session.flush()
            return _account(session, user)
    except IntegrityError:
        raise AccountError(f"the username '{username}' is taken") from None
    except ValueError as error:
        raise AccountError(str(error)) from None


def find(url: str, *, username: str | None = None, user_id: int | None = None) -> Account | None:
    """One account by name or id, or None."""
    statement = select(ConsoleUser)
    if username is not None:
        statement = statement.where(ConsoleUser.username == username)
    else:
        statement = statement.where(ConsoleUser.id == user_id)
    with session_scope(url) as session:
        user = session.execute(statement).scalar_one_or_none()
        return _account(session, user) if user else None


def password_hash_of(url: str, username: str) -> tuple[int, str] | None:
    """(id, hash) of an enabled account, for logging in."""
    with session_scope(url) as session:
        row = session.execute(
            select(ConsoleUser.id, ConsoleUser.password_hash).where(
                ConsoleUser.username == username, ConsoleUser.disabled.is_(False)
            )
        ).first()
        return (row[0], row[1]) if row else None


def list_users(url: str) -> list[Account]:
    """Every account, by username."""
    with session_scope(url) as session:
        users = session.execute(select(ConsoleUser).order_by(ConsoleUser.username)).scalars()
        return [_account(session, user) for user in users]


def _user(session, username: str) -> ConsoleUser:
    user = session.execute(
        select(ConsoleUser).where(ConsoleUser.username == username)
    ).scalar_one_or_none()
    if user is None:
        raise AccountError(f"no user '{username}'")
    return user


def assign(url: str, username: str, programme_code: str, *, remove: bool = False) -> Account:
    """Give (or take back) a programme to an officer or researcher."""
    with session_scope(url) as session:
        user = _user(session, username)
        programme_id = session.execute(
            select(Programme.id).where(Programme.code == programme_code)
        ).scalar_one_or_none()
        if programme_id is None:
            raise AccountError(f"no programme '{programme_code}'")
        session.execute(
            delete(ConsoleAssignment).where(
                ConsoleAssignment.user_id == user.id,
                ConsoleAssignment.programme_id == programme_id,
            )
        )
        if not remove:
            session.add(ConsoleAssignment(user_id=user.id, programme_id=programme_id))
        session.flush()
        return _account(session, user)


def set_disabled(url: str, username: str, disabled: bool = True) -> Account:
    """Disable (or enable) an account; disabling ends its sessions at once."""
    with session_scope(url) as session:
        user = _user(session, username)
        user.disabled = disabled
        if disabled:
            session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
        session.flush()
        return _account(session, user)


def set_language(url: str, user_id: int, language: str) -> None:
    """Store the interface language an account chose."""
    if language not in LANGUAGES:
        raise AccountError(f"language must be one of {', '.join(LANGUAGES)}")
    with session_scope(url) as session:
        user = session.get(ConsoleUser, user_id)
        if user is not None:
            user.language = language
