"""The vocabularies of an organization's capability profile: what services it gives, to whom,
in which languages, how large it is and which quality labels it holds.

Services, target groups, languages and quality labels are open-ended: they are
``partners.CapabilityTerm`` rows that editors add, rename, translate, order and retire in the
Wagtail admin ("Capability vocabularies" in its menu). A profile stores each term's ``code``
(``PartnerCapability.value``), which never changes once the term exists, so a profile keeps
meaning the same whatever editors do to the names. A retired term is hidden from the profile
form and the directory's filters and stays on the profiles that already have it.

The size bands of paid staff and volunteers are a closed, ordered scale (the European
thresholds of micro, small, medium and large), so they stay a fixed list here. Territories
served are ``taxonomy.Region`` rows.

Every read goes through ``terms()``: all the terms, read once per published-content generation
from the page cache's memo (no SQL on a page that shows or filters them), made stale when an
editor saves a term (``terms_changed``, called by the admin's snippet hooks).
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import pagecache

SIZE_BANDS = (
    ("0", _("None")),
    ("1-9", _("1 to 9")),
    ("10-49", _("10 to 49")),
    ("50-249", _("50 to 249")),
    ("250+", _("250 or more")),
)

# facet name (the directory's GET parameter and the row's ``facet``) → its label
FACET_LABELS = {
    "service": _("Services"),
    "target_group": _("Target groups"),
    "language": _("Languages"),
    "quality_label": _("Quality labels"),
}
FACETS = tuple(FACET_LABELS)

MEMO_NAME = "partners.capability_terms"


@dataclass(frozen=True)
class Term:
    """One term as the pages read it: its code, its names and whether it is retired."""

    facet: str
    code: str
    names: dict
    retired: bool

    @property
    def label(self):
        """The name in the active language, or the English name while a translation is
        missing."""
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        return self.names.get(language) or self.names["en"]


def _read_terms():
    # By the app registry, not an import: ``partners.models`` imports this module.
    CapabilityTerm = apps.get_model("partners", "CapabilityTerm")  # noqa: N806
    result = {facet: {} for facet in FACETS}
    rows = CapabilityTerm.objects.order_by("facet", "sort_order", "name", "pk").values(
        "facet", "code", "name", "name_es", "name_ca", "retired"
    )
    for row in rows:
        if row["facet"] in result:
            result[row["facet"]][row["code"]] = Term(
                facet=row["facet"],
                code=row["code"],
                names={"en": row["name"], "es": row["name_es"], "ca": row["name_ca"]},
                retired=row["retired"],
            )
    return result


def terms():
    """``{facet: {code: Term}}`` for every term, retired ones included, in editors' order
    (memoized)."""
    return pagecache.memo(MEMO_NAME, _read_terms)


def term(facet, code):
    """The term ``code`` of ``facet``, or None if there is no such term."""
    return terms().get(facet, {}).get(code)


def label(facet, code):
    """The name of ``code`` in the active language; the code itself if the term is gone."""
    found = term(facet, code)
    return found.label if found else code


def sort_key(facet, code):
    """Where a profile's value comes when shown: its vocabulary's place, then editors' order."""
    known = list(terms().get(facet, {}))
    position = known.index(code) if code in known else len(known)
    facet_position = FACETS.index(facet) if facet in FACETS else len(FACETS)
    return (facet_position, position, code)


def choices(facet, *, keep=(), retired=False):
    """``[(code, name)]`` of the terms a form or filter offers, in editors' order: the ones in
    use, plus the retired ones among ``keep`` (what a profile already has) or every retired one
    when ``retired``; a retired term's name says so."""
    result = []
    for found in terms().get(facet, {}).values():
        if not found.retired:
            result.append((found.code, found.label))
        elif retired or found.code in keep:
            result.append((found.code, _("%(name)s (retired)") % {"name": found.label}))
    return result


def terms_changed():
    """Call after a term is added or edited: forms, filters and pages read the terms afresh
    (and cached pages showing them are rendered again)."""
    pagecache.cache_invalidate()
