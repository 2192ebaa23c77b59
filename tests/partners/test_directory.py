"""The partner directory at /partners/: filters alone and together, search, pages, exports."""

import csv
import io
import json

import pytest
from django.http import QueryDict

from partners import directory
from partners.services import membership_add, organization_apply, organization_approve
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from tests.factories import UserFactory
from tests.utils import editor, vocabulary

pytestmark = pytest.mark.django_db

# name: (kind, sectors, sdgs, region, offers, seeks, summary)
ORGANIZATIONS = {
    "Associació Joves Girona": (
        "ngo",
        ["education"],
        [4],
        "girones",
        ["mentoring"],
        ["funding"],
        "Youth workers and open centres for teenagers.",
    ),
    "Fundació Salut Barcelona": (
        "foundation",
        ["health"],
        [3],
        "barcelones",
        ["volunteers"],
        ["mentoring"],
        "Community health programmes in hospitals.",
    ),
    "Codi Obert SL": (
        "company",
        ["education", "technology"],
        [4, 9],
        "barcelones",
        ["software development"],
        ["volunteers"],
        "Open source software for the third sector.",
    ),
    "Campus de Lleida": (
        "university",
        ["research"],
        [17],
        "segria",
        ["research", "mentoring"],
        [],
        "Researchers who evaluate social programmes.",
    ),
}


@pytest.fixture(scope="module")
def directory_world(module_db):
    reviewer = editor()
    vocabulary(*{tag for spec in ORGANIZATIONS.values() for tag in spec[4] + spec[5]})
    regions = {
        slug: Region.objects.create(name=name, slug=slug)
        for slug, name in [
            ("girones", "Gironès"),
            ("barcelones", "Barcelonès"),
            ("segria", "Segrià"),
        ]
    }
    sectors = {
        slug: Sector.objects.create(name=slug.title(), slug=slug)
        for slug in ["education", "health", "technology", "research"]
    }
    for title, (kind, sector, sdgs, region, offers, seeks, summary) in ORGANIZATIONS.items():
        admin = UserFactory()
        organization = organization_apply(
            user=admin,
            title=title,
            kind=kind,
            summary=summary,
            sectors=[sectors[s] for s in sector],
            sdgs=list(SustainableDevelopmentGoal.objects.filter(number__in=sdgs)),
            region=regions[region],
            offers=offers,
            seeks=seeks,
            contact_email=f"hello@{kind}.example.org",
        )
        organization_approve(organization=organization, user=reviewer)
        membership_add(organization=organization, user=UserFactory(email=f"secret-{kind}@x.org"))
    # A draft matching every filter must never appear anywhere public.
    organization_apply(
        user=UserFactory(),
        title="Associació Esborrany",
        kind="ngo",
        summary="Youth workers for teenagers, mentoring and software development.",
        sectors=list(sectors.values()),
        sdgs=list(SustainableDevelopmentGoal.objects.all()),
        region=regions["barcelones"],
        offers=["mentoring", "software development", "volunteers", "research"],
        seeks=["funding", "mentoring", "volunteers"],
    )


def names(client, query):
    response = client.get(f"/partners/?{query}")
    assert response.status_code == 200
    return sorted(o.title for o in response.context["organizations"])


def selector_names(query):
    found = directory.partner_directory(QueryDict(query))
    return sorted(o.title for o in found.organizations)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", sorted(ORGANIZATIONS)),
        ("kind=ngo", ["Associació Joves Girona"]),
        ("sector=education", ["Associació Joves Girona", "Codi Obert SL"]),
        ("sdg=4", ["Associació Joves Girona", "Codi Obert SL"]),
        ("region=barcelones", ["Codi Obert SL", "Fundació Salut Barcelona"]),
        ("offers=mentoring", ["Associació Joves Girona", "Campus de Lleida"]),
        ("seeks=volunteers", ["Codi Obert SL"]),
    ],
    ids=["none", "kind", "sector", "sdg", "region", "offers", "seeks"],
)
def test_each_filter_alone(client, directory_world, query, expected):
    assert names(client, query) == expected
    assert selector_names(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=ngo&kind=company", ["Associació Joves Girona", "Codi Obert SL"]),
        ("sdg=3&sdg=17", ["Campus de Lleida", "Fundació Salut Barcelona"]),
        ("region=girones&region=segria", ["Associació Joves Girona", "Campus de Lleida"]),
        ("offers=volunteers&offers=research", ["Campus de Lleida", "Fundació Salut Barcelona"]),
        ("sector=health&sector=research", ["Campus de Lleida", "Fundació Salut Barcelona"]),
        ("seeks=funding&seeks=mentoring", ["Associació Joves Girona", "Fundació Salut Barcelona"]),
    ],
    ids=["kind", "sdg", "region", "offers", "sector", "seeks"],
)
def test_values_within_a_facet_are_alternatives(client, directory_world, query, expected):
    assert names(client, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=education&region=barcelones", ["Codi Obert SL"]),
        ("sdg=4&offers=mentoring", ["Associació Joves Girona"]),
        ("kind=ngo&kind=company&region=barcelones", ["Codi Obert SL"]),
        (
            "offers=mentoring&seeks=funding&region=girones&sdg=4&sector=education&kind=ngo",
            ["Associació Joves Girona"],
        ),
        ("region=segria&kind=ngo", []),
    ],
    ids=["sector+region", "sdg+offers", "kinds+region", "all-six", "none-match"],
)
def test_facets_combine(client, directory_world, query, expected):
    assert names(client, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=teenagers", ["Associació Joves Girona"]),
        ("q=hospitals", ["Fundació Salut Barcelona"]),
        ("q=software", ["Codi Obert SL"]),  # in its summary and its tags
        ("q=Lleida", ["Campus de Lleida"]),  # in its name
        ("q=mentoring&region=segria", ["Campus de Lleida"]),  # an offered tag, with a filter
        ("q=programmes&kind=university", ["Campus de Lleida"]),
        ("q=nothingmatchesthis", []),
    ],
    ids=["summary", "summary2", "tag", "title", "tag+filter", "word+kind", "no-match"],
)
def test_search(client, directory_world, query, expected):
    assert names(client, query) == expected


