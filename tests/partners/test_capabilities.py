"""Capability profiles: services, target groups, territories served, languages, size bands of
staff and volunteers, quality labels — kept through the portal's form and revisions, shown on
the organization's page, filterable in the directory, bad values refused with nothing stored."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners import directory
from partners.models import PartnerCapability, PartnerPage
from partners.services import organization_apply, organization_approve, organization_update
from taxonomy.models import Region
from tests.factories import UserFactory
from tests.utils import editor

pytestmark = pytest.mark.django_db


def _organization(title, *, capabilities=None, **fields):
    admin = UserFactory()
    organization = organization_apply(
        user=admin,
        title=title,
        kind="ngo",
        summary="Social action.",
        capabilities=capabilities or {},
        submit=False,
        **fields,
    )
    return organization_approve(organization=organization, user=editor()), admin


@pytest.fixture
def profiles():
    girones = Region.objects.create(name="Gironès", slug="girones")
    osona = Region.objects.create(name="Osona", slug="osona")
    youth, _ = _organization(
        "Joves en acció",
        capabilities={
            "service": ["training", "employment"],
            "target_group": ["youth"],
            "language": ["ca", "ar"],
            "quality_label": ["efqm"],
        },
        territories=[girones, osona],
        staff_band="10-49",
        volunteer_band="50-249",
    )
    elders, _ = _organization(
        "Gent gran activa",
        capabilities={"service": ["care"], "target_group": ["older"], "language": ["ca", "es"]},
        territories=[osona],
        staff_band="1-9",
        volunteer_band="10-49",
    )
    bare, _ = _organization("Sense perfil")
    return {"youth": youth, "elders": elders, "bare": bare}


def _names(client, query):
    response = client.get(f"/partners/?{query}")
    assert response.status_code == 200
    return sorted(o.title for o in response.context["organizations"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("service=training", ["Joves en acció"]),
        ("service=training&service=care", ["Gent gran activa", "Joves en acció"]),
        ("target_group=older", ["Gent gran activa"]),
        ("served=osona", ["Gent gran activa", "Joves en acció"]),
        ("served=girones", ["Joves en acció"]),
        ("language=ca&language=es", ["Gent gran activa", "Joves en acció"]),
        ("language=ca&target_group=youth", ["Joves en acció"]),
        ("quality_label=efqm", ["Joves en acció"]),
        ("staff=1-9", ["Gent gran activa"]),
        ("volunteers=50-249", ["Joves en acció"]),
        ("service=care&served=girones", []),
    ],
)
def test_every_capability_is_a_directory_filter(client, profiles, query, expected):
    assert _names(client, query) == expected


def test_unknown_capability_values_are_named_and_left_out(client, profiles):
    response = client.get("/partners/?service=spaceflight&staff=huge")
    errors = " ".join(response.context["directory"].errors)
    assert "spaceflight" in errors and "huge" in errors
    assert len(response.context["organizations"]) == 3


def test_the_profile_shows_capabilities_linked_to_the_directory(client, profiles):
    body = client.get(profiles["youth"].url).content.decode()
    assert "Training and education" in body and "Young people" in body
    assert "?service=training" in body and "?served=osona" in body
    assert "10 to 49" in body and "EFQM" in body
    assert "Capabilities" not in client.get(profiles["bare"].url).content.decode()


def test_the_portal_form_edits_the_capabilities(client, profiles):
    organization = profiles["elders"]
    admin = organization.memberships.get().user
    client.force_login(admin)
    url = reverse("portal:organization_manage", args=[organization.pk])
    page = client.get(url).content.decode()
    assert 'name="service" value="care"' in page and "checked" in page
    response = client.post(
        url,
        {
            "title": organization.title,
            "kind": "ngo",
            "summary": "Social action.",
            "service": ["care", "health"],
            "target_group": ["older", "disability"],
            "language": ["ca"],
            "quality_label": [],
            "territories": [Region.objects.get(slug="girones").pk],
            "staff_band": "50-249",
            "volunteer_band": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = PartnerPage.objects.get(pk=organization.pk)
    assert sorted(fresh.capabilities.values_list("facet", "value")) == [
        ("language", "ca"),
        ("service", "care"),
        ("service", "health"),
        ("target_group", "disability"),
        ("target_group", "older"),
    ]
    assert [r.slug for r in fresh.territories.all()] == ["girones"]
    assert (fresh.staff_band, fresh.volunteer_band) == ("50-249", "")


def test_bad_capability_values_are_refused_with_nothing_stored(client, profiles):
    organization = profiles["elders"]
    admin = organization.memberships.get().user
    before = sorted(PartnerCapability.objects.values_list("page_id", "facet", "value"))
    client.force_login(admin)
    response = client.post(
        reverse("portal:organization_manage", args=[organization.pk]),
        {
            "title": organization.title,
            "kind": "ngo",
            "summary": "Social action.",
            "service": ["teleportation"],
            "staff_band": "millions",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    with pytest.raises(ValidationError):
        organization_update(
            organization=organization, user=admin, capabilities={"language": ["klingon"]}
        )
    with pytest.raises(ValidationError):
        organization_update(organization=organization, user=admin, staff_band="millions")
    assert sorted(PartnerCapability.objects.values_list("page_id", "facet", "value")) == before
    assert PartnerPage.objects.get(pk=organization.pk).staff_band == "1-9"


def test_the_capability_facets_are_page_cache_parameters():
    for name in ("service", "target_group", "served", "language", "quality_label", "staff"):
        assert name in directory.PAGECACHE_PARAMS


def test_open_data_export_carries_the_capability_profile(client, profiles):
    document = client.get("/partners/?format=json&service=training").json()
    (record,) = document["results"]
    assert record["services"] == ["employment", "training"]
    assert record["target_groups"] == ["youth"]
    assert record["languages"] == ["ar", "ca"]
    assert record["quality_labels"] == ["efqm"]
    assert record["territories"] == ["Gironès", "Osona"]
    assert (record["staff_band"], record["volunteer_band"]) == ("10-49", "50-249")
    csv = client.get("/partners/?format=csv&service=care").content.decode("utf-8-sig")
    header, row = csv.splitlines()[:2]
    for column in ("services", "target_groups", "languages", "territories", "staff_band"):
        assert column in header.split(",")
    assert "care" in row and "older" in row and "Osona" in row


def test_api_gives_the_capability_profile(client, profiles):
    response = client.get(f"/api/v2/pages/{profiles['youth'].pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["capabilities"] == {
        "service": ["employment", "training"],
        "target_group": ["youth"],
        "language": ["ar", "ca"],
        "quality_label": ["efqm"],
    }
    assert [region["slug"] for region in data["territories"]] == ["girones", "osona"]
    assert (data["staff_band"], data["volunteer_band"]) == ("10-49", "50-249")


def test_the_capability_groups_sit_under_one_that_opens_when_a_choice_is_made(client, profiles):
    """Seven groups of the capability profile under one "more" group, so the results are not
    pushed down a screen of group names; it comes open when one of its choices is made."""
    more = re.compile(r'<details class="facet facet-more"( open)?>')
    plain = client.get("/partners/").content.decode()
    assert more.search(plain).group(1) is None
    assert plain.index("facet-more") < plain.index('name="service"')
    assert plain.index('name="quality_label"') < plain.index('class="actions"')
    for query in ("service=training", "served=girones", "kind=ngo&language=ca"):
        html = client.get(f"/partners/?{query}").content.decode()
        assert more.search(html).group(1) == " open", query
    assert more.search(client.get("/partners/?kind=ngo").content.decode()).group(1) is None
