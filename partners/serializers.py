"""API fields of the partner pages that are the partners app's own."""

from rest_framework import serializers

from . import capabilities


class CapabilityProfileField(serializers.Field):
    """An organization's capability values for the API: {facet: [codes]}, every facet present."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        chosen = {facet: [] for facet in capabilities.FACETS}
        for row in value.all():
            chosen.setdefault(row.facet, []).append(row.value)
        return {facet: sorted(values) for facet, values in chosen.items()}
