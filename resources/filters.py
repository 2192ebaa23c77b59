"""The resource directory's facets, as a django-filter ``FilterSet``.

Parameter names are the page cache's directory filters (``core.pagecache``): a shared URL is a
cached page for visitors. Unknown values are reported, not silently dropped into an empty list.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxonomy.models import Region, Sector, SustainableDevelopmentGoal

from .models import Listing


class ListingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    type = django_filters.MultipleChoiceFilter(
        label=_("Offers or requests"),
        choices=Listing.Type.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"), choices=Listing.Kind.choices, widget=forms.CheckboxSelectMultiple
    )
    conditions = django_filters.MultipleChoiceFilter(
        label=_("Conditions"),
        choices=Listing.Conditions.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    region = django_filters.ModelMultipleChoiceFilter(
        label=_("Region"),
        # With ``to_field_name`` the predicate compares the slug: filter on the slug too.
        field_name="region__slug",
        queryset=Region.objects.order_by("name"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        label=_("Sector"),
        field_name="sectors",
        queryset=Sector.objects.order_by("name"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
        method="filter_sector",
    )
    sdg = django_filters.ModelMultipleChoiceFilter(
        label=_("SDG"),
        queryset=SustainableDevelopmentGoal.objects.order_by("number"),
        to_field_name="number",
        widget=forms.CheckboxSelectMultiple,
        method="filter_sdg",
    )

    class Meta:
        model = Listing
        fields = ["q", "type", "kind", "conditions", "region", "sector", "sdg"]

    def search(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(organization__title__icontains=value)
        )

    # Subqueries rather than joins: a listing in two chosen sectors is listed once.
    def filter_sector(self, queryset, name, value):
        if not value:
            return queryset
        through = Listing.sectors.through.objects.filter(sector__in=value)
        return queryset.filter(pk__in=through.values("listing_id"))

    def filter_sdg(self, queryset, name, value):
        if not value:
            return queryset
        through = Listing.sdgs.through.objects.filter(sustainabledevelopmentgoal__in=value)
        return queryset.filter(pk__in=through.values("listing_id"))


# The query parameters a visitor's directory page may be cached with (core.pagecache).
PAGECACHE_PARAMS = frozenset(
    {"q", "page", "type", "kind", "conditions", "region", "sector", "sdg"}
)
