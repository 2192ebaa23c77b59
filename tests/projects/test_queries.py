"""Constant SQL query counts: the same bound with 3 rows as with 60.

Each page is measured on a data set where every list it shows has ``size`` rows: projects in
the directory and on the dashboard, partners on a project page, team members, partners and
requests in the workspace.
"""

import re

import pytest
from django.contrib.auth.models import Group

from partners.services import membership_add
from projects.services import (
    participation_accept,
    participation_invite,
    participation_request,
    team_add,
)
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from tests.factories import UserFactory
from tests.projects.builders import quick_organization, quick_project
from tests.utils import rolled_back

pytestmark = pytest.mark.django_db


def build(size):
    sdgs = list(SustainableDevelopmentGoal.objects.all()[:3])
    region = Region.objects.create(name="Barcelonès", slug="barcelones")
    sector = Sector.objects.create(name="Education", slug="education")
    coordinator = UserFactory(username="coordinator")
    lead = quick_organization(coordinator, "Lead", offers=["mentoring"], sdgs=sdgs)
    common = {"sdgs": sdgs, "sectors": [sector], "region": region}
    main = quick_project(
        coordinator, lead, "Main", needs=["laptops", "mentoring", "rooms"], **common
    )
    second = quick_project(coordinator, lead, "Second", needs=["rooms"], **common)
    for n in range(size):
        quick_project(coordinator, lead, f"Project {n:02}", needs=[f"need {n}", "rooms"], **common)
    admins = []
    for n in range(size):
        admin = UserFactory(username=f"admin{n:02}")
        organization = quick_organization(
            admin,
            f"Partner {n:02}",
            offers=["laptops", "rooms"],
            sectors=[sector],
            **{"sdgs": sdgs, "region": region},
        )
        participation_accept(
            participation=participation_invite(
                project=main, organization=organization, user=coordinator
            ),
            user=admin,
        )
        participation_request(project=second, organization=organization, user=admin)
        admins.append((admin, organization))
    first_admin, first_partner = admins[0]
    for n in range(size):
        person = UserFactory(username=f"member{n:02}")
        membership_add(organization=first_partner, user=person)
        team_add(project=main, user=person, organization=first_partner)
    outsider = UserFactory(username="outsider")
    quick_organization(outsider, "Outsider NGO", offers=["rooms"])
    editor = UserFactory(username="editor")
    editor.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    return {
        "size": size,
        "coordinator": coordinator,
        "lead": lead,
        "main": main,
        "partner_admin": first_admin,
        "member": UserFactory._meta.model.objects.get(username="member00"),
        "outsider": outsider,
        "editor": editor,
    }


@pytest.fixture(scope="module", params=[3, 60], ids=["3-rows", "60-rows"])
def scale(request, django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        yield build(request.param)


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/projects/",
        "/projects/?status=idea&need=rooms&sdg=1&sdg=2&region=barcelones&sector=education",
        "/projects/?q=project&need=rooms",
        "/projects/?page=2",
        "/projects/?format=json",
        "/projects/?format=csv&need=rooms",
    ],
)
def test_directory_queries(client, scale, url, django_assert_max_num_queries):
    client.get(url)  # warm per-process caches (content types, site root paths)
    with django_assert_max_num_queries(22):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("who", [None, "partner_admin", "outsider", "coordinator", "editor"])
def test_project_page_queries(client, scale, who, django_assert_max_num_queries):
    login(client, scale.get(who))
    client.get(scale["main"].url)
    # 23: the head's hreflang links look up the page's translations (one query), the site
    # navigation counts a signed-in person's unread notifications (one query); 24: the
    # project's public news (one query, workspace).
    with django_assert_max_num_queries(24):
        response = client.get(scale["main"].url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('href="/partners/partner-') == scale["size"]


@pytest.mark.parametrize("who", ["coordinator", "member"])
def test_workspace_queries(client, scale, who, django_assert_max_num_queries):
    login(client, scale[who])
    client.get(f"/portal/projects/{scale['main'].pk}/")
    # 32, and 2 for the knowledge panel (the project's case studies, the person's communities).
    # 34, and 1 for the unread-notifications badge in the navigation; 40 with the panels of
    # the workspace (documents, tasks, meetings, news), training and the volunteers' hours;
    # 41 with the team's links to the cards people show (one query, people); 42 with the
    # team's recent activity beside the chat (one query, the audit trail); 44 with the cards
    # the chat's list of who is online links to (the team's ids, the cards they show); 54 with
    # the shared resources that answer the project's needs, for coordinators (the person's
    # organizations and projects, the needs, sectors and SDGs, the partners, the offers and
    # their tags, sectors and SDGs: ten queries, constant in rows).
    with django_assert_max_num_queries(54):
        response = client.get(f"/portal/projects/{scale['main'].pk}/")
    assert response.status_code == 200
    assert len(response.context["team"]) == scale["size"] + 1


@pytest.mark.parametrize("who", ["coordinator", "partner_admin", "outsider"])
def test_dashboard_queries(client, scale, who, django_assert_max_num_queries):
    login(client, scale[who])
    client.get("/portal/")
    # 22, 1 for the resources panel (bookings waiting for an answer), 1 for the profile
    # (what it still lacks) and 1 for the person's open tasks across their projects
    # (workspace); 29 with the open offers that answer what the person's organizations seek
    # (their memberships and projects, the seek tags, the offers and their tags); 30 with the
    # volunteer roles the organizations the person administers publish themselves (one
    # query); constant in rows.
    with django_assert_max_num_queries(30):
        response = client.get("/portal/")
    assert response.status_code == 200
    if who == "coordinator":
        answers = re.findall(
            r"/portal/projects/participations/\d+/accept/", response.content.decode()
        )
        assert len(answers) == scale["size"]


def test_partner_page_projects_queries(client, scale, django_assert_max_num_queries):
    client.get(scale["lead"].url)
    with django_assert_max_num_queries(11):
        response = client.get(scale["lead"].url)
    assert response.status_code == 200
    # One page of projects (12), whatever the organization takes part in.
    assert response.content.decode().count('<li class="card">') == min(scale["size"] + 2, 12)
