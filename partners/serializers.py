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


class CapabilityNamesField(CapabilityProfileField):
    """The same values with their names in the reader's language:
    {facet: [{"code", "name"}]}, every facet present, in the codes' order. Codes never change;
    names are editors' (``partners.CapabilityTerm``)."""

    def to_representation(self, value):
        return {
            facet: [{"code": code, "name": capabilities.label(facet, code)} for code in codes]
            for facet, codes in super().to_representation(value).items()
        }
