"""The trainee's choice about results: on by default (announced at consent), off with a word.

"no results", "pas de résultats", "sin resultados" (and close spellings) turn it off at any
point of a conversation, "send results", "envoyez les résultats", "enviar resultados" turn it
back on; the pending question, if any, is asked again.  Stored in
``feedback_choice``; the send skips trainees whose choice is off.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

from bot.i18n import t
from bot.i18n.languages import enabled_languages
from bot.storage.db import session_scope
from bot.storage.models import FeedbackChoice, utcnow

_NO_RESULTS = re.compile(
    r"^(?:no|stop|pas de|plus de|sin|no (?:quiero|mas))\s+(?:les\s+|los\s+)?"
    r"(?:results?|resultats?|resultados?)[.!]*$"
)


_RESULTS_AGAIN = re.compile(
    r"^(?:(?:please\s+)?send(?:\s+me)?(?:\s+the)?\s+results?(?:\s+please)?|results?\s+on"
    r"|envoye[rz](?:-moi|\s+moi)?\s+les\s+resultats?|resultats?\s+oui"
    r"|envia(?:r|dme|nme)?\s+(?:los\s+)?resultados?|envienme\s+(?:los\s+)?resultados?"
    r"|si\s+resultados?)[.!]*$"
)


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(ch for ch in folded if not unicodedata.combining(ch)).split())


def _words_in_every_language(key: str) -> set[str]:
    return {_plain(t(key, language)).strip(".!") for language in enabled_languages()}


def says_no_results(text: str | None) -> bool:
    """True for the opt-out words (``"Pas de résultats"``, an added language's
    ``words_no_results`` such as ``"sem resultados"`` → True)."""
    plain = _plain(text or "")
    return bool(plain) and (
        bool(_NO_RESULTS.match(plain))
        or plain.strip(".!") in _words_in_every_language("words_no_results")
    )


def says_results_again(text: str | None) -> bool:
    """True for the words that turn results back on (``"Envoyez les résultats"`` → True)."""
    plain = _plain(text or "")
    return bool(plain) and (
        bool(_RESULTS_AGAIN.match(plain))
        or plain.strip(".!") in _words_in_every_language("words_send_results")
    )


def results_choice_reply(
    database_url: str, trainee_id: int, text: str | None, language: str
) -> str | None:
    """Apply a results on/off word typed by the trainee; the confirmation, or None if ``text``
    is neither."""
    if says_no_results(text):
        return no_results_reply(database_url, trainee_id, language)
    if says_results_again(text):
        set_wants_results(database_url, trainee_id, True)
        return t("feedback_on", language)
    return None


def set_wants_results(database_url: str, trainee_id: int, wants: bool) -> None:
    """Record the trainee's choice (one row per trainee, updated in place)."""
    with session_scope(database_url) as session:
        row = session.get(FeedbackChoice, trainee_id)
        if row is None:
            session.add(FeedbackChoice(trainee_id=trainee_id, wants_results=wants))
        else:
            row.wants_results, row.decided_at = wants, utcnow()


def declined_results(database_url: str, trainee_ids: list[int]) -> set[int]:
    """Those of ``trainee_ids`` who turned the results off."""
    found: set[int] = set()
    with session_scope(database_url) as session:
        for start in range(0, len(trainee_ids), 900):
            found |= set(
                session.scalars(
                    select(FeedbackChoice.trainee_id).where(
                        FeedbackChoice.trainee_id.in_(trainee_ids[start : start + 900]),
                        FeedbackChoice.wants_results.is_(False),
                    )
                )
            )
    return found


def no_results_reply(database_url: str, trainee_id: int, language: str) -> str:
    """Turn the results off for the trainee; the confirmation to send, in ``language``."""
    set_wants_results(database_url, trainee_id, False)
    return t("feedback_off", language)
