"""Process-wide objects the actions share: settings, questionnaire, store, survey engine."""

from __future__ import annotations

import logging
from functools import lru_cache

from bot.answers.understand import train_readers
from bot.config import get_settings
from bot.logging_filters import install_log_redaction
from bot.occupations.isco import default_index
from bot.questionnaire.loader import default_questionnaire
from bot.storage.repository import TracerStore
from bot.survey.turn import SurveyTurn

install_log_redaction(logging.getLogger())


@lru_cache(maxsize=1)
def survey() -> SurveyTurn:
    """The survey engine of this action server (one store and questionnaire per process)."""
    settings = get_settings()
    questionnaire = default_questionnaire()
    # Free-text choice readers and the ISCO-08 index are built once, here, not mid-conversation.
    train_readers(q.choices for q in questionnaire.questions if q.type == "choice")
    default_index()
    return SurveyTurn(settings, questionnaire, TracerStore(settings))
