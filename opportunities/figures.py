"""The cluster's figures at /cluster/: partners and projects by region, kind, sector and SDG.

Each figure is a list of ``(label, organizations, projects)`` rows read in one grouped query per
table, so the page costs the same whatever the size of the cluster. The same rows feed the
page's tables, its bar charts (SVG drawn on the server, no script, no external tiles) and the
CSV downloads.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from partners.models import PartnerPage
from projects.models import ProjectPage

FIGURES = {
    "region": _("By region"),
    "kind": _("By kind of organization"),
    "sector": _("By sector"),
    "sdg": _("By SDG"),
    "status": _("Projects by status"),
}


def _count(qs, field):
    return dict(
        qs.exclude(**{f"{field}__isnull": True})
        .values_list(field)
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )


def _merge(labels, partners, projects):
    rows = [(labels.get(key, key), partners.get(key, 0), projects.get(key, 0)) for key in labels]
    return [row for row in rows if row[1] or row[2]]


def figure(name):
    from taxonomy.models import Region, Sector, SustainableDevelopmentGoal

    partners = PartnerPage.objects.live()
    projects = ProjectPage.objects.live()
    if name == "region":
        labels = dict(Region.objects.order_by("name").values_list("pk", "name"))
        return _merge(labels, _count(partners, "region"), _count(projects, "region"))
    if name == "kind":
        return _merge(dict(PartnerPage.Kind.choices), _count(partners, "kind"), {})
    if name == "sector":
        labels = dict(Sector.objects.order_by("name").values_list("pk", "name"))
        return _merge(labels, _count(partners, "sectors"), _count(projects, "sectors"))
    if name == "sdg":
        labels = {goal.pk: str(goal) for goal in SustainableDevelopmentGoal.objects.all()}
        return _merge(labels, _count(partners, "sdgs"), _count(projects, "sdgs"))
    if name == "status":
        return _merge(dict(ProjectPage.Status.choices), {}, _count(projects, "status"))
    raise KeyError(name)


def bars(rows, *, width=200):
    """Each row with its bar lengths (in SVG user units) beside it: ``(row, p_len, pr_len)``."""
    top = max([max(row[1], row[2]) for row in rows] or [0]) or 1
    return [
        (label, partners, projects, round(width * partners / top), round(width * projects / top))
        for label, partners, projects in rows
    ]
