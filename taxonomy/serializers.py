"""How the vocabularies appear in the public API (/api/v2/): small, stable, public fields."""

from rest_framework import serializers

from .models import Region, Sector, SustainableDevelopmentGoal


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["name", "slug"]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["name", "slug"]


class SustainableDevelopmentGoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = SustainableDevelopmentGoal
        fields = ["number", "name_en", "name_es", "name_ca", "colour"]


class TagNamesField(serializers.Field):
    """A taggit manager as a sorted list of names, read from ``prefetch_related`` when present.

    Wagtail's own ``TagsField`` orders in SQL, which costs one query per item in a listing.
    """

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return sorted((tag.name for tag in value.all()), key=str.casefold)
