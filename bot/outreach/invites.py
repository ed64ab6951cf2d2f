"""Issue single-use invitation codes and write them, with links, to a CSV for mail-merge/SMS.

Only a keyed hash of each code is stored (as ``TracerStore._redeem`` expects), so the CSV is the
only place a code can be read: it is created owner-only (0600) before its first byte, its text
cells cannot run as spreadsheet formulas (bot/security/spreadsheet.py), it is never overwritten
without ``force``, and only after the database accepted the codes.  Re-running issues codes only
to trainees without an unused one, unless ``reissue`` (which invalidates the unused ones).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.outreach import queries
from bot.outreach.scope import Scope
from bot.security.crypto import Cipher, invite_code_hash, new_invite_code
from bot.security.private_files import open_private
from bot.security.spreadsheet import neutralise_row
from bot.storage.db import session_scope
from bot.storage.models import Contact, Invitation

CSV_COLUMNS = (
    "pseudo_id",
    "cohort_code",
    "trainee_ref",
    "name",
    "phone",
    "email",
    "language",
    "code",
    "telegram_link",
    "whatsapp_link",
    "web_link",
)
_PERSONAL = {"name": "name", "phone": "phone", "email": "email", "ref": "trainee_ref"}
_CHUNK = 900


class InviteError(RuntimeError):
    """Invitations cannot be issued (the message says why)."""


@dataclass
class InviteReport:
    """Counts of an invitation run (no personal data)."""

    issued: int = 0
    kept: int = 0
    joined: int = 0
    inactive: int = 0
    invalidated: int = 0
    telegram_links: bool = False


def code_hash(settings: Settings, code: str) -> str:
    """The stored form of an invitation code."""
    return invite_code_hash(settings.secret_key, code)


def telegram_link(settings: Settings, code: str) -> str:
    """Telegram deep link that starts the bot with the code ('' without a bot username)."""
    username = settings.telegram_bot_username.lstrip("@")
    return f"https://t.me/{username}?start={code}" if username else ""


def whatsapp_link(settings: Settings, code: str) -> str:
    """``wa.me`` link opening a chat with the business number, ``START <code>`` typed in ('' when
    ``WHATSAPP_INVITE_NUMBER`` is not set)."""
    number = "".join(ch for ch in settings.whatsapp_invite_number if ch.isdigit())
    return f"https://wa.me/{number}?text=START%20{code}" if number else ""


def web_link(settings: Settings, code: str) -> str:
    """Web chat link carrying the code."""
    return f"{settings.web_base_url.rstrip('/')}/webchat/?code={code}"


def _ids(session: Session, statement) -> set[int]:
    return {row[0] for row in session.execute(statement)}


def _personal_data(session: Session, cipher: Cipher, trainee_ids: list[int]) -> dict[int, dict]:
    found: dict[int, dict] = {}
    for start in range(0, len(trainee_ids), _CHUNK):
        rows = session.execute(
            select(Contact.trainee_id, Contact.channel, Contact.address_encrypted).where(
                Contact.trainee_id.in_(trainee_ids[start : start + _CHUNK]),
                Contact.channel.in_(list(_PERSONAL)),
            )
        )
        for trainee_id, channel, token in rows:
            found.setdefault(trainee_id, {})[_PERSONAL[channel]] = cipher.decrypt(token)
    return found


def _write_csv(path: Path, rows: list[dict]) -> None:
    """Owner-only from the first byte; names, refs, e-mails can never run as formulas."""
    with open_private(path, newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(neutralise_row(row) for row in rows)


def issue_invitations(
    settings: Settings,
    scope: Scope,
    out: Path,
    *,
    reissue: bool = False,
    force: bool = False,
) -> InviteReport:
    """Give each not-yet-joined active trainee in ``scope`` a code; write new codes to ``out``."""
    if out.exists() and not force:
        raise InviteError(
            f"{out} exists: it may hold codes already sent (use --force to overwrite it)"
        )
    report = InviteReport(telegram_links=bool(settings.telegram_bot_username))
    cipher = Cipher(settings.encryption_key)
    temporary = out.with_name(f".{out.name}.partial")
    try:
        if not _issue(settings, scope, cipher, report, temporary, reissue):
            return report
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    os.replace(temporary, out)
    return report


def _issue(
    settings: Settings,
    scope: Scope,
    cipher: Cipher,
    report: InviteReport,
    temporary: Path,
    reissue: bool,
) -> bool:
    """Store new codes and write them to ``temporary``; False when there was nothing to issue."""
    with session_scope(settings.database_url) as session:
        chosen, unused = _choose(session, scope, report, reissue)
        stale = [t[0] for t in chosen if t[0] in unused]
        for start in range(0, len(stale), _CHUNK):
            result = session.execute(
                delete(Invitation).where(
                    Invitation.trainee_id.in_(stale[start : start + _CHUNK]),
                    Invitation.used_at.is_(None),
                )
            )
            report.invalidated += result.rowcount
        personal = _personal_data(session, cipher, [t[0] for t in chosen])
        rows = _new_codes(session, settings, chosen, personal)
        report.issued = len(rows)
        if not rows:
            return False
        session.flush()
        _write_csv(temporary, rows)
    return True


def _choose(
    session: Session, scope: Scope, report: InviteReport, reissue: bool
) -> tuple[list[tuple[int, str, str | None, str]], set[int]]:
    """Trainees who get a new code (id, pseudo id, language, cohort code), and the ids of
    trainees holding an unused one; counts the others in ``report``."""
    if scope.programme and not queries.programme_exists(session, scope.programme):
        raise InviteError(f"unknown programme '{scope.programme}'")
    trainees = queries.trainees_in_scope(session, scope)
    if scope.cohort and not trainees:
        raise InviteError(f"no trainees in cohort '{scope.cohort}' of this programme")
    chat = queries.chat_linked(session)
    used, unused = queries.invited_ids(session)
    chosen = []
    for row in trainees:
        if row.status != "active":
            report.inactive += 1
        elif row.id in chat or row.id in used:
            report.joined += 1
        elif row.id in unused and not reissue:
            report.kept += 1
        else:
            chosen.append((row.id, row.pseudo_id, row.language, row.cohort_code))
    return chosen, unused


def _new_codes(
    session: Session, settings: Settings, chosen: list[tuple], personal: dict[int, dict]
) -> list[dict]:
    """A new code for each chosen trainee (stored as its hash); the rows of the CSV file."""
    rows = []
    for trainee_id, pseudo_id, language, cohort_code in chosen:
        code = new_invite_code()
        session.add(Invitation(trainee_id=trainee_id, code_hash=code_hash(settings, code)))
        rows.append(
            {
                "pseudo_id": pseudo_id,
                "cohort_code": cohort_code,
                "language": language or "",
                "code": code,
                "telegram_link": telegram_link(settings, code),
                "whatsapp_link": whatsapp_link(settings, code),
                "web_link": web_link(settings, code),
                **personal.get(trainee_id, {}),
            }
        )
    return rows
