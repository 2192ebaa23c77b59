"""Every integer from a URL, a form or a websocket route is range-checked before it reaches a
query (core/ids.py): one more than the largest key (2**63) used to answer 500 (SQLite's
OverflowError, PostgreSQL's DataError). A URL whose id no key can hold answers 404; a form
choice no key can hold answers 400 and stores nothing; filters report it and go on."""

import pytest
from django.test import Client
from django.urls import resolve, reverse
from taggit.models import Tag

from core.ids import ID_MAX, parse_id, parse_int
from partners.models import PartnerPage
from projects.models import Participation, ProjectPage
from tests.factories import PASSWORD, UserFactory
from tests.utils import approved_organization, approved_project, rolled_back

TOO_BIG = str(2**63)  # ID_MAX + 1
HUGE = "9" * 60


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5", 5),
        (" 5 ", 5),
        ("0005", 5),
        (5, 5),
        (str(ID_MAX), ID_MAX),
        (TOO_BIG, None),
        (HUGE, None),
        ("9" * 5000, None),  # longer than int() converts: no ValueError either
        ("0", None),
        ("-1", None),
        ("", None),
        ("1.0", None),
        ("1e3", None),
        ("²", None),  # str.isdigit() says yes
        ("٣", None),  # int() reads it as 3
        (True, None),
        (None, None),
        (["5"], None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


def test_parse_int_keeps_to_its_bounds():
    assert parse_int("17", minimum=1, maximum=17) == 17
    assert parse_int("18", minimum=1, maximum=17) is None
    assert parse_int("-3", minimum=-5, maximum=0) == -3


def test_the_id_converter_matches_only_what_a_key_holds():
    match = resolve(f"/portal/projects/{ID_MAX}/")
    assert match.kwargs == {"page_id": ID_MAX}
    for path in (
        f"/portal/projects/{TOO_BIG}/",
        f"/portal/projects/{HUGE}/",
        "/portal/projects/0/",
    ):
        # Only Wagtail's catch-all page route is left: it answers 404 for a page it lacks.
        assert resolve(path).url_name == "wagtail_serve"
    assert reverse("portal:project_workspace", args=[42]) == "/portal/projects/42/"


class World:
    pass


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from tests.base_content import ensure_base_content
    from tests.impact.helpers import build_map

    with rolled_back(django_db_blocker):
        ensure_base_content()
        w = World()
        w.admin = UserFactory(username="range_admin")
        w.organization = approved_organization(admin=w.admin, title="Range org")
        w.other = approved_organization(title="Someone else's org")
        w.coordinator = UserFactory(username="range_coordinator")
        w.project = approved_project(coordinator=w.coordinator, title="Range project")
        build_map(w.project, w.coordinator, outcomes=1, publish=True)
        yield w


def client_for(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/portal/projects/{id}/",
        "/portal/projects/{id}/chat/",
        "/portal/projects/{id}/impact/",
        "/portal/projects/{id}/team/{id}/remove/",
        "/portal/projects/participations/{id}/accept/",
        "/portal/organizations/{id}/",
        "/portal/organizations/{id}/activity/",
        "/portal/organizations/{id}/members/{id}/role/",
        "/impact/projects/{id}/",
        "/impact/projects/{id}/forecast.csv",
    ],
)
@pytest.mark.parametrize("number", [TOO_BIG, HUGE, str(2**31)])  # 2**31: past PostgreSQL's int
def test_urls_with_an_id_no_key_holds_answer_404(world, path, number):
    client = client_for(world.coordinator)
    # 2**31 fits the route (a 64-bit key) but no PostgreSQL page id: the view looks it up and
    # finds nothing; a view that only takes POST answers a GET with 405 before looking.
    get_statuses = (404, 405) if number == str(2**31) else (404,)
    assert client.get(path.format(id=number)).status_code in get_statuses
    assert client.post(path.format(id=number)).status_code == 404


@pytest.mark.django_db
def test_the_same_urls_answer_with_a_real_id(world):
    client = client_for(world.coordinator)
    assert client.get(f"/portal/projects/{world.project.pk}/").status_code == 200
    assert Client().get(f"/impact/projects/{world.project.pk}/").status_code == 200
    assert Client().get(f"/impact/projects/{world.project.pk}/forecast.csv").status_code == 200


@pytest.mark.django_db
def test_join_request_with_an_organization_no_key_holds_is_a_bad_request(world):
    url = reverse("portal:project_request", args=[world.project.pk])
    for value in (TOO_BIG, HUGE):
        response = client_for(world.admin).post(url, {"organization": value, "message": "Hi"})
        assert response.status_code == 400
    assert (
        not Participation.objects.filter(project=world.project)
        .exclude(organization=world.project.lead_organization)
        .exists()
    )


