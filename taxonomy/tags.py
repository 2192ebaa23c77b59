"""The offer/seek/need tags as one vocabulary in every language.

A tag's own name is its English name; ``TagTranslation`` holds the Spanish and Catalan ones.
What members type is read through ``canonical_names``: a name that is a known tag's name in
any language becomes that tag's name, so "voluntaris", "voluntarios" and "volunteers" are one
tag and matchmaking (which compares tags by identity) pairs them. A name nobody knows yet is
kept as typed and becomes a *proposed* tag (``taxonomy.services.tags_assign``): it stays on
what the member tagged, editors approve, merge or reject it (Taxonomies → Proposed tags), and
until then forms do not suggest it (``suggestions``) nor directories offer it as a filter
(``approved``).

``tag_label`` shows a tag in the active language. The translations are read once per
published-content generation from the page cache's memo (no SQL on a page that shows tags).
"""

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import get_language
from taggit.models import Tag

from core import pagecache

from .models import TagTranslation

MEMO_NAME = "taxonomy.tag_translations"


def _translations():
    proposed = TagTranslation.Status.PROPOSED
    return {
        row["tag_id"]: {
            "es": row["name_es"],
            "ca": row["name_ca"],
            "proposed": row["status"] == proposed,
        }
        for row in TagTranslation.objects.values("tag_id", "name_es", "name_ca", "status")
    }


def translations():
    """``{tag_id: {"es": name, "ca": name, "proposed": bool}}`` for every tag with a
    translation or review row (memoized)."""
    return pagecache.memo(MEMO_NAME, _translations)


def is_proposed(tag):
    """Whether ``tag`` is a member's proposal editors have not reviewed yet (no SQL)."""
    return bool((translations().get(tag.pk) or {}).get("proposed"))


def tag_label(tag, language=None):
    """``tag``'s name in ``language`` (the active one by default), else its own name."""
    return label_for(tag.pk, tag.name, language)


def label_for(tag_id, name, language=None):
    """The name of the tag ``tag_id`` (whose own name is ``name``) in ``language``."""
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    if language == settings.LANGUAGE_CODE:
        return name
    return (translations().get(tag_id) or {}).get(language) or name


def approved(queryset):
    """``queryset`` of tags without the proposed ones (for directory filters): no extra query."""
    return queryset.exclude(translation__status=TagTranslation.Status.PROPOSED)


def _vocabulary():
    rows = approved(Tag.objects.all()).values_list("pk", "name")
    return list(rows)


def suggestions(language=None):
    """The approved tags' names in ``language`` (the active one by default), sorted, for a tag
    field's list of suggestions (memoized with the published content)."""
    language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    names = {
        label_for(pk, name, language)
        for pk, name in pagecache.memo(MEMO_NAME + ".approved", _vocabulary)
    }
    return sorted(names, key=str.casefold)


def unknown_names(names):
    """Those of ``names`` (already ``canonical_names``) that no tag has yet (one query)."""
    lowered = {name.lower() for name in names}
    if not lowered:
        return []
    known = set(
        Tag.objects.annotate(n=Lower("name")).filter(n__in=lowered).values_list("n", flat=True)
    )
    return [name for name in names if name.lower() not in known]


def canonical_names(names):
    """``names`` as typed, each replaced by the known tag it names in any language (one query).

    Comparison ignores case; duplicates that turn out to be one tag are kept once.
    """
    typed = [name.strip() for name in names if name and name.strip()]
    if not typed:
        return []
    lowered = {name.lower() for name in typed}
    known = {}
    rows = (
        Tag.objects.annotate(
            n=Lower("name"), n_es=Lower("translation__name_es"), n_ca=Lower("translation__name_ca")
        )
        .filter(Q(n__in=lowered) | Q(n_es__in=lowered) | Q(n_ca__in=lowered))
        .values_list("name", "n", "n_es", "n_ca")
        .order_by("pk")
    )
    for name, *variants in rows:
        for variant in variants:
            # The tag's own name wins over another tag's translation of the same words.
            if variant and (variant not in known or variant == variants[0]):
                known[variant] = name
    result = []
    for name in typed:
        canonical = known.get(name.lower(), name)
        if canonical.lower() not in {r.lower() for r in result}:
            result.append(canonical)
    return result


def tags_changed():
    """Call after editing a tag's translations: pages showing tags are rendered afresh."""
    pagecache.cache_invalidate()
