"""Ratings and frequencies typed in words (issue 24): negations are never stored as praise.

Each phrase has the rating a trainee means and whether it is negated. A reading counts as
right when it is stored at that rating or sent to confirmation; a negated phrase must never be
stored (or even proposed) as 4 or 5.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.answers import parse_answer
from bot.answers.rating_words import SATISFACTION
from tests.answers.helpers import choices, question

RATING = question("rating", min=1, max=5)
N = True  # negated

PHRASES: dict[str, list[tuple[str, int] | tuple[str, int, bool]]] = {
    "en": [
        ("very satisfied", 5),
        ("extremely happy with it", 5),
        ("really really good", 5),
        ("it was excellent", 5),
        ("absolutely amazing", 5),
        ("the best training ever", 5),
        ("i loved it", 5),
        ("super useful", 5),
        ("very helpful", 5),
        ("Perfect!", 5),
        ("satisfied", 4),
        ("quite satisfied", 4),
        ("fairly happy", 4),
        ("pretty good", 4),
        ("good", 4),
        ("it was useful", 4),
        ("i liked it", 4),
        ("mostly satisfied", 4),
        ("rather pleased", 4),
        ("helpful", 4),
        ("ok", 3),
        ("average", 3),
        ("so so", 3),
        ("neither good nor bad", 3),
        ("it was okay", 3),
        ("moderately satisfied", 3),
        ("neutral", 3),
        ("mixed feelings", 3),
        ("more or less", 3),
        ("in between", 3),
        ("bad", 2),
        ("dissatisfied", 2),
        ("disappointed", 2),
        ("poor", 2),
        ("unhappy with it", 2),
        ("very bad", 1),
        ("terrible", 1),
        ("totally useless", 1),
        ("a waste of time", 1),
        ("awful", 1),
        ("extremely dissatisfied", 1),
        ("the worst", 1),
        ("not satisfied", 2, N),
        ("not happy", 2, N),
        ("i am not satisfied", 2, N),
        ("not really satisfied", 2, N),
        ("not so good", 2, N),
        ("not that useful", 2, N),
        ("wasn't good", 2, N),
        ("i didn't like it", 2, N),
        ("not at all satisfied", 1, N),
        ("not useful at all", 1, N),
        ("not helpful at all", 1, N),
        ("not great", 2, N),
        ("not excellent", 3, N),
        ("not bad", 3, N),
        ("not terrible", 3, N),
        ("not completely satisfied", 3, N),
        ("not too happy", 2, N),
        ("never satisfied", 2, N),
        ("not really", 2, N),
        ("isnt very useful", 2, N),
        ("not at all", 1, N),
        ("no, not good", 2, N),
        ("not the best", 2, N),
        ("maybe good", 4),
        ("i think satisfied", 4),
        ("probably very good", 5),
        ("a bit disappointed", 2),
        ("kind of useful", 4),
        ("i guess it was ok", 3),
        ("satisfed", 4),
        ("verry good", 5),
        ("disapointed", 2),
        ("excelent", 5),
        ("not satisfyed", 2, N),
        ("usefull", 4),
        ("terible", 1),
        ("not usefull at all", 1, N),
    ],
    "fr": [
        ("très satisfait", 5),
        ("vraiment très bien", 5),
        ("excellente formation", 5),
        ("parfait", 5),
        ("super utile", 5),
        ("j'ai adoré", 5),
        ("extrêmement content", 5),
        ("génial", 5),
        ("c'était top", 5),
        ("vraiment géniale", 5),
        ("satisfait", 4),
        ("plutôt content", 4),
        ("assez satisfaite", 4),
        ("bien", 4),
        ("c'était bien", 4),
        ("utile", 4),
        ("j'ai aimé", 4),
        ("bonne formation", 4),
        ("globalement satisfait", 4),
        ("content", 4),
        ("moyen", 3),
        ("moyennement satisfaite", 3),
        ("ni bien ni mal", 3),
        ("comme ci comme ça", 3),
        ("correct", 3),
        ("plus ou moins", 3),
        ("neutre", 3),
        ("ça va", 3),
        ("entre les deux", 3),
        ("mitigé", 3),
        ("insatisfait", 2),
        ("déçu", 2),
        ("mauvais", 2),
        ("décevante", 2),
        ("mécontente", 2),
        ("très mauvais", 1),
        ("nul", 1),
        ("complètement inutile", 1),
        ("une perte de temps", 1),
        ("catastrophique", 1),
        ("très déçue", 1),
        ("pas satisfait", 2, N),
        ("je ne suis pas contente", 2, N),
        ("pas vraiment satisfaite", 2, N),
        ("pas très utile", 2, N),
        ("ce n'était pas bien", 2, N),
        ("pas si bien", 2, N),
        ("je n'ai pas aimé", 2, N),
        ("pas du tout utile", 1, N),
        ("pas satisfaite du tout", 1, N),
        ("absolument pas satisfait", 1, N),
        ("pas terrible", 2, N),
        ("pas mal", 3, N),
        ("pas mauvais", 3, N),
        ("pas tout à fait satisfait", 3, N),
        ("pas génial", 2, N),
        ("jamais satisfait", 2, N),
        ("pas vraiment", 2, N),
        ("pas trop utile", 2, N),
        ("pas du tout", 1, N),
        ("peu utile", 2, N),
        ("non, pas bien", 2, N),
        ("peut-être satisfait", 4),
        ("je pense que c'était bien", 4),
        ("un peu déçu", 2),
        ("je dirais très bien", 5),
        ("probablement moyen", 3),
        ("satisfai", 4),
        ("tres bienn", 5),
        ("insatisfai", 2),
        ("pas satisfai", 2, N),
        ("exellent", 5),
        ("decu", 2),
        ("pas utle", 2, N),
        ("nulle", 1),
    ],
    "es": [
        ("muy satisfecho", 5),
        ("muy contenta", 5),
        ("excelente", 5),
        ("perfecta", 5),
        ("me encantó", 5),
        ("súper útil", 5),
        ("buenísimo", 5),
        ("fue lo mejor", 5),
        ("realmente genial", 5),
        ("estupenda", 5),
        ("satisfecha", 4),
        ("bastante satisfecho", 4),
        ("bien", 4),
        ("bueno", 4),
        ("fue útil", 4),
        ("me gustó", 4),
        ("contento", 4),
        ("buena formación", 4),
        ("en general satisfecha", 4),
        ("conforme", 4),
        ("regular", 3),
        ("más o menos", 3),
        ("normal", 3),
        ("ni bien ni mal", 3),
        ("así así", 3),
        ("ni fu ni fa", 3),
        ("medianamente satisfecho", 3),
        ("intermedio", 3),
        ("ni satisfecha ni insatisfecha", 3),
        ("insatisfecho", 2),
        ("decepcionada", 2),
        ("malo", 2),
        ("mala", 2),
        ("descontento", 2),
        ("aburrido", 2),
        ("muy mala", 1),
        ("pésimo", 1),
        ("totalmente inútil", 1),
        ("una pérdida de tiempo", 1),
        ("fatal", 1),
        ("muy decepcionado", 1),
        ("no satisfecho", 2, N),
        ("no estoy contenta", 2, N),
        ("no muy satisfecho", 2, N),
        ("no tan bueno", 2, N),
        ("no fue útil", 2, N),
        ("no me gustó", 2, N),
        ("no realmente satisfecha", 2, N),
        ("poco útil", 2, N),
        ("nada satisfecha", 1, N),
        ("para nada útil", 1, N),
        ("no me gustó para nada", 1, N),
        ("no estoy nada contento", 1, N),
        ("no es malo", 3, N),
        ("no está mal", 3, N),
        ("no del todo satisfecho", 3, N),
        ("nunca satisfecho", 2, N),
        ("no mucho", 2, N),
        ("no excelente", 3, N),
        ("no fue tan útil", 2, N),
        ("en absoluto satisfecho", 1, N),
        ("creo que bien", 4),
        ("quizás satisfecho", 4),
        ("un poco decepcionada", 2),
        ("tal vez muy bueno", 5),
        ("supongo que regular", 3),
        ("satisfesho", 4),
        ("muy buenno", 5),
        ("insatisfesho", 2),
        ("no satisfesho", 2, N),
        ("exelente", 5),
        ("decepcionadoo", 2),
        ("inutil", 1),
    ],
}


def _outcome(text: str, language: str) -> tuple[str, int | None]:
    """("stored"/"confirm"/"reask", value)."""
    result = parse_answer(RATING, text, language)
    if result.ok:
        return "stored", result.value
    return ("confirm", result.value) if result.confirm else ("reask", None)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_each_language_has_sixty_phrases_written_for_the_issue(language):
    phrases = [p[0].casefold() for p in PHRASES[language]]
    assert len(set(phrases)) >= 60
    assert not {"not very good", "no muy bien", "pas du tout content"} & set(phrases)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_no_negated_phrase_is_stored_or_proposed_as_praise(language):
    praised = [
        (p[0], _outcome(p[0], language))
        for p in PHRASES[language]
        if len(p) == 3 and (_outcome(p[0], language)[1] or 0) >= 4
    ]
    assert praised == []


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_ninety_percent_are_stored_right_or_confirmed(language):
    wrong = []
    for phrase, intended, *_ in PHRASES[language]:
        how, value = _outcome(phrase, language)
        if not (how == "confirm" or (how == "stored" and value == intended)):
            wrong.append((phrase, intended, how, value))
    assert len(wrong) <= 0.1 * len(PHRASES[language]), wrong


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_words_are_never_stored_at_a_wrong_rating(language):
    stored_wrong = [
        (phrase, intended, value)
        for phrase, intended, *_ in PHRASES[language]
        for how, value in [_outcome(phrase, language)]
        if how == "stored" and value != intended
    ]
    assert stored_wrong == []


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_confirmations_propose_the_intended_rating_most_of_the_time(language):
    proposed = [
        (intended, value)
        for phrase, intended, *_ in PHRASES[language]
        for how, value in [_outcome(phrase, language)]
        if how == "confirm"
    ]
    assert sum(value == intended for intended, value in proposed) >= 0.6 * len(proposed)


def _read(text: str, language: str) -> int | None:
    """The rating stored or proposed for ``text``, else ``None``."""
    result = parse_answer(RATING, text, language)
    return result.value if result.ok or result.confirm else None


_VOCABULARY = sorted(SATISFACTION) + [
    "very",
    "really",
    "so",
    "quite",
    "fairly",
    "a bit",
    "tres",
    "vraiment",
    "assez",
    "plutot",
    "muy",
    "bastante",
    "super",
    "un peu",
    "un poco",
    "maybe",
    "je pense",
    "creo",
    "it was",
    "c'etait",
    "fue",
    "la formation",
    "the training",
    "5",
    "4",
    "five",
    "cinq",
    "cinco",
    "4/5",
    "★★★★★",
    "!",
    ",",
    "?",
    "and",
    "et",
    "y",
    "de",
    "of",
    "i am",
    "je suis",
    "estoy",
]
PHRASE = st.one_of(
    st.lists(st.sampled_from(_VOCABULARY), min_size=1, max_size=5).map(" ".join),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz éèà'!,.45", min_size=1, max_size=30),
)


@settings(max_examples=400, deadline=None, database=None)
@given(
    phrase=PHRASE,
    negation=st.sampled_from(["not", "pas", "no"]),
    language=st.sampled_from(["en", "fr", "es"]),
)
def test_a_negated_positive_phrase_is_never_read_as_4_or_more(phrase, negation, language):
    positive = _read(phrase, language)
    assume(positive is not None and positive >= 4)  # only praise; too few would fail health
    negated = _read(f"{negation} {phrase}", language)
    assert negated is None or negated < 4, (phrase, positive, negated)


SKILLS_USE = question(
    "choice",
    choices=choices(
        ("often", "Often", "Souvent", "A menudo"),
        ("sometimes", "Sometimes", "Parfois", "A veces"),
        ("never", "Never", "Jamais", "Nunca"),
    ),
)
FREQUENCIES: dict[str, list[tuple[str, str] | tuple[str, str, bool]]] = {
    "en": [
        ("all the time", "often"),
        ("every day", "often"),
        ("very often", "often"),
        ("quite often", "often"),
        ("a lot", "often"),
        ("from time to time", "sometimes"),
        ("occasionally", "sometimes"),
        ("once in a while", "sometimes"),
        ("rarely", "sometimes"),
        ("hardly ever", "never"),
        ("not often", "sometimes", N),
        ("not very often", "sometimes", N),
        ("not always", "sometimes", N),
        ("not at all", "never", N),
        ("i don't use it at all", "never", N),
        ("i never use it", "never", N),
        ("not much", "sometimes", N),
        ("maybe sometimes", "sometimes"),
        ("offten", "often"),
    ],
    "fr": [
        ("tout le temps", "often"),
        ("tous les jours", "often"),
        ("très souvent", "often"),
        ("régulièrement", "often"),
        ("de temps en temps", "sometimes"),
        ("quelquefois", "sometimes"),
        ("rarement", "sometimes"),
        ("presque jamais", "never"),
        ("pas souvent", "sometimes", N),
        ("pas très souvent", "sometimes", N),
        ("pas toujours", "sometimes", N),
        ("pas du tout", "never", N),
        ("je ne l'utilise jamais", "never", N),
        ("je ne m'en sers pas du tout", "never", N),
        ("pas beaucoup", "sometimes", N),
        ("peut-être parfois", "sometimes"),
        ("souvant", "often"),
    ],
    "es": [
        ("todo el tiempo", "often"),
        ("todos los días", "often"),
        ("muy seguido", "often"),
        ("con frecuencia", "often"),
        ("de vez en cuando", "sometimes"),
        ("algunas veces", "sometimes"),
        ("rara vez", "sometimes"),
        ("casi nunca", "never"),
        ("no a menudo", "sometimes", N),
        ("no muy seguido", "sometimes", N),
        ("no siempre", "sometimes", N),
        ("para nada", "never", N),
        ("no lo uso nunca", "never", N),
        ("no lo uso para nada", "never", N),
        ("no mucho", "sometimes", N),
        ("quizás a veces", "sometimes"),
        ("frecuentemente", "often"),
    ],
}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_frequencies_in_words_are_stored_right_or_confirmed_and_negations_never_often(language):
    wrong, praised = [], []
    for phrase, intended, *negated in FREQUENCIES[language]:
        result = parse_answer(SKILLS_USE, phrase, language)
        if negated and result.value == "often":
            praised.append(phrase)
        if not (result.confirm or (result.ok and result.value == intended)):
            wrong.append((phrase, intended, result.value))
    assert praised == []
    assert len(wrong) <= 0.1 * len(FREQUENCIES[language]), wrong


@pytest.mark.parametrize(
    ("language", "label"), [("en", "Often"), ("fr", "Jamais"), ("es", "A veces")]
)
def test_frequency_labels_and_buttons_are_stored_without_an_echo(language, label):
    typed = parse_answer(SKILLS_USE, label, language)
    tapped = parse_answer(SKILLS_USE, '/inform{"choice":"never"}', language)
    assert typed.ok and not typed.echo and tapped.value == "never" and not tapped.echo