@pytest.mark.django_db
def test_join_request_for_an_organization_one_administers_is_sent(world):
    url = reverse("portal:project_request", args=[world.project.pk])
    data = {"organization": str(world.organization.pk), "message": "Hi"}
    response = client_for(world.admin).post(url, data)
    assert response.status_code == 302
    assert Participation.objects.filter(
        project=world.project, organization=world.organization
    ).exists()


@pytest.mark.django_db
def test_join_request_for_another_organization_is_refused_with_a_message(world):
    url = reverse("portal:project_request", args=[world.project.pk])
    data = {"organization": str(world.other.pk), "message": "Hi"}
    response = client_for(world.admin).post(url, data)
    assert response.status_code == 302
    assert not Participation.objects.filter(project=world.project, organization=world.other)


@pytest.mark.django_db
def test_invitation_with_an_organization_no_key_holds_is_a_bad_request(world):
    url = reverse("portal:project_invite", args=[world.project.pk])
    response = client_for(world.coordinator).post(url, {"organization": TOO_BIG})
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field",
    [
        {"lead_organization": TOO_BIG},
        {"region": TOO_BIG},
        {"sdgs": [TOO_BIG]},
        {"sectors": ["1", HUGE]},
    ],
)
def test_project_proposal_with_a_choice_no_key_holds_is_a_bad_request(world, field):
    before = ProjectPage.objects.count()
    data = {
        "lead_organization": str(world.organization.pk),
        "title": "Out of range",
        "summary": "Short.",
        "status": "idea",
        **field,
    }
    response = client_for(world.admin).post(reverse("portal:project_new"), data)
    assert response.status_code == 400
    assert ProjectPage.objects.count() == before


@pytest.mark.django_db
def test_organization_profile_with_a_region_no_key_holds_is_a_bad_request(world):
    url = reverse("portal:organization_manage", args=[world.organization.pk])
    data = {"title": "Range org", "kind": "ngo", "summary": "Still.", "region": TOO_BIG}
    response = client_for(world.admin).post(url, data)
    assert response.status_code == 400


@pytest.mark.django_db
def test_impact_rows_with_an_organization_no_key_holds_are_a_bad_request(world):
    url = reverse("portal:impact_inputs", args=[world.project.pk, "forecast"])
    data = {
        "rows-TOTAL_FORMS": "1",
        "rows-INITIAL_FORMS": "0",
        "rows-0-kind": "money",
        "rows-0-description": "Grant",
        "rows-0-amount": "100",
        "rows-0-organization": TOO_BIG,
    }
    response = client_for(world.coordinator).post(url, data)
    assert response.status_code == 400


@pytest.mark.django_db
def test_directories_report_a_filter_no_key_holds_and_go_on(world):
    response = Client().get("/partners/", {"sdg": TOO_BIG})
    assert response.status_code == 200
    assert "is not a known" in response.content.decode()
    for params in ({"lead": TOO_BIG}, {"sdg": HUGE}, {"lead": "٣"}, {"sdg": "²"}):
        assert Client().get("/projects/", params).status_code == 200


@pytest.mark.django_db
def test_the_api_refuses_an_sdg_no_column_holds(world):
    assert Client().get("/api/v2/pages/", {"sdg": TOO_BIG}).status_code == 400
    assert Client().get("/api/v2/pages/", {"sdg": "4"}).status_code == 200


@pytest.mark.django_db
def test_tag_merge_form_refuses_a_tag_no_key_holds(world):
    from django.core.exceptions import BadRequest

    from taxonomy.forms import TagMergeForm

    tags = [Tag.objects.create(name="alpha"), Tag.objects.create(name="beta")]
    assert TagMergeForm({"target": str(tags[0].pk)}, tags=tags).is_valid()
    assert not TagMergeForm({"target": "abc"}, tags=tags).is_valid()
    with pytest.raises(BadRequest):
        TagMergeForm({"target": TOO_BIG}, tags=tags).is_valid()


def test_partner_pages_keys_are_ranged_through_their_page_link():
    """A partner page's key is its link to wagtailcore_page, whose id is an AutoField: 32 bits
    on PostgreSQL, 64 on SQLite. The range is the column's, not the link's."""
    from django.db import connection

    from core.ids import key_range

    assert key_range(PartnerPage.objects.all()) == connection.ops.integer_field_range("AutoField")
    assert key_range(Tag.objects.all()) == connection.ops.integer_field_range("AutoField")
