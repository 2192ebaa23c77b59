"""A safe, accent- and case-insensitive highlighter for search results.

Wagtail's database backend does not return highlights, so results are marked here: the text is
folded (accents stripped, case folded) character by character while remembering where each
folded character came from, the query's terms are found in the folded text, and the matching
spans of the *original* text are wrapped in ``<mark>``. Everything else is HTML-escaped, so
page content can never inject markup.
"""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

MIN_TERM_LENGTH = 2


def fold(text):
    """``text`` without accents, case-folded: "Formación" -> "formacion"."""
    return _fold_with_map(text)[0]


def _fold_with_map(text):
    folded, origin = [], []
    for index, char in enumerate(text):
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        for c in base:
            folded.append(c)
            origin.append(index)
    return "".join(folded), origin


def query_terms(query):
    """The words of a query, folded, longest first, without duplicates or one-letter words."""
    words = {fold(word) for word in re.findall(r"\w+", query or "")}
    return sorted((w for w in words if len(w) >= MIN_TERM_LENGTH), key=len, reverse=True)


def _spans(text, terms):
    folded, origin = _fold_with_map(text)
    spans = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            end = start + len(term)
            spans.append((origin[start], origin[end - 1] + 1))
            start = folded.find(term, end)
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def has_match(text, terms):
    return bool(text) and bool(terms) and bool(_spans(text, terms))


def highlight(text, terms, max_length=None):
    """Escape ``text`` and wrap each occurrence of ``terms`` in ``<mark>``.

    With ``max_length``, return an excerpt of about that many characters around the first match
    (or the start of the text), with an ellipsis where it was cut.
    """
    text = " ".join((text or "").split())
    spans = _spans(text, terms) if terms else []
    start, end = 0, len(text)
    if max_length and len(text) > max_length:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - max_length // 4, len(text) - max_length))
        if start:
            # Begin at a word boundary.
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = min(len(text), start + max_length)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
    parts = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts.append(escape(text[position:span_start]))
        parts.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append("…")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
