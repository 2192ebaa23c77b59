"""Totals of verified hours by volunteer and by project, and their CSV, for coordinators only:
pending and rejected hours never count, a period narrows them, cells never run as formulas,
and the pages cost the same with 3 volunteers as with 50."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from volunteers import services

from .conftest import make_shift, worked


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def verified(net, user, hours, days_ago=1):
    entry = worked(net, user=user, hours=hours, days_ago=days_ago)
    return services.hours_decide(user=net.coordinator, entry=entry, verify=True)


def volunteers(net, count, prefix="vol"):
    people = []
    shift = make_shift(net.coordinator, net.role, places=count, days=3)
    for n in range(count):
        person = UserFactory(username=f"{prefix}{n}", first_name=f"First{n}", last_name="Helper")
        services.profile_save(user=person)
        services.shift_signup(user=person, shift=shift)
        people.append(person)
    return people


def read_csv(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    text = text.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def review_url(net):
    return reverse("volunteers:hours_review", args=[net.project.pk])


def export_url(net):
    return reverse("volunteers:hours_export", args=[net.project.pk])


def test_coordinator_sees_verified_hours_by_volunteer_in_a_period(net):
    verified(net, net.volunteer, "3", days_ago=1)
    verified(net, net.volunteer, "2", days_ago=40)
    worked(net, hours="7", days_ago=2)  # pending
    rejected = worked(net, hours="9", days_ago=3)
    services.hours_decide(user=net.coordinator, entry=rejected, verify=False, reason="Not ours")
    client = client_for(net.coordinator)

    page = client.get(review_url(net)).content.decode()
    assert "<td>5</td><td>2</td>" in page

    start = (timezone.localdate() - timedelta(days=10)).isoformat()
    narrowed = client.get(review_url(net), {"start": start}).content.decode()
    assert "<td>3</td><td>1</td>" in narrowed
    assert f'export/?start={start}"' in narrowed


def test_a_period_that_ends_before_it_starts_is_refused(net):
    verified(net, net.volunteer, "3")
    today = timezone.localdate()
    query = {"start": today.isoformat(), "end": (today - timedelta(days=1)).isoformat()}
    client = client_for(net.coordinator)
    page = client.get(review_url(net), query).content.decode()
    assert "The period ends before it starts." in page
    assert "Download as CSV" not in page
    response = client.get(export_url(net), query)
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()
    bad_date = client.get(export_url(net), {"start": "yesterday"})
    assert bad_date.status_code == 400


def test_export_lists_each_volunteer_with_formula_safe_cells(net):
    net.volunteer.first_name = '=HYPERLINK("http://evil.example")'
    net.volunteer.last_name = "@SUM(A1)"
    net.volunteer.save()
    verified(net, net.volunteer, "3")
    response = client_for(net.coordinator).get(export_url(net))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "Access-Control-Allow-Origin" not in response
    assert "no-store" in response["Cache-Control"]
    header, row = read_csv(response)
    assert header == [
        "project",
        "volunteer",
        "name",
        "verified_hours",
        "entries",
        "first_day",
        "last_day",
    ]
    assert row[1] == "v_volunteer"
    assert row[2].startswith("'=HYPERLINK")
    assert Decimal(row[3]) == Decimal("3")
    assert row[4] == "1"


def test_export_denied_to_team_member_other_coordinator_and_anonymous(net):
    verified(net, net.volunteer, "3")
    assert client_for(net.team_member).get(export_url(net)).status_code == 403
    assert client_for(net.other_coordinator).get(export_url(net)).status_code == 403
    assert client_for(net.volunteer).get(export_url(net)).status_code == 403
    assert "/accounts/login/" in client_for().get(export_url(net))["Location"]


def _other_project_hours(net, hours="4"):
    role = services.role_create(
        user=net.other_coordinator, project=net.other_project, title="Other helper"
    )
    shift = make_shift(net.other_coordinator, role)
    services.shift_signup(user=net.volunteer, shift=shift)
    entry = services.hours_log(
        user=net.volunteer,
        role=role,
        day=timezone.localdate() - timedelta(days=1),
        hours=hours,
    )
    services.hours_decide(user=net.other_coordinator, entry=entry, verify=True)


def test_totals_by_project_show_only_the_projects_one_coordinates(net):
    verified(net, net.volunteer, "3")
    _other_project_hours(net)
    url = reverse("volunteers:hours_totals")

    mine = client_for(net.coordinator).get(url).content.decode()
    assert net.project.title in mine
    assert "Other project" not in mine

    theirs = client_for(net.other_coordinator).get(url).content.decode()
    assert "Other project" in theirs
    assert net.project.title not in theirs

    header, *rows = read_csv(client_for(net.coordinator).get(url, {"format": "csv"}))
    assert header == ["project_id", "project", "verified_hours", "volunteers", "entries"]
    assert [(r[0], Decimal(r[2]), r[3]) for r in rows] == [(str(net.project.pk), 3, "1")]


def test_totals_by_organization_on_the_page_and_in_csv(net):
    verified(net, net.volunteer, "3")
    verified(net, net.volunteer, "1.5", days_ago=2)
    _other_project_hours(net)
    lead = net.project.lead_organization
    url = reverse("volunteers:hours_totals")
    page = client_for(net.coordinator).get(url).content.decode()
    assert "By organization" in page
    assert lead.title in page
    assert net.other_project.lead_organization.title not in page

    response = client_for(net.coordinator).get(url, {"format": "csv", "by": "organization"})
    assert "by-organization" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header == [
        "organization_id",
        "organization",
        "verified_hours",
        "projects",
        "volunteers",
        "entries",
    ]
    assert [(r[0], r[1], Decimal(r[2]), r[3], r[4], r[5]) for r in rows] == [
        (str(lead.pk), lead.title, Decimal("4.5"), "1", "1", "2")
    ]
    # A period narrows them; a grouping that does not exist is refused.
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    _header, *rows = read_csv(
        client_for(net.coordinator).get(url, {"format": "csv", "by": "organization", "start": day})
    )
    assert [Decimal(r[2]) for r in rows] == [Decimal("3")]
    refused = client_for(net.coordinator).get(url, {"format": "csv", "by": "person"})
    assert refused.status_code == 400


def test_totals_by_project_are_empty_for_someone_who_coordinates_nothing(net):
    verified(net, net.volunteer, "3")
    url = reverse("volunteers:hours_totals")
    for person in (net.team_member, net.volunteer):
        page = client_for(person).get(url).content.decode()
        assert "No verified hours on projects you coordinate" in page
        assert net.project.title not in page
        assert read_csv(client_for(person).get(url, {"format": "csv"}))[1:] == []
    assert "/accounts/login/" in client_for().get(url)["Location"]


def test_totals_by_project_refuse_an_unknown_format(net):
    response = client_for(net.coordinator).get(
        reverse("volunteers:hours_totals"), {"format": "xls"}
    )
    assert response.status_code == 400
    assert "Unknown format" in response.content.decode()


@pytest.mark.parametrize("name", ["hours_review", "hours_export", "hours_totals"])
def test_totals_cost_the_same_for_3_and_50_volunteers(net, name, django_assert_max_num_queries):
    args = [] if name == "hours_totals" else [net.project.pk]
    url = reverse(f"volunteers:{name}", args=args)
    client = client_for(net.coordinator)
    for person in volunteers(net, 3, "few"):
        verified(net, person, "2")
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for person in volunteers(net, 47, "many"):
        verified(net, person, "2")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    if name == "hours_export":
        assert len(read_csv(response)) == 51
