"""Process-wide objects the actions share: settings, questionnaire, store, survey engine."""

from __future__ import annotations

import logging
from functools import lru_cache

from bot.config import get_settings
from bot.logging_filters import install_log_redaction
from bot.questionnaire.loader import default_questionnaire
from bot.storage.repository import TracerStore
from bot.survey.turn import SurveyTurn

install_log_redaction(logging.getLogger())


@lru_cache(maxsize=1)
def survey() -> SurveyTurn:
    """The survey engine of this action server (one store and questionnaire per process)."""
    settings = get_settings()
    return SurveyTurn(settings, default_questionnaire(), TracerStore(settings))
