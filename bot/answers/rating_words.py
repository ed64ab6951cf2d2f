"""The words of rating and frequency answers, in English, French and Spanish: data only.

Everything is folded (lower case, no accents; apostrophes split words: "didn't" → "didn t",
"n'est" → "n est"). ``bot/answers/scales.py`` reads a phrase with these tables:

- a *head* carries a score from -2 to +2 ("satisfied" +1, "excellent" +2, "so so" 0, "bof" -0.5);
- a *negator* turns a positive head into ``target`` (``"not"`` → -1, "pas du tout" → -2) and a
  negative head into an unsure 0; ``sure`` False sends the result to confirmation;
- a *strengthener* ("at all", "du tout", "nada") makes a negation total;
- a *modifier* changes the next head: ``very`` doubles it, ``total`` too (but after a negator it
  means "not completely": an unsure 0), ``moderate`` keeps it, ``down`` ("a bit") keeps it but
  asks for confirmation, ``middle`` ("moderately") makes it 0;
- a *hedge* ("maybe", "je pense", "creo") anywhere sends the result to confirmation;
- a *balance* word ("neither", "ni") with heads of both signs means the middle of the scale.

A phrase is matched longest first, so a phrase entry (an idiom such as "pas terrible") wins
over its words. A word listed both as a modifier and as a head ("super", "bien", "medio") is a
modifier when a head follows it.
"""

from __future__ import annotations

from typing import Iterable


def _scored(*groups: tuple[float, Iterable[str]]) -> dict[str, float]:
    """Phrase → score from ``(score, phrases)`` groups."""
    return {phrase: score for score, phrases in groups for phrase in phrases}


SATISFACTION: dict[str, float] = _scored(
    (2, (
        # en
        "excellent", "great", "amazing", "awesome", "perfect", "outstanding", "fantastic",
        "wonderful", "brilliant", "superb", "incredible", "exceptional", "delighted",
        "thrilled", "love", "loved", "the best", "best", "terrific", "marvellous", "marvelous",
        # fr
        "excellente", "excellents", "parfait", "parfaite", "genial", "geniale", "geniaux",
        "formidable", "magnifique", "extraordinaire", "incroyable", "ravi", "ravie",
        "adore", "top", "super", "le meilleur", "la meilleure", "merveilleux", "fantastique",
        "enchante", "enchantee",
        # es
        "excelente", "perfecto", "perfecta", "fantastico", "fantastica", "maravilloso",
        "maravillosa", "increible", "estupendo", "estupenda", "buenisimo", "buenisima",
        "encanto", "encanta", "encantado", "encantada", "lo mejor", "el mejor", "la mejor",
        "genial", "espectacular",
    )),
    (1, (
        # en
        "satisfied", "happy", "pleased", "content", "glad", "good", "useful", "helpful",
        "valuable", "like", "liked", "enjoyed", "positive", "worth it", "worthwhile",
        # fr
        "satisfait", "satisfaite", "satisfaits", "satisfaites", "contente", "contents",
        "heureux", "heureuse", "bien", "bon", "bonne", "utile", "utiles", "aime", "positif",
        "positive", "apprecie", "interessant", "interessante",
        # es
        "satisfecho", "satisfecha", "satisfechos", "satisfechas", "contento", "contenta",
        "feliz", "bueno", "buena", "buen", "util", "utiles", "gusto", "gusta", "conforme",
        "valioso", "valiosa", "provechoso", "positivo", "positiva", "interesante",
    )),
    (0.5, ("fine", "decent", "alright", "all right", "not too bad", "pas si mal")),
    (0, (
        # en
        "neutral", "average", "ok", "okay", "so so", "medium", "fair", "mixed", "in between",
        "more or less", "middle", "moderate",
        # fr
        "neutre", "moyen", "moyenne", "correct", "correcte", "comme ci comme ca", "ca va",
        "plus ou moins", "entre les deux", "mitige", "mitigee",
        # es
        "regular", "normal", "mas o menos", "asi asi", "medio", "intermedio", "ni fu ni fa",
    )),
    (-0.5, ("meh", "bof", "passable", "so and so")),
    (-1, (
        # en
        "dissatisfied", "unsatisfied", "unhappy", "disappointed", "disappointing", "bad",
        "poor", "weak", "mediocre", "unhelpful", "boring", "disliked", "complain",
        # fr
        "insatisfait", "insatisfaite", "insatisfaits", "mecontent", "mecontente", "decu",
        "decue", "decevant", "decevante", "mauvais", "mauvaise", "mal", "faible", "ennuyeux",
        "pas terrible",
        # es
        "insatisfecho", "insatisfecha", "descontento", "descontenta", "decepcionado",
        "decepcionada", "malo", "mala", "aburrido", "aburrida", "flojo", "floja", "pobre",
    )),
    (-2, (
        # en
        "terrible", "awful", "horrible", "useless", "the worst", "worst", "hate", "hated",
        "rubbish", "waste of time", "pathetic", "disaster", "disastrous", "worthless",
        # fr
        "nul", "nulle", "inutile", "affreux", "affreuse", "catastrophique", "le pire",
        "la pire", "perte de temps", "deplorable", "lamentable", "deteste", "horrible",
        # es
        "pesimo", "pesima", "inutil", "fatal", "malisimo", "malisima", "lo peor", "el peor",
        "la peor", "perdida de tiempo", "desastre", "odio", "horrible",
    )),
)
"""How satisfied or how useful: 1–5 ratings (and any other rating scale)."""

