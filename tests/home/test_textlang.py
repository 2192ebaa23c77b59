"""Guessing the language of a chat message from the words only one language uses."""

import pytest

from core.textlang import WORDS, guess_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bon dia! Demà tenim reunió amb la Marta i el Joan.", "ca"),
        ("Buenos días, mañana tenemos reunión con Marta y Juan.", "es"),
        ("Good morning, we have a meeting with Marta and Joan tomorrow.", "en"),
        ("I think so", ""),  # one word is not enough
        ("ok", ""),
        ("👍", ""),
        ("", ""),
        ("https://example.org/1234", ""),
        # Mixed: neither outnumbers the other two to one.
        ("Gràcies per tot, thanks for everything and amb molt afecte", ""),
    ],
)
def test_guess(text, expected):
    assert guess_language(text) == expected


def test_no_word_belongs_to_two_languages():
    seen = {}
    for language, words in WORDS.items():
        for word in words:
            assert word not in seen, (word, seen.get(word), language)
            seen[word] = language
