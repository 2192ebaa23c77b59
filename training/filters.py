"""The filters of a programme's learner list, as a django-filter ``FilterSet``: by cohort and
enrolment status together (a learner with that status in that cohort)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Cohort, Enrolment


class LearnerFilter(django_filters.FilterSet):
    cohort = django_filters.ModelChoiceFilter(
        label=_("Cohort"), queryset=Cohort.objects.none(), method="keep"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Enrolment.Status.choices, method="keep"
    )

    def __init__(self, data=None, *, queryset, programme):
        super().__init__(data, queryset=queryset)
        self.filters["cohort"].queryset = programme.cohorts.order_by("starts_on", "pk")

    def keep(self, queryset, name, value):
        return queryset  # both apply together in ``filter_queryset``

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        lookups = {}
        if data.get("cohort"):
            lookups["enrolments__cohort"] = data["cohort"]
        if data.get("status"):
            lookups["enrolments__status"] = data["status"]
        return queryset.filter(**lookups).distinct() if lookups else queryset
