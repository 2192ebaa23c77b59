"""Which of the portal's languages a short text people wrote is in, when its words say so.

A chat message has no language of its own (people write in whichever they like), yet a screen
reader on a Catalan page reads a Spanish message with a Catalan voice unless the message carries
``lang`` (WCAG 3.1.2). ``guess_language`` looks for words that only one of English, Spanish and
Catalan uses ("amb", "con", "with"…) and answers only when they clearly point one way; a short
or mixed text gets "" and keeps the page's language. ``WORDS`` is shared with the chat's script
(the panel hands it over as JSON), so the page and the live chat guess the same way.
"""

import re

WORDS = {
    "ca": (
        "i amb per els dels és aquest aquesta això aquí molt però també gràcies bon fins "
        "demà som estic tinc tenim fer puc podem avui setmana reunió dijous dimarts dimecres "
        "divendres dilluns perquè doncs encara ja vaig vam hem seva seu llavors avui"
    ).split(),
    "es": (
        "y con para los las es este esta esto aquí muy pero también gracias buenos hasta "
        "mañana somos estoy tengo tenemos hacer puedo podemos hoy semana reunión jueves martes "
        "miércoles viernes lunes porque pues todavía ya fui hemos su entonces"
    ).split(),
    "en": (
        "the and with for of to is are this that here very but also thanks good until "
        "tomorrow we am have do can today week meeting thursday tuesday wednesday friday "
        "monday because then still already was were our their"
    ).split(),
}
# A word both of two languages use is no evidence for either.
_COUNTS = {}
for _language, _words in WORDS.items():
    for _word in set(_words):
        _COUNTS[_word] = _COUNTS.get(_word, 0) + 1
WORDS = {
    language: sorted({word for word in words if _COUNTS[word] == 1})
    for language, words in WORDS.items()
}
_LOOKUP = {word: language for language, words in WORDS.items() for word in words}
_TOKEN = re.compile(r"[^\W\d_]+(?:['’·][^\W\d_]+)*")
MIN_HITS = 2


def guess_language(text):
    """ "ca", "es" or "en" when at least two of ``text``'s words are that language's alone and
    they outnumber the others' at least two to one; otherwise ""."""
    scores = dict.fromkeys(WORDS, 0)
    for token in _TOKEN.findall(text or ""):
        if token == "I":  # the English pronoun; a lower-case "i" is Catalan's "and"
            scores["en"] += 1
            continue
        language = _LOOKUP.get(token.lower())
        if language:
            scores[language] += 1
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, hits), (_second, others) = ranked[0], ranked[1]
    if hits >= MIN_HITS and hits >= 2 * others:
        return best
    return ""
