"""Filler words (en/fr/es) that carry no meaning when a reply is matched against choices.

One list for the two choice readers: label matching (:mod:`bot.answers.choices`) and free-text
descriptions (:mod:`bot.answers.understand`), which also drops a few more linking words.
"""

from __future__ import annotations

FILLER_WORDS = frozenset(
    """
    i im m am a an the it is was my me of and in on for so just s je j suis ai un une le la
    les l de du des c est etait et en ma mon moi yo soy una el los las lo del y es era mi
    estoy
    """.split()
)
"""Pronouns, articles, auxiliaries and particles of English, French and Spanish."""

LABEL_FILLER = FILLER_WORDS | {"he"}
"""What the label matcher leaves out of a reply."""

DESCRIPTION_FILLER = FILLER_WORDS | frozenset(
    """
    at to be been do did ve ll d this that some very really now still since because mes que qu
    au aux depuis parce car dans pour tres mis al porque desde muy por para con
    """.split()
)
"""What the description reader leaves out (linking words of a sentence, too)."""
