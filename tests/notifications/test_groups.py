"""/portal/notifications/ groups a person's notifications by the project or organization they
are about: the group with the newest notification first, newest first inside each group, the
rest (about nothing in particular) in one group of their own; the services that notify say what
each notification is about; the page costs the same whatever the number of rows and groups."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notification_create
from partners import notification_kinds as partners_kinds
from projects import notification_kinds as projects_kinds
from tests.factories import UserFactory
from tests.utils import approved_organization, approved_project

pytestmark = pytest.mark.django_db

LIST = reverse("portal:notification_list")


def notify(user, title, about=None, minutes_ago=0):
    notification = notification_create(
        user=user,
        kind=projects_kinds.TEAM_ADDED,
        render=lambda: (title, ""),
        url="/portal/",
        email=False,
        language="en",
        about=about,
    )
    # A known time, so the order does not depend on how fast the rows were written.
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return notification


@pytest.fixture
def marta():
    return UserFactory(username="marta")


@pytest.fixture
def places(marta):
    organization = approved_organization(title="Fundació Pas a Pas")
    project = approved_project(title="Digital skills for young people")
    # The services above notified their own people, not marta.
    assert not Notification.objects.filter(user=marta).exists()
    return organization, project


def test_the_list_groups_by_project_or_organization_newest_first(client, marta, places):
    organization, project = places
    notify(marta, "Project old", project, minutes_ago=50)
    notify(marta, "Organization newest", organization, minutes_ago=5)
    notify(marta, "Loose one", None, minutes_ago=30)
    notify(marta, "Project new", project, minutes_ago=10)
    notify(marta, "Organization older", organization, minutes_ago=40)
    client.force_login(marta)
    response = client.get(LIST)
    assert response.status_code == 200
    groups = [
        (title, [notification.title for notification, _label in items])
        for title, items in response.context["groups"]
    ]
    assert groups == [
        ("Fundació Pas a Pas", ["Organization newest", "Organization older"]),
        ("Digital skills for young people", ["Project new", "Project old"]),
        (None, ["Loose one"]),
    ]
    html = response.content.decode()
    assert html.index("Fundació Pas a Pas") < html.index("Organization older")
    assert html.index("Organization older") < html.index("Digital skills for young people")
    assert html.index("Project old") < html.index("Everything else") < html.index("Loose one")


def test_a_group_cut_by_a_page_break_goes_on_at_the_top_of_the_next(client, marta, places):
    organization, project = places
    for number in range(30):
        notify(marta, f"Project {number:02}", project, minutes_ago=number)
    notify(marta, "Organization", organization, minutes_ago=100)
    client.force_login(marta)
    first = client.get(LIST).context["groups"]
    second = client.get(LIST, {"page": 2}).context["groups"]
    assert [title for title, _items in first] == ["Digital skills for young people"]
    assert [title for title, _items in second] == [
        "Digital skills for young people",
        "Fundació Pas a Pas",
    ]
    assert [n.title for n, _label in second[0][1]] == [f"Project {n}" for n in range(25, 30)]


def test_the_services_say_what_a_notification_is_about():
    coordinator = UserFactory(username="coordinator")
    project = approved_project(coordinator=coordinator)
    lead = project.lead_organization
    about = dict(Notification.objects.filter(user=coordinator).values_list("kind", "about_id"))
    assert about[partners_kinds.ORGANIZATION_APPROVED] == lead.pk
    assert about[projects_kinds.APPROVED] == project.pk


@pytest.mark.parametrize("groups", [1, 6])
def test_the_grouped_list_costs_the_same_for_one_row_or_many(
    client, marta, groups, django_assert_max_num_queries
):
    pages = [approved_project(title=f"Project {n}") for n in range(groups)]
    rows = 1 if groups == 1 else 24  # one page: 25 rows
    for number in range(rows):
        notify(marta, f"Row {number}", pages[number % groups], minutes_ago=number)
    client.force_login(marta)
    with django_assert_max_num_queries(7):
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(response.context["groups"]) == groups


def test_old_rows_are_grouped_by_the_page_their_link_names(marta, places):
    organization, project = places
    migration = importlib.import_module("notifications.migrations.0005_notification_about_page")
    rows = Notification.objects.bulk_create(
        [
            Notification(user=marta, kind="projects.team_added", title="a", url=url)
            for url in (
                f"/portal/projects/{project.pk}/chat/",
                f"/es/portal/organizations/{organization.pk}/",
                "/portal/projects/999999/",
                "/portal/",
            )
        ]
    )
    migration.about_from_links(django_apps, None)
    assert [Notification.objects.get(pk=row.pk).about_id for row in rows] == [
        project.pk,
        organization.pk,
        None,
        None,
    ]
