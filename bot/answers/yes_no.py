"""Yes/no answers in English, French and Spanish ("yep", "ouais", "claro", "pas du tout")."""

from __future__ import annotations

from bot.answers.normalize import fold, precheck, words
from bot.answers.result import ParseResult, accept, reject

# Phrases are folded (lower case, no accents) with apostrophes split: "don't" → "don t".
_YES: frozenset[str] = frozenset(
    {
        "yes",
        "y",
        "yeah",
        "yea",
        "ya",
        "yah",
        "yep",
        "yup",
        "yes please",
        "sure",
        "of course",
        "ofc",
        "certainly",
        "definitely",
        "absolutely",
        "indeed",
        "correct",
        "right",
        "that s right",
        "true",
        "affirmative",
        "ok",
        "okay",
        "i did",
        "i have",
        "i was",
        "i do",
        "oui",
        "ouais",
        "ouai",
        "ouaip",
        "ouep",
        "bien sur",
        "biensur",
        "certainement",
        "absolument",
        "evidemment",
        "tout a fait",
        "exactement",
        "exact",
        "d accord",
        "effectivement",
        "carrement",
        "si",
        "vrai",
        "bien entendu",
        "claro",
        "claro que si",
        "por supuesto",
        "desde luego",
        "exacto",
        "efectivamente",
        "cierto",
        "asi es",
        "obvio",
        "sip",
        "simon",
        "de acuerdo",
        "vale",
        "correcto",
        "afirmativo",
        "por supuesto que si",
    }
)
_NO: frozenset[str] = frozenset(
    {
        "no",
        "n",
        "nope",
        "nah",
        "no way",
        "not really",
        "not at all",
        "never",
        "negative",
        "of course not",
        "certainly not",
        "definitely not",
        "absolutely not",
        "i didn t",
        "i did not",
        "i haven t",
        "i have not",
        "i wasn t",
        "i was not",
        "i don t",
        "i do not",
        "non",
        "nan",
        "pas du tout",
        "pas vraiment",
        "jamais",
        "aucunement",
        "absolument pas",
        "bien sur que non",
        "certainement pas",
        "non merci",
        "pas",
        "nenni",
        "nunca",
        "jamas",
        "para nada",
        "en absoluto",
        "de ninguna manera",
        "claro que no",
        "por supuesto que no",
        "tampoco",
        "nel",
        "negativo",
        "nada",
    }
)
_UNSURE: tuple[str, ...] = (
    "maybe",
    "perhaps",
    "not sure",
    "don t know",
    "dont know",
    "idk",
    "dunno",
    "no idea",
    "sometimes",
    "depends",
    "yes and no",
    "yes or no",
    "more or less",
    "peut etre",
    "sais pas",
    "chais pas",
    "pas sur",
    "pas sure",
    "aucune idee",
    "parfois",
    "ca depend",
    "oui et non",
    "oui ou non",
    "plus ou moins",
    "tal vez",
    "quizas",
    "quiza",
    "a lo mejor",
    "no se",
    "no lo se",
    "ni idea",
    "no estoy seguro",
    "no estoy segura",
    "puede ser",
    "a veces",
    "depende",
    "si y no",
    "si o no",
    "mas o menos",
)
_YES_CORE = frozenset({"yes", "yeah", "yep", "oui", "ouais", "si"})
_NO_CORE = frozenset({"no", "nope", "non", "nan"})
_PAYLOADS = {"yes": "yes", "affirm": "yes", "no": "no", "deny": "no"}
_YES_EMOJI = ("👍", "✅", "✔", "👌", "🙆")
_NO_EMOJI = ("👎", "❌", "✖", "🚫", "🙅")
_LONGEST_FIRST = sorted(
    [(p, "yes") for p in _YES] + [(p, "no") for p in _NO], key=lambda item: -len(item[0])
)


def _emoji(text: str) -> str | None:
    """``yes``/``no`` for a thumbs up/down style answer, else ``None``."""
    yes = any(e in text for e in _YES_EMOJI)
    no = any(e in text for e in _NO_EMOJI)
    return None if yes == no else ("yes" if yes else "no")


def parse_yes_no(text: str, language: str = "en") -> ParseResult:
    """``"yes"`` or ``"no"``; "maybe", "je ne sais pas" or a mixed answer is ``not_yes_no``.

    Every language's words are accepted whatever ``language`` is; button payloads
    ``yes``/``no`` and ``/affirm``/``/deny`` too.
    """
    cleaned, failure = precheck(text)
    if failure:
        return failure
    tokens = words(fold(cleaned))
    if cleaned.startswith("/") and tokens and tokens[0] in _PAYLOADS:
        return accept(_PAYLOADS[tokens[0]])
    if not tokens:
        emoji = _emoji(cleaned)
        return accept(emoji) if emoji else reject("not_yes_no")
    phrase = " ".join(tokens)
    padded = f" {phrase} "
    if any(f" {unsure} " in padded for unsure in _UNSURE):
        return reject("not_yes_no", unsure=True)
    for candidate, polarity in _LONGEST_FIRST:
        if phrase == candidate or phrase.startswith(candidate + " "):
            rest = set(phrase[len(candidate) :].split())
            if rest & (_NO_CORE if polarity == "yes" else _YES_CORE):
                return reject("not_yes_no", unsure=True)
            return accept(polarity)
    return reject("not_yes_no")
