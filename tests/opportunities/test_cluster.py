"""The cluster in figures: tables without JavaScript, CSV downloads, constant queries."""

from django.test import Client
from django.urls import reverse

from tests.utils import approved_organization

from .conftest import a_region


def test_figures_count_published_organizations_by_region(db, django_assert_max_num_queries):
    region = a_region()
    for count in (3, 12):
        for n in range(count - (3 if count == 12 else 0)):
            approved_organization(title=f"Org {count}-{n}", region=region, kind="foundation")
        with django_assert_max_num_queries(14):
            response = Client().get(reverse("cluster_figures:figures"))
        assert response.status_code == 200
    body = response.content.decode()
    assert "<table>" in body and region.name in body
    rows = {label: (p, pr) for label, p, pr, *_ in response.context["tables"][0][2]}
    assert rows[region.name][0] == 12


def test_every_figure_downloads_as_csv(db):
    approved_organization(title="An NGO", kind="ngo")
    for name in ("region", "kind", "sector", "sdg", "status"):
        response = Client().get(reverse("cluster_figures:figure_csv", args=[name]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
    body = Client().get(reverse("cluster_figures:figure_csv", args=["kind"])).content.decode()
    assert "NGO,1," in body


def test_an_unknown_figure_is_not_found(db):
    assert Client().get(reverse("cluster_figures:figure_csv", args=["nope"])).status_code == 404
