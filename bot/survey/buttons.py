"""Button payloads that name the question and wave they answer, signed and stateless.

A button's payload is ``/inform{"button":"<wave>.<question>.<choice>.<tag>"}``:

* ``wave``: ``b`` (baseline), ``x`` (exit), ``f<months>`` (follow-up) or ``-`` (system steps
  such as consent or language, which belong to no wave);
* ``question`` and ``choice``: the codes themselves, or ``~`` + a 6-character digest when the
  payload would not otherwise fit Telegram's 64-byte callback data (WhatsApp reply ids allow 200+);
* ``tag``: an HMAC-SHA256 of the rest with the project secret, truncated to 8 characters.

Any process holding the secret and the questionnaire can read any tap: nothing is kept in
memory, so taps work across Rasa processes and restarts. A payload whose tag does not match
(forged, or signed with an older secret) reads as an invalid tap, never as an answer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import Iterable

from bot.questionnaire.waves import BASELINE, EXIT, followup_months_of, followup_wave_id

ENTITY = "button"
MAX_PAYLOAD_BYTES = 64  # Telegram's callback_data limit, the tightest of the channels
TAG_CHARS = 8
DIGEST_CHARS = 6
DIGEST_MARK = "~"
NO_WAVE = "-"
_PLAIN = re.compile(r"^[A-Za-z0-9_-]+$")


def _b64(raw: bytes, chars: int) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")[:chars]


def digest(code: str) -> str:
    """The short stand-in for a code too long to travel verbatim."""
    return DIGEST_MARK + _b64(hashlib.sha256(code.encode("utf-8")).digest(), DIGEST_CHARS)


def _tag(secret: str, body: str) -> str:
    mac = hmac.new(secret.encode(), f"tracer-button|{body}".encode(), "sha256")
    return _b64(mac.digest(), TAG_CHARS)


def wave_ref(wave: str | None) -> str:
    """``baseline`` → ``b``, ``exit`` → ``x``, ``followup_6`` → ``f6``, None → ``-``."""
    if wave is None:
        return NO_WAVE
    if wave == BASELINE:
        return "b"
    if wave == EXIT:
        return "x"
    months = followup_months_of(wave)
    if months is not None:
        return f"f{months}"
    raise ValueError(f"no button reference for wave {wave!r}")


def wave_of(ref: str) -> str | None:
    """The inverse of :func:`wave_ref`; raises ValueError for an unknown reference."""
    if ref == NO_WAVE:
        return None
    if ref == "b":
        return BASELINE
    if ref == "x":
        return EXIT
    if ref[:1] == "f" and ref[1:].isdigit():
        return followup_wave_id(int(ref[1:]))
    raise ValueError(f"unknown wave reference {ref!r}")


def _payload(intent: str, token: str) -> str:
    return f"/{intent}" + json.dumps({ENTITY: token}, separators=(",", ":"))


def button_payload(
    secret: str, wave: str | None, question: str, choice: str, intent: str = "inform"
) -> str:
    """The payload of the button that answers ``question`` (asked in ``wave``) with ``choice``;
    ``intent`` is ``inform`` for answers, ``skip`` for the Skip button."""
    wave_part = wave_ref(wave)
    plain_q = question if _PLAIN.match(question) else digest(question)
    plain_c = choice if _PLAIN.match(choice) else digest(choice)
    candidates = ((plain_q, plain_c), (plain_q, digest(choice)), (digest(question), plain_c))
    for q_part, c_part in (*candidates, (digest(question), digest(choice))):
        body = f"{wave_part}.{q_part}.{c_part}"
        payload = _payload(intent, f"{body}.{_tag(secret, body)}")
        if len(payload.encode("utf-8")) <= MAX_PAYLOAD_BYTES:
            return payload
    raise ValueError("button payload cannot fit")  # unreachable: digests are short


@dataclass(frozen=True)
class Tap:
    """A decoded button tap: which wave and question it was sent with, and the choice.

    ``valid`` is False for a token that is malformed or whose tag does not match; then the
    other fields are empty and the tap answers nothing.
    """

    valid: bool
    wave: str | None = None
    question_ref: str = ""
    choice_ref: str = ""

    def is_for(self, question_code: str) -> bool:
        """True when the tap was sent with the question ``question_code``."""
        return self.valid and self.question_ref in (question_code, digest(question_code))

    def question_among(self, codes: Iterable[str]) -> str | None:
        """The code, among ``codes``, of the question the tap was sent with."""
        found = [code for code in codes if self.is_for(code)]
        return found[0] if len(found) == 1 else None

    def choice_among(self, codes: Iterable[str]) -> str | None:
        """The choice code, among ``codes``, the tap stands for (None if none matches)."""
        if not self.valid:
            return None
        found = [c for c in codes if self.choice_ref in (c, digest(c))]
        return found[0] if len(found) == 1 else None


INVALID = Tap(valid=False)


def read_tap(secret: str, token: object) -> Tap | None:
    """The tap carried by a ``button`` entity value; None when there is no such entity."""
    if token is None:
        return None
    parts = str(token).split(".")
    if len(parts) != 4:
        return INVALID
    wave_part, q_part, c_part, tag = parts
    body = f"{wave_part}.{q_part}.{c_part}"
    if not hmac.compare_digest(tag.encode("utf-8"), _tag(secret, body).encode("utf-8")):
        return INVALID
    try:
        wave = wave_of(wave_part)
    except ValueError:
        return INVALID
    return Tap(valid=True, wave=wave, question_ref=q_part, choice_ref=c_part)