def test_unknown_filter_values_are_named_and_left_out(client, directory_world):
    response = client.get("/partners/?sdg=99&kind=spaceship&region=mars&offers=nothing&sdg=4")
    html = response.content.decode()
    assert response.status_code == 200
    for value in ("99", "spaceship", "mars", "nothing"):
        assert f"“{value}” is not a known" in html
    # The valid part of the SDG facet is also dropped with it, so nothing is filtered.
    assert sorted(o.title for o in response.context["organizations"]) == sorted(ORGANIZATIONS)


def test_the_form_shows_the_chosen_filters_so_the_url_is_shareable(client, directory_world):
    response = client.get("/partners/?region=barcelones&sdg=4&q=software")
    html = response.content.decode()
    assert 'value="barcelones" id="id_region_' in html
    assert 'name="region" value="barcelones"' in html and "checked" in html
    assert 'value="software"' in html
    assert "format=csv" in html and "region=barcelones" in html


def test_pagination_keeps_the_filters(client, directory_world, monkeypatch):
    monkeypatch.setattr(directory, "DIRECTORY_PAGE_SIZE", 1)
    response = client.get("/partners/?region=barcelones")
    html = response.content.decode()
    assert len(response.context["organizations"]) == 1
    assert "region=barcelones&amp;page=2" in html
    second = client.get("/partners/?region=barcelones&page=2")
    assert [o.title for o in second.context["organizations"]] == ["Fundació Salut Barcelona"]
    beyond = client.get("/partners/?region=barcelones&page=99")
    assert [o.title for o in beyond.context["organizations"]] == ["Fundació Salut Barcelona"]


def test_directory_works_without_javascript(client, directory_world):
    html = client.get("/partners/").content.decode()
    assert '<form method="get"' in html
    assert "<script" not in html.split("</header>", 1)[1]


# --- Open data ------------------------------------------------------------------------------

PUBLIC_FIELDS = {
    "name",
    "url",
    "kind",
    "summary",
    "city",
    "region",
    "sectors",
    "sdgs",
    "offers",
    "seeks",
    "services",
    "target_groups",
    "languages",
    "quality_labels",
    "service_names",
    "target_group_names",
    "language_names",
    "quality_label_names",
    "territories",
    "staff_band",
    "volunteer_band",
    "website",
    "contact_email",
    "logo",
    "first_published_at",
    "last_published_at",
}


def test_json_export_has_public_fields_of_published_organizations_only(client, directory_world):
    response = client.get("/partners/?format=json&region=barcelones")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["count"] == 2
    by_name = {row["name"]: row for row in data["results"]}
    assert sorted(by_name) == ["Codi Obert SL", "Fundació Salut Barcelona"]
    for row in data["results"]:
        assert set(row) == PUBLIC_FIELDS
    codi = by_name["Codi Obert SL"]
    assert codi["kind"] == "company"
    assert codi["region"] == "Barcelonès"
    assert codi["sectors"] == ["Education", "Technology"]
    assert codi["sdgs"] == [4, 9]
    assert codi["offers"] == ["software development"]
    assert codi["seeks"] == ["volunteers"]
    assert codi["contact_email"] == "hello@company.example.org"
    assert codi["url"].endswith("/partners/codi-obert-sl/")
    body = response.content.decode()
    assert "secret-" not in body and "Esborrany" not in body


def test_json_export_of_everything_leaves_drafts_and_people_out(client, directory_world):
    data = json.loads(client.get("/partners/?format=json").content)
    assert sorted(row["name"] for row in data["results"]) == sorted(ORGANIZATIONS)
    body = json.dumps(data)
    assert "secret-" not in body and "Esborrany" not in body and "user" not in body


def test_csv_export_uses_the_same_filters(client, directory_world):
    response = client.get("/partners/?format=csv&offers=mentoring")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="partners.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(row["name"] for row in rows) == ["Associació Joves Girona", "Campus de Lleida"]
    assert set(rows[0]) == PUBLIC_FIELDS
    campus = next(row for row in rows if row["name"] == "Campus de Lleida")
    assert campus["offers"] == "mentoring; research"
    assert "secret-" not in response.content.decode()


def test_csv_export_neutralises_formulas(client, module_db):
    organization = organization_apply(
        user=UserFactory(), title="=HYPERLINK(1)", summary="@SUM(A1)", kind="ngo"
    )
    organization_approve(organization=organization, user=editor())
    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/partners/?format=csv").content.decode("utf-8-sig"))
        )
    )
    row = next(row for row in rows if "HYPERLINK" in row["name"])
    assert row["name"] == "'=HYPERLINK(1)" and row["summary"] == "'@SUM(A1)"


def test_export_refuses_unknown_values_and_formats(client, directory_world):
    response = client.get("/partners/?format=json&sdg=99")
    assert response.status_code == 400
    assert json.loads(response.content)["errors"]
    assert client.get("/partners/?format=csv&kind=spaceship").status_code == 400
    assert client.get("/partners/?format=xml").status_code == 400
