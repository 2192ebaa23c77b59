"""Search over the published site: projects, partners and standard pages.

Only live, public pages are searched (``live().public()`` before the search), so drafts and
pages behind a view restriction never appear, whatever the index holds.
"""

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page

from core.results import KeptResults
from home.models import StandardPage
from knowledge.models import KnowledgeItemPage
from partners.models import PartnerPage
from projects.models import ProjectPage

from .highlight import has_match, highlight, query_terms

# The type filter's values, in the order the form shows them.
SEARCH_TYPES = {
    "projects": (ProjectPage, _("Projects")),
    "partners": (PartnerPage, _("Partners")),
    "knowledge": (KnowledgeItemPage, _("Knowledge")),
    "pages": (StandardPage, _("Pages")),
}
EXCERPT_LENGTH = 220


def search_pages(*, query, types=None):
    """Search results (lazy, sliceable, countable) of the chosen types, best first.

    The ranked list is kept until the next publish (``KeptResults``): ranking reads every
    match, and a call for projects sends many visitors to the same few searches.
    """
    names = sorted({name for name in (types or SEARCH_TYPES) if name in SEARCH_TYPES})
    models = [SEARCH_TYPES[name][0] for name in names]
    visible = Page.objects.live().public()
    results = visible.type(*models).search(query, operator="and", order_by_relevance=True)
    return KeptResults(f"search:{','.join(names)}:{query}", results, visible.specific())


def promoted_results(*, query):
    """Editors' promoted results for this query: live pages or external links, in their order.

    Also counts the search in Wagtail's query statistics, which editors use to choose what to
    promote ("Promoted search results" in the admin).
    """
    if not query.strip():
        return []
    search_query = Query.get(query)
    search_query.add_hit()
    promotions = list(
        SearchPromotion.objects.filter(query=search_query)
        .select_related("page")
        .order_by("sort_order")
    )
    # Each promoted page as the reader's language has it (its translation where there is one),
    # as its own type, so the template can mark a title still in another language with its lang.
    ids = [promotion.page_id for promotion in promotions if promotion.page_id]
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    for promotion in promotions:
        if promotion.page_id in pages:
            promotion.page = pages[promotion.page_id].localized
    return [p for p in promotions if p.page is None or (p.page.live and p.page.url)]


def _stream_text(stream):
    """The words of a StreamField, read from its raw JSON (no image or page lookups)."""
    texts = []

    def walk(block_type, value):
        if isinstance(value, str):
            if block_type in ("paragraph", "text", "caption", "title", "attribution", "label"):
                texts.append(strip_tags(value))
        elif isinstance(value, dict):
            for key, child in value.items():
                walk(key, child)
        elif isinstance(value, list):
            for child in value:
                if isinstance(child, dict) and "type" in child and "value" in child:
                    walk(child["type"], child["value"])
                else:
                    walk(block_type, child)

    walk(None, list(stream.raw_data) if stream is not None else [])
    return " ".join(texts)


def _excerpt_sources(page):
    for name in ("summary", "intro", "search_description"):
        value = getattr(page, name, "")
        if value:
            yield strip_tags(str(value))
    for name in ("body", "description"):
        stream = getattr(page, name, None)
        if stream is not None and hasattr(stream, "raw_data"):
            yield _stream_text(stream)


def present(results, *, query):
    """Turn a page of results into what the template shows: type, highlighted title, excerpt."""
    terms = query_terms(query)
    labels = dict(SEARCH_TYPES.values())
    presented = []
    for page in results:
        sources = [text for text in _excerpt_sources(page) if text]
        matching = next((text for text in sources if has_match(text, terms)), None)
        excerpt_text = matching or (sources[0] if sources else "")
        presented.append(
            {
                "page": page,
                "type_label": next(
                    (label for model, label in labels.items() if isinstance(page, model)), ""
                ),
                "title": highlight(page.title, terms),
                "excerpt": highlight(excerpt_text, terms, max_length=EXCERPT_LENGTH),
            }
        )
    return presented
