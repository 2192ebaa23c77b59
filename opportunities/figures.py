"""The cluster's figures at /cluster/: partners and projects by comarca, municipality, kind,
sector and SDG, and the figures other apps register (the social value of published SROI
reports, from ``impact``).

Each figure is a header and a list of rows read in one grouped query per table, so the page
costs the same whatever the size of the cluster. The same rows feed the page's tables, its map
and bar charts (SVG drawn on the server, no script, no external tiles) and the CSV downloads.

Projects have no address of their own: a project counts in the comarca of its region and in
the municipality of its lead organization.
"""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.figures import registered_figures
from partners.models import PartnerPage
from projects.models import ProjectPage

from . import comarques

COUNTS = (_("Label"), _("Organizations"), _("Projects"))

FIGURES = {
    "region": _("By comarca or region"),
    "municipality": _("By municipality"),
    "kind": _("By kind of organization"),
    "sector": _("By sector"),
    "sdg": _("By SDG"),
    "status": _("Projects by status"),
}

MUNICIPALITY_COLUMNS = (
    _("Municipality"),
    _("Comarca or region"),
    _("Organizations"),
    _("Projects"),
)


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


def _regions():
    from taxonomy.models import Region

    return list(Region.objects.order_by("name"))


def _by_region(regions):
    partners = _count(PartnerPage.objects.live(), "region")
    projects = _count(ProjectPage.objects.live(), "region")
    return [
        (region, partners.get(region.pk, 0), projects.get(region.pk, 0))
        for region in regions
        if partners.get(region.pk) or projects.get(region.pk)
    ]


def _by_municipality():
    """``(municipality, region, organizations, projects)``, the municipality as organizations
    wrote it (trimmed; one spelling per case-insensitive name)."""
    rows = {}
    names = {}
    partners = (
        PartnerPage.objects.live()
        .exclude(city="")
        .values_list("city", "region__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for city, region, n in partners:
        key = (city.strip().casefold(), region or "")
        names.setdefault(key, city.strip())
        rows[key] = [rows.get(key, [0, 0])[0] + n, 0]
    projects = (
        ProjectPage.objects.live()
        .exclude(lead_organization__city="")
        .exclude(lead_organization__isnull=True)
        .values_list("lead_organization__city", "lead_organization__region__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for city, region, n in projects:
        key = (city.strip().casefold(), region or "")
        names.setdefault(key, city.strip())
        rows.setdefault(key, [0, 0])[1] += n
    return sorted(
        (
            (names[key], key[1], partners_n, projects_n)
            for key, (partners_n, projects_n) in rows.items()
        ),
        key=lambda row: (row[0].casefold(), row[1]),
    )


def figure(name):
    """The rows of a figure: ``(label, organizations, projects)``, or the municipality's and
    the registered figures' own columns."""
    from taxonomy.models import Sector, SustainableDevelopmentGoal

    partners = PartnerPage.objects.live()
    projects = ProjectPage.objects.live()
    if name == "region":
        return [(str(region), p, pr) for region, p, pr in _by_region(_regions())]
    if name == "municipality":
        return _by_municipality()
    if name == "kind":
        return _merge(dict(PartnerPage.Kind.choices), _count(partners, "kind"), {})
    if name == "sector":
        labels = {sector.pk: str(sector) for sector in Sector.objects.order_by("name")}
        return _merge(labels, _count(partners, "sectors"), _count(projects, "sectors"))
    if name == "sdg":
        labels = {goal.pk: str(goal) for goal in SustainableDevelopmentGoal.objects.all()}
        return _merge(labels, _count(partners, "sdgs"), _count(projects, "sdgs"))
    if name == "status":
        return _merge(dict(ProjectPage.Status.choices), {}, _count(projects, "status"))
    extra = registered_figures().get(name)
    if extra is None:
        raise KeyError(name)
    return list(extra.rows())


def columns(name):
    if name == "municipality":
        return MUNICIPALITY_COLUMNS
    if name in FIGURES:
        return COUNTS
    extra = registered_figures().get(name)
    if extra is None:
        raise KeyError(name)
    return extra.columns


def extra_figures():
    """The figures other apps registered: ``(name, label, columns, rows, note)``."""
    return [
        (figure.name, figure.label, figure.columns, list(figure.rows()), figure.note)
        for figure in registered_figures().values()
    ]


def cluster_map(region_rows):
    """The tiles of the comarques map from the ``(region, organizations, projects)`` rows; a
    region that is not a comarca (Madrid, a province) is left to the table."""
    counts = {}
    for region, partners, projects in region_rows:
        tile = comarques.key(region.name) or comarques.key(region.slug)
        if tile:
            before = counts.get(tile, (0, 0))
            counts[tile] = (before[0] + partners, before[1] + projects)
    return comarques.tiles(counts)


def bars(rows, *, width=200):
    """Each row with its bar lengths (in SVG user units) beside it: ``(row, p_len, pr_len)``."""
    top = max([max(row[-2], row[-1]) for row in rows] or [0]) or 1
    return [(*row, round(width * row[-2] / top), round(width * row[-1] / top)) for row in rows]