FREQUENCY: dict[str, float] = _scored(
    (2, (
        "always", "all the time", "every day", "everyday", "daily", "constantly",
        "all day", "every time", "continually",
        "toujours", "tout le temps", "tous les jours", "constamment", "chaque jour",
        "siempre", "todo el tiempo", "todos los dias", "a diario", "diariamente",
        "constantemente", "cada dia",
    )),
    (1.5, ("mostly", "most of the time", "usually", "almost always", "nearly always",
           "presque toujours", "la plupart du temps", "casi siempre", "la mayoria del tiempo")),
    (1, (
        "often", "frequently", "regularly", "a lot", "much", "many times", "lots",
        "souvent", "frequemment", "regulierement", "beaucoup",
        "a menudo", "seguido", "frecuentemente", "con frecuencia", "mucho",
        "regularmente", "muchas veces", "bastante",
    )),
    (0, (
        "sometimes", "occasionally", "from time to time", "now and then",
        "now and again", "once in a while", "at times", "some days",
        "parfois", "quelquefois", "de temps en temps", "de temps a autre", "des fois",
        "a veces", "de vez en cuando", "algunas veces", "ocasionalmente", "algunos dias",
    )),
    (-1, (
        "rarely", "seldom", "little", "not much", "hardly", "barely", "a little",
        "rarement", "peu", "un peu", "pas beaucoup",
        "rara vez", "raramente", "pocas veces", "poco", "un poco", "casi no",
    )),
    (-1.5, ("hardly ever", "almost never", "nearly never", "barely ever", "presque jamais",
            "quasiment jamais", "casi nunca")),
    (-2, ("never", "not at all", "jamais", "pas du tout", "nunca", "jamas", "para nada",
          "en absoluto", "nada")),
)
"""How often: frequency choices whose codes are in :data:`FREQUENCY_CODES`."""

FREQUENCY_CODES: dict[str, float] = {
    "always": 2, "very_often": 2, "often": 1, "sometimes": 0, "rarely": -1, "never": -2,
}
"""Choice code → score: a choice question whose codes are all here is a frequency scale."""

NEGATORS: dict[str, tuple[float, bool]] = {
    **dict.fromkeys((
        "not", "no", "never", "t", "dont", "didnt", "doesnt", "isnt", "wasnt", "arent",
        "werent", "cant", "cannot", "couldnt", "wouldnt", "wont", "havent", "hasnt", "aint",
        "hardly", "barely", "nor",
        "pas", "ne", "n", "jamais", "guere", "peu",
        "nunca", "jamas", "tampoco", "poco",
    ), (-1, True)),
    **dict.fromkeys((
        "not at all", "absolutely not", "not in the least", "in no way", "by no means",
        "pas du tout", "absolument pas", "nullement", "aucunement", "en rien",
        "nada", "para nada", "en absoluto", "en lo absoluto", "de ninguna manera",
    ), (-2, True)),
    **dict.fromkeys(("very little", "tres peu", "bien peu", "muy poco"), (-2, False)),
}
"""Negating words and phrases → (score given to a positive head, sure)."""

STRENGTHENERS: frozenset[str] = frozenset({
    "at all", "whatsoever", "du tout", "en rien", "nada", "para nada", "en absoluto",
    "en lo absoluto",
})
"""Words that make a negation in the same clause total ("not useful at all")."""

MODIFIERS: dict[str, str] = {
    **dict.fromkeys((
        "very", "really", "so", "extremely", "super", "truly", "incredibly", "highly",
        "too", "most", "deeply", "hugely", "immensely", "soo", "sooo", "that", "verry",
        "tres", "vraiment", "extremement", "trop", "hyper", "tellement", "fort",
        "vachement", "super", "bien",
        "muy", "realmente", "sumamente", "extremadamente", "tan", "re", "mega", "super",
        "bien", "mucho", "tanto", "demasiado",
    ), "very"),
    **dict.fromkeys((
        "completely", "fully", "entirely", "totally", "absolutely", "perfectly",
        "one hundred percent", "100",
        "completement", "totalement", "entierement", "tout a fait", "parfaitement",
        "pleinement",
        "del todo", "totalmente", "completamente", "enteramente", "plenamente",
    ), "total"),
    **dict.fromkeys((
        "fairly", "rather", "pretty", "quite", "reasonably", "relatively", "mostly", "generally",
        "assez", "plutot", "relativement", "globalement", "dans l ensemble",
        "bastante", "relativamente", "en general", "mas bien",
    ), "moderate"),
    **dict.fromkeys((
        "a bit", "a little", "slightly", "somewhat", "a little bit",
        "un peu", "legerement", "un petit peu",
        "un poco", "algo", "ligeramente", "un poquito",
    ), "down"),
    **dict.fromkeys((
        "moderately", "half", "moyennement", "a moitie", "medianamente", "medio",
        "a medias",
    ), "middle"),
}
"""Words that change the next head (see the module docstring for the kinds)."""

HEDGES: frozenset[str] = frozenset({
    "maybe", "perhaps", "probably", "i think", "i guess", "i suppose", "kind of", "sort of",
    "kinda", "sorta", "i would say", "id say", "not sure", "i believe",
    "peut etre", "probablement", "je pense", "je crois", "je dirais", "disons", "pas sur",
    "pas sure", "sans doute",
    "tal vez", "quizas", "quiza", "a lo mejor", "creo", "creo que", "supongo", "diria",
    "probablemente", "puede que", "no se", "no estoy seguro", "no estoy segura",
})
"""Words that make a reading uncertain, so the trainee confirms it."""

BALANCE: frozenset[str] = frozenset({"neither", "ni"})
""""Neither X nor Y": with heads of both signs, the middle of the scale."""

CLAUSE_BREAKS: frozenset[str] = frozenset({
    "but", "though", "although", "however", "yet",
    "mais", "cependant", "pourtant", "sauf",
    "pero", "aunque", "sin embargo", "sino",
})
"""Words that start a new clause: a negation does not reach across them."""
