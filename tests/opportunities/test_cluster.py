"""The cluster in figures: a map of the comarques and tables without JavaScript, CSV downloads
of every figure, the social value of published SROI reports, constant queries."""

import csv
import io

from django.test import Client
from django.urls import reverse

from opportunities import comarques
from tests.factories import UserFactory
from tests.impact.helpers import build_map
from tests.utils import approved_organization, approved_project

from .conftest import a_region


def _csv(name):
    response = Client().get(reverse("cluster_figures:figure_csv", args=[name]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_figures_count_published_organizations_by_region(db, django_assert_max_num_queries):
    region = a_region()
    for count in (3, 12):
        for n in range(count - (3 if count == 12 else 0)):
            approved_organization(
                title=f"Org {count}-{n}", region=region, kind="foundation", city=f"Town {n}"
            )
        with django_assert_max_num_queries(17):
            response = Client().get(reverse("cluster_figures:figures"))
        assert response.status_code == 200
    body = response.content.decode()
    assert "<table>" in body and region.name in body
    rows = {label: (p, pr) for label, p, pr, *_ in response.context["tables"][0][2]}
    assert rows[region.name][0] == 12
    assert len(response.context["municipalities"]) == 9


def test_the_map_draws_every_comarca_with_its_counts(db):
    from taxonomy.models import Region

    region = a_region()
    segria = Region.objects.create(name="El Segrià", slug="el-segria")
    madrid = Region.objects.create(name="Madrid", slug="madrid")
    approved_organization(title="In Barcelona", region=region, kind="ngo", city="Barcelona")
    approved_organization(title="In Lleida", region=segria, kind="ngo", city="Lleida")
    coordinator = UserFactory()
    lead = approved_organization(
        admin=coordinator, title="Also Lleida", region=segria, kind="ngo", city="lleida "
    )
    approved_project(
        coordinator=coordinator, lead=lead, title="A project in Lleida", region=segria
    )
    approved_organization(title="In Madrid", region=madrid, kind="ngo")
    response = Client().get(reverse("cluster_figures:figures"))
    tiles = {tile["name"]: tile for tile in response.context["tiles"]}
    assert len(tiles) == 43
    assert (tiles["Barcelonès"]["organizations"], tiles["Barcelonès"]["projects"]) == (1, 0)
    assert (tiles["Segrià"]["organizations"], tiles["Segrià"]["projects"]) == (2, 1)
    assert tiles["Segrià"]["fill"] == comarques.SHADES[4][0]
    assert tiles["Garraf"]["fill"] == comarques.SHADES[0][0]
    body = response.content.decode()
    # Drawn on the server: an inline SVG with a text alternative, no script and no tile host.
    assert 'role="img"' in body and "Segrià: 2 organizations, 1 projects." in body
    assert "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]
    assert "tile.openstreetmap" not in body and "https://" not in body.split("<svg", 1)[1][:200]
    # The municipality table: one Lleida, whatever the spelling, with the lead's project.
    assert ("Lleida", "El Segrià", 2, 1) in response.context["municipalities"]
    # Madrid is not a comarca: counted in the table, not on the map.
    assert "Madrid" in body and "Madrid" not in tiles


def test_a_comarca_is_found_whatever_the_article_or_slug():
    assert comarques.key("L'Alt Urgell") == "alt-urgell"
    assert comarques.key("la-selva") == "selva"
    assert comarques.key("Aran") == "val-daran"
    assert comarques.key("Madrid") is None
    names = [name for name, *_ in comarques.TILES]
    places = [(column, row) for _, column, row in comarques.TILES]
    assert len(set(names)) == 43 and len(set(places)) == 43


def test_every_figure_downloads_as_csv(db):
    approved_organization(title="An NGO", kind="ngo", city="Vic")
    for name in ("region", "municipality", "kind", "sector", "sdg", "status", "social-value"):
        assert _csv(name)[0]
    assert ["NGO", "1", "0"] in _csv("kind")
    assert _csv("municipality")[1] == ["Vic", "", "1", "0"]


def test_the_social_value_of_published_reports_is_a_figure(db):
    coordinator = UserFactory()
    project = approved_project(coordinator=coordinator, title="Reported project")
    build_map(project, coordinator, outcomes=2, publish=True)
    other = UserFactory()
    unpublished = approved_project(coordinator=other, title="Unreported project")
    build_map(unpublished, other, outcomes=2)
    response = Client().get(reverse("cluster_figures:figures"))
    body = response.content.decode()
    assert "Social value of published SROI reports" in body
    rows = _csv("social-value")
    assert rows[0][0] == "Project" and rows[0][3] == "Social value (present value)"
    assert [row[0] for row in rows[1:]] == ["Reported project"]
    assert float(rows[1][3]) > 0


def test_an_unknown_figure_is_not_found(db):
    assert Client().get(reverse("cluster_figures:figure_csv", args=["nope"])).status_code == 404


def test_the_map_names_the_comarques_in_the_readers_language(db):
    from django.utils import translation

    names = [name for name, *_ in comarques.TILES]
    assert set(comarques.SPANISH) <= set(names)

    def tiles_in(language):
        with translation.override(language):
            url = reverse("cluster_figures:figures")
        response = Client().get(url)
        assert response.status_code == 200
        return {tile["name"]: tile for tile in response.context["tiles"]}, response

    tiles, response = tiles_in("es")
    assert tiles["Baix Empordà"]["label"] == "Bajo Ampurdán"
    assert [line for line, _y in tiles["Baix Empordà"]["lines"]] == ["Bajo", "Ampurdán"]
    assert tiles["Osona"]["label"] == "Osona"
    body = response.content.decode()
    assert ">Ampurdán</text>" in body and 'data-comarca="Baix Empordà"' in body
    tiles, _response = tiles_in("ca")
    assert tiles["Baix Empordà"]["label"] == "Baix Empordà"
