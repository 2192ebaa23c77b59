"""Ordered result lists kept until published content next changes.

A directory or a search shows one page of results, but its total and its order depend on every
match: reading all the matches is the part of such a request whose cost grows with the cluster
(a filter shared by a tenth of 5,000 projects reads 500 of them to show 24). Until something is
published, unpublished, moved or deleted, that ordered list is the same for every visitor, so
``KeptResults`` keeps the matches' primary keys with ``pagecache.memo`` (the page cache's
generation: whatever makes cached pages stale makes the list stale too). A request then reads
only its own page of objects, by primary key, and the paginator counts the kept keys.

The first request of a filter set after a publish pays for the whole list, once; the objects are
always read fresh, and a kept key whose object has meanwhile left ``fetch`` (unpublished without
a signal, say) is skipped, never shown.
"""

import hashlib
from array import array
from collections.abc import Sequence

from django.db.models import QuerySet
from django.utils.functional import cached_property

from . import pagecache

CHUNK = 500


def _ordered_pks(results):
    """The primary keys of ``results`` (a QuerySet or Wagtail search results), in order."""
    if isinstance(results, QuerySet):
        queryset = results
    else:
        # Wagtail's database search backends build the ranked search as a QuerySet.
        queryset = results.get_queryset()
    # "q": 8-byte integers, pickled as one bytes object (5,000 keys: 40 kB).
    return array("q", queryset.values_list("pk", flat=True))


class KeptResults(Sequence):
    """A sequence of ``results``' objects for ``django.core.paginator.Paginator``.

    ``name`` says everything the list depends on besides published content (the normalised
    filters and query). ``fetch`` is the QuerySet a page's objects are read from, with its
    ``select_related``/``prefetch_related``; it is filtered by primary key, so it must apply the
    same visibility as ``results`` (live, public).
    """

    def __init__(self, name, results, fetch):
        self.name = name
        self._results = results
        self._fetch = fetch

    @cached_property
    def pks(self):
        digest = hashlib.sha256(self.name.encode()).hexdigest()
        return pagecache.memo(f"results.{digest}", lambda: _ordered_pks(self._results))

    def __len__(self):
        return len(self.pks)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._objects(self.pks[index])
        found = self._objects(self.pks[index : index + 1] if index >= 0 else [self.pks[index]])
        if not found:
            raise IndexError(index)
        return found[0]

    def __iter__(self):
        for start in range(0, len(self.pks), CHUNK):
            yield from self._objects(self.pks[start : start + CHUNK])

    def _objects(self, pks):
        pks = list(pks)
        if not pks:
            return []
        found = {obj.pk: obj for obj in self._fetch.filter(pk__in=pks)}
        return [found[pk] for pk in pks if pk in found]
