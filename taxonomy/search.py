"""What a page indexes of the vocabularies it uses: their names in every language, so a search
in Spanish or Catalan ("Educació", "Educación", "voluntaris") finds the pages tagged with them.

Use in a page's ``search_fields``: ``index.RelatedFields("sectors", TRANSLATED_NAMES)``,
``index.RelatedFields("offers", TAG_NAMES)``. A renamed or translated sector, region or tag
re-indexes the pages that use it (``taxonomy.services.vocabulary_reindex``).
"""

from wagtail.search import index

TRANSLATED_NAMES = [
    index.SearchField("name"),
    index.SearchField("name_es"),
    index.SearchField("name_ca"),
]

TAG_NAMES = [
    index.SearchField("name"),
    index.RelatedFields(
        "translation", [index.SearchField("name_es"), index.SearchField("name_ca")]
    ),
]
