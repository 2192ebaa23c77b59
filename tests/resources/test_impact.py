"""What a project received through shared resources is offered to its impact map as inputs,
with their source: returned bookings for the project at the value per hour their listing states
(in kind), and ledger hours given for it at the map's hourly rate. Nothing enters the map until
a coordinator offers it, and offering again never counts it twice."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from impact import services as impact
from impact.models import Input
from impact.report import build_report
from impact.selectors import impact_map_get
from impact.suggestions import CHANGED, NEW, OFFERED, input_suggestions
from projects.services import participation_accept, participation_invite
from resources import bookings
from resources.models import Booking
from tests.factories import UserFactory
from tests.utils import approved_project

from .conftest import at, make_listing

pytestmark = pytest.mark.django_db


class Project:
    def __init__(self, cluster):
        self.coordinator = UserFactory(username="coordinator")
        self.page = approved_project(coordinator=self.coordinator, title="Shared room project")
        participation = participation_invite(
            project=self.page, organization=cluster.other, user=self.coordinator
        )
        participation_accept(participation=participation, user=cluster.other_admin)


@pytest.fixture
def project(cluster):
    return Project(cluster)


def booking_year():
    return timezone.localtime(at(1, 10)[0]).year


@pytest.fixture
def impact_map(project):
    return impact.impact_map_create(
        project=project.page,
        user=project.coordinator,
        kind="forecast",
        first_year=booking_year(),
        volunteer_hourly_rate=Decimal("12.00"),
    )


def lend(cluster, listing, project, *, hours=3, days=1, returned=True):
    start, end = at(days, 10, hours=hours)
    (booking,) = bookings.booking_request(
        user=cluster.other_admin,
        listing=listing,
        organization=cluster.other,
        starts_at=start,
        ends_at=end,
        project=project.page if project else None,
    )
    if returned:
        bookings.booking_approve(booking=booking, user=cluster.owner_admin)
        bookings.booking_check_out(booking=booking, user=cluster.owner_admin)
        bookings.booking_return(booking=booking, user=cluster.owner_admin)
    return booking


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def map_url(impact_map):
    return reverse("portal:impact_map", args=[impact_map.project_id, impact_map.kind])


def offer_url(impact_map):
    return reverse("portal:impact_suggestion_offer", args=[impact_map.project_id, "forecast"])


def test_a_room_lent_for_the_project_is_shown_at_its_stated_value(cluster, project, impact_map):
    room = make_listing(cluster, value_per_hour=Decimal("20.00"))
    lend(cluster, room, project, hours=3)
    lend(cluster, room, project, hours=2, days=2, returned=False)  # not returned: not counted
    lend(cluster, room, None, days=3)  # not for the project
    [suggestion] = input_suggestions(impact_map)
    assert (suggestion.key, suggestion.state, suggestion.amount, suggestion.value) == (
        f"resources:kind:{booking_year()}:{room.pk}",
        NEW,
        Decimal("60.00"),
        Decimal("60.00"),
    )
    assert suggestion.contributor == "Owner org"
    page = client_for(project.coordinator).get(map_url(impact_map)).content.decode()
    assert "Meeting room" in page
    assert "60.00 EUR" in page
    assert "Offer as an input" in page
    assert not Input.objects.exists(), "nothing is added by looking"


def test_offered_once_as_an_in_kind_input_with_its_source(cluster, project, impact_map):
    room = make_listing(cluster, value_per_hour=Decimal("20.00"))
    lend(cluster, room, project, hours=3)
    key = f"resources:kind:{booking_year()}:{room.pk}"
    client = client_for(project.coordinator)
    response = client.post(offer_url(impact_map), {"key": key}, follow=True)
    assert "is an input of the map now" in response.content.decode()
    row = Input.objects.get(impact_map=impact_map)
    assert (row.kind, row.amount, row.hours, row.year, row.contributor_name) == (
        Input.Kind.IN_KIND,
        Decimal("60.00"),
        None,
        1,
        "Owner org",
    )
    assert "Meeting room" in row.description and "3 h" in row.description
    again = client.post(offer_url(impact_map), {"key": key}, follow=True)
    assert "already has this input" in again.content.decode()
    assert Input.objects.filter(impact_map=impact_map).count() == 1
    report = build_report(impact_map_get(project.page, "forecast"))
    assert Decimal(str(report["summary"]["total_inputs"])) == Decimal("60")

    lend(cluster, room, project, hours=1, days=2)
    [suggestion] = input_suggestions(impact_map)
    assert suggestion.state == CHANGED
    impact.input_suggestion_offer(impact_map=impact_map, user=project.coordinator, key=key)
    assert list(Input.objects.values_list("amount", flat=True)) == [Decimal("80.00")]
    assert input_suggestions(impact_map)[0].state == OFFERED


def test_hours_without_a_stated_value_are_offered_at_the_map_rate(cluster, project, impact_map):
    advice = make_listing(cluster, kind="expertise", title="Legal advice")
    lend(cluster, advice, project, hours=4)
    [suggestion] = input_suggestions(impact_map)
    assert (suggestion.kind, suggestion.hours, suggestion.value) == (
        "volunteer_hours",
        Decimal("4"),
        Decimal("48.00"),
    )
    row, changed = impact.input_suggestion_offer(
        impact_map=impact_map, user=project.coordinator, key=suggestion.key
    )
    assert changed and (row.kind, row.hours, row.amount) == ("volunteer_hours", 4, None)


def test_valued_hours_are_counted_once_in_kind_not_again_as_ledger_hours(
    cluster, project, impact_map
):
    advice = make_listing(
        cluster, kind="expertise", title="Legal advice", value_per_hour=Decimal("50")
    )
    lend(cluster, advice, project, hours=2)
    [suggestion] = input_suggestions(impact_map)
    assert (suggestion.kind, suggestion.amount) == ("in_kind", Decimal("100.00"))


def test_nothing_is_added_silently(cluster, project, impact_map):
    room = make_listing(cluster, value_per_hour=Decimal("20.00"))
    lend(cluster, room, project)
    advice = make_listing(cluster, kind="expertise", title="Legal advice")
    lend(cluster, advice, project, days=2)
    client_for(project.coordinator).get(map_url(impact_map))
    assert len(input_suggestions(impact_map)) == 2
    assert not Input.objects.exists()
    report = build_report(impact_map_get(project.page, "forecast"))
    assert Decimal(str(report["summary"]["total_inputs"])) == 0


def test_a_map_in_another_currency_is_not_offered_euro_values(cluster, project):
    other = impact.impact_map_create(
        project=project.page,
        user=project.coordinator,
        kind="forecast",
        first_year=booking_year(),
        currency="USD",
    )
    room = make_listing(cluster, value_per_hour=Decimal("20.00"))
    lend(cluster, room, project)
    assert input_suggestions(other) == []


def test_a_listing_without_a_value_lent_as_a_room_is_not_offered(cluster, project, impact_map):
    lend(cluster, make_listing(cluster), project)
    assert input_suggestions(impact_map) == []


def test_a_booking_for_a_project_the_organization_is_not_in_is_refused(cluster, project):
    room = make_listing(cluster)
    start, end = at(1, 10)
    with pytest.raises(ValidationError) as error:
        bookings.booking_request(
            user=cluster.owner_admin,
            listing=room,
            organization=cluster.owner,
            starts_at=start,
            ends_at=end,
            project=project.page,
        )
    assert "project" in error.value.message_dict
    assert not Booking.objects.exists()


def test_the_booking_form_offers_the_organizations_projects(cluster, project):
    room = make_listing(cluster)
    client = client_for(cluster.other_admin)
    url = reverse("resources:listing_book", args=[room.pk])
    assert "Shared room project" in client.get(url).content.decode()
    start, end = at(1, 10)
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post(
        url,
        {
            "organization": cluster.other.pk,
            "starts_at": timezone.localtime(start).strftime(fmt),
            "ends_at": timezone.localtime(end).strftime(fmt),
            "quantity": 1,
            "weeks": 1,
            "project": project.page.pk,
        },
    )
    assert response.status_code == 302
    assert Booking.objects.get().project_id == project.page.pk
