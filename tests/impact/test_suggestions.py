"""Suggested inputs: the project's verified volunteer hours, valued at the map's hourly rate,
offered to its coordinators on the map page; nothing enters the map until one offers it, and
offering again never counts the hours twice."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from impact import services
from impact.models import Input
from impact.report import build_report
from impact.selectors import impact_map_get
from impact.suggestions import CHANGED, NEW, OFFERED, input_suggestions
from tests.volunteers.conftest import build_network, worked
from volunteers import services as volunteering

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def hours_year():
    # ``worked`` logs hours for yesterday.
    return (timezone.localdate() - timedelta(days=1)).year


@pytest.fixture
def net(db):
    return build_network()


@pytest.fixture
def impact_map(net):
    return services.impact_map_create(
        project=net.project,
        user=net.coordinator,
        kind="forecast",
        first_year=hours_year(),
        volunteer_hourly_rate=Decimal("12.00"),
    )


def verify(net, hours):
    volunteering.hours_decide(user=net.coordinator, entry=worked(net, hours=hours), verify=True)


def map_url(impact_map):
    return reverse("portal:impact_map", args=[impact_map.project_id, impact_map.kind])


def offer_url(impact_map):
    return reverse("portal:impact_suggestion_offer", args=[impact_map.project_id, "forecast"])


def key():
    return f"volunteers:{hours_year()}"


def test_coordinator_sees_verified_hours_valued_at_the_map_rate(net, impact_map):
    verify(net, "3")
    worked(net, hours="5")  # pending: not suggested
    response = client_for(net.coordinator).get(map_url(impact_map))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Suggested inputs" in page
    assert "36.00 EUR" in page  # 3 h × 12.00
    assert "Offer as an input" in page
    assert f'value="{key()}"' in page
    assert not Input.objects.exists(), "nothing is added by looking"


def test_offering_adds_the_hours_as_an_input_once(net, impact_map):
    verify(net, "3")
    client = client_for(net.coordinator)
    response = client.post(offer_url(impact_map), {"key": key()}, follow=True)
    assert "is an input of the map now" in response.content.decode()
    row = Input.objects.get(impact_map=impact_map)
    assert (row.kind, row.hours, row.year, row.suggestion_key) == (
        Input.Kind.VOLUNTEER_HOURS,
        Decimal("3"),
        1,
        key(),
    )
    assert row.contributor_name == "The project's volunteers"
    assert "1 volunteer)" in row.description

    again = client.post(offer_url(impact_map), {"key": key()}, follow=True)
    assert "already has this input" in again.content.decode()
    assert Input.objects.filter(impact_map=impact_map).count() == 1
    assert "Already an input" in client.get(map_url(impact_map)).content.decode()
    report = build_report(impact_map_get(net.project, "forecast"))
    assert Decimal(str(report["summary"]["total_inputs"])) == Decimal("36")


def test_offering_again_after_more_hours_updates_the_same_input(net, impact_map):
    verify(net, "3")
    services.input_suggestion_offer(impact_map=impact_map, user=net.coordinator, key=key())
    verify(net, "2")
    [suggestion] = input_suggestions(impact_map)
    assert suggestion.state == CHANGED
    assert (
        "figure has changed"
        in client_for(net.coordinator).get(map_url(impact_map)).content.decode()
    )
    row, changed = services.input_suggestion_offer(
        impact_map=impact_map, user=net.coordinator, key=key()
    )
    assert changed
    assert list(Input.objects.values_list("pk", "hours")) == [(row.pk, Decimal("5"))]
    assert input_suggestions(impact_map)[0].state == OFFERED


def test_deleting_the_input_lets_it_be_offered_afresh(net, impact_map):
    verify(net, "3")
    row, _changed = services.input_suggestion_offer(
        impact_map=impact_map, user=net.coordinator, key=key()
    )
    services.impact_rows_save(impact_map=impact_map, user=net.coordinator, deleted=[row])
    assert input_suggestions(impact_map)[0].state == NEW


def test_a_year_outside_the_analysis_period_is_refused(net):
    verify(net, "3")
    later = services.impact_map_create(
        project=net.project, user=net.coordinator, kind="forecast", first_year=hours_year() + 1
    )
    client = client_for(net.coordinator)
    assert "Outside the analysis period" in client.get(map_url(later)).content.decode()
    response = client.post(offer_url(later), {"key": key()}, follow=True)
    assert "outside the map&#x27;s analysis period" in response.content.decode()
    assert not Input.objects.exists()


def test_an_unknown_suggestion_is_refused(net, impact_map):
    verify(net, "3")
    response = client_for(net.coordinator).post(
        offer_url(impact_map), {"key": "volunteers:1999"}, follow=True
    )
    assert "no longer offered" in response.content.decode()
    assert not Input.objects.exists()


def test_team_member_neither_sees_nor_offers_suggestions(net, impact_map):
    verify(net, "3")
    client = client_for(net.team_member)
    page = client.get(map_url(impact_map))
    assert page.status_code == 200
    assert "Suggested inputs" not in page.content.decode()
    assert client.post(offer_url(impact_map), {"key": key()}).status_code == 403
    assert not Input.objects.exists()


def test_outsider_cannot_offer_suggestions(net, impact_map):
    verify(net, "3")
    response = client_for(net.other_coordinator).post(offer_url(impact_map), {"key": key()})
    assert response.status_code == 404
    assert not Input.objects.exists()


def test_anonymous_is_sent_to_sign_in(net, impact_map):
    response = Client().post(offer_url(impact_map), {"key": key()})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Input.objects.exists()


def test_the_map_page_costs_the_same_with_more_suggestions(
    net, impact_map, django_assert_max_num_queries
):
    verify(net, "3")
    client = client_for(net.coordinator)
    client.get(map_url(impact_map))
    with django_assert_max_num_queries(40) as one_year:
        client.get(map_url(impact_map))
    volunteering.hours_decide(
        user=net.coordinator,
        entry=worked(net, hours="4", days_ago=400),
        verify=True,
    )
    assert len(input_suggestions(impact_map)) == 2
    with django_assert_max_num_queries(len(one_year.captured_queries)):
        client.get(map_url(impact_map))


def test_hours_of_the_lead_organization_own_roles_are_no_project_suggestion(net, impact_map):
    """The lead organization's coordinator is its admin: hours on a role the organization
    publishes itself (no project) count for the organization, never for the project's map."""
    organization = net.project.lead_organization
    role = volunteering.role_create(
        user=net.coordinator, organization=organization, title="Fair welcome desk"
    )
    start = timezone.now() + timedelta(days=1)
    shift = volunteering.shift_create(
        user=net.coordinator,
        role=role,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        places=2,
    )
    volunteering.shift_signup(user=net.volunteer, shift=shift)
    entry = volunteering.hours_log(
        user=net.volunteer,
        role=role,
        day=timezone.localdate() - timedelta(days=1),
        hours=Decimal("4"),
    )
    volunteering.hours_decide(user=net.coordinator, entry=entry, verify=True)
    verify(net, "3")
    page = client_for(net.coordinator).get(map_url(impact_map)).content.decode()
    assert "36.00 EUR" in page  # 3 h of the project's role × 12.00, without the 4 h
    assert "84.00 EUR" not in page
