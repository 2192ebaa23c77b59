"""The boards' facets, as django-filter ``FilterSet``s: funding calls and partner-search posts.

Unknown values are reported by the selectors, not silently dropped into an empty list.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxonomy.models import Region, Sector, SustainableDevelopmentGoal

from .models import ORGANIZATION_KINDS, CallEligibleKind, FundingCall, PartnerSearch


def _search(fields):
    def search(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    return search


class CallFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    funder_type = django_filters.MultipleChoiceFilter(
        label=_("Kind of funder"),
        choices=FundingCall.Funder.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Open to"),
        choices=ORGANIZATION_KINDS,
        widget=forms.CheckboxSelectMultiple,
        method="filter_kind",
    )
    region = django_filters.ModelMultipleChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.order_by("name"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        method="filter_region",
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        label=_("Sector"),
        queryset=Sector.objects.order_by("name"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        method="filter_sector",
    )
    sdg = django_filters.ModelMultipleChoiceFilter(
        label=_("SDG"),
        queryset=SustainableDevelopmentGoal.objects.order_by("number"),
        to_field_name="number",
        widget=forms.CheckboxSelectMultiple,
        method="filter_sdg",
    )
    archived = django_filters.BooleanFilter(
        label=_("Show archived calls"), method="filter_archived", widget=forms.CheckboxInput
    )

    class Meta:
        model = FundingCall
        fields = ["q", "funder_type", "kind", "region", "sector", "sdg", "archived"]

    search = _search(["title", "funder", "programme", "summary"])

    # Subqueries rather than joins: a call in two chosen facets is listed once.
    def filter_kind(self, queryset, name, value):
        if not value:
            return queryset
        ids = CallEligibleKind.objects.filter(kind__in=value).values("call_id")
        return queryset.filter(pk__in=ids)

    def _through(self, queryset, field, column, value):
        if not value:
            return queryset
        through = getattr(FundingCall, field).through.objects.filter(**{f"{column}__in": value})
        return queryset.filter(pk__in=through.values("fundingcall_id"))

    def filter_region(self, queryset, name, value):
        return self._through(queryset, "regions", "region", value)

    def filter_sector(self, queryset, name, value):
        return self._through(queryset, "sectors", "sector", value)

    def filter_sdg(self, queryset, name, value):
        return self._through(queryset, "sdgs", "sustainabledevelopmentgoal", value)

    def filter_archived(self, queryset, name, value):
        # The open board is the default; the selector narrows it unless this is ticked.
        return queryset


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    direction = django_filters.MultipleChoiceFilter(
        label=_("Offers or seeks"),
        choices=PartnerSearch.Direction.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_kind = django_filters.MultipleChoiceFilter(
        label=_("Kind of partner"), choices=ORGANIZATION_KINDS, widget=forms.CheckboxSelectMultiple
    )
    region = django_filters.ModelMultipleChoiceFilter(
        label=_("Region"),
        field_name="region__slug",
        queryset=Region.objects.order_by("name"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )
    sector = django_filters.ModelMultipleChoiceFilter(
        label=_("Sector"),
        field_name="sector__slug",
        queryset=Sector.objects.order_by("name"),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PartnerSearch
        fields = ["q", "direction", "partner_kind", "region", "sector"]

    search = _search(["title", "purpose", "capability", "organization__title"])
