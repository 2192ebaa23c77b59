"""Listings: publish, edit, close, renew; the directory's facets, visibility, page cache and
query counts; expiry and its reminder; the hours ledger and its export; the calendar feeds;
the audit trail; personal data; the demo."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import PageLogEntry

from core.demo import DemoContext
from core.pagecache import HEADER
from core.personal_data import registrations
from notifications.models import Notification
from resources import bookings, selectors, services
from resources.models import Booking, HoursEntry, Listing
from resources.permissions import viewer_for
from taxonomy.models import Region, Sector
from tests.factories import UserFactory
from tests.utils import approved_organization

from .conftest import at, make_listing

pytestmark = pytest.mark.django_db


def _form(cluster, **overrides):
    data = {
        "organization": cluster.owner.pk,
        "type": "offer",
        "kind": "room",
        "title": "Assembly hall",
        "description": "Seats 80.",
        "quantity": 1,
        "conditions": "free",
        "audience": "public",
        "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "tags": "hall, events",
    }
    data.update(overrides)
    return data


def test_an_admin_publishes_edits_and_closes_a_listing(cluster):
    client = Client()
    client.force_login(cluster.owner_admin)
    response = client.post(reverse("resources:listing_create"), _form(cluster))
    listing = Listing.objects.get()
    assert response["Location"] == reverse("resources:resource_detail", args=[listing.pk])
    assert sorted(t.name for t in listing.tags.all()) == ["events", "hall"]
    data = _form(cluster, title="Assembly hall (renovated)")
    data.pop("organization")
    client.post(reverse("resources:listing_edit", args=[listing.pk]), data)
    listing.refresh_from_db()
    assert listing.title == "Assembly hall (renovated)"
    client.post(reverse("resources:listing_close", args=[listing.pk]))
    listing.refresh_from_db()
    assert listing.status == Listing.Status.CLOSED
    actions = set(PageLogEntry.objects.filter(page=cluster.owner).values_list("action", flat=True))
    assert {"resources.listing.create", "resources.listing.update", "resources.listing.close"} <= (
        actions
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": ""},
        {"kind": "spaceship"},
        {"quantity": 0},
        {"quantity": 500},
        {"expires_on": "2001-01-01"},
        {"expires_on": (timezone.localdate() + timedelta(days=800)).isoformat()},
        {"audience": "project"},  # no project chosen
        {"organization": "999999"},
    ],
)
def test_bad_input_is_refused_and_nothing_stored(cluster, overrides):
    client = Client()
    client.force_login(cluster.owner_admin)
    response = client.post(reverse("resources:listing_create"), _form(cluster, **overrides))
    assert response.status_code == 200
    assert not Listing.objects.exists()


def test_an_admin_cannot_list_for_another_organization(cluster):
    with pytest.raises(PermissionDenied):
        services.listing_create(
            user=cluster.owner_admin,
            organization=cluster.other,
            type="offer",
            kind="room",
            title="Not mine",
            expires_on=timezone.localdate() + timedelta(days=5),
        )
    client = Client()
    client.force_login(cluster.owner_admin)
    client.post(reverse("resources:listing_create"), _form(cluster, organization=cluster.other.pk))
    assert not Listing.objects.exists()


def test_directory_visibility_by_audience_state_and_expiry(cluster):
    public = make_listing(cluster, title="Public room")
    make_listing(cluster, title="Cluster van", audience="cluster", kind="vehicle")
    closed = make_listing(cluster, title="Closed room")
    services.listing_close(listing=closed, user=cluster.owner_admin)
    expired = make_listing(cluster, title="Old room")
    Listing.objects.filter(pk=expired.pk).update(expires_on=timezone.localdate() - timedelta(1))

    def titles(user=None):
        client = Client()
        if user:
            client.force_login(user)
        page = client.get(reverse("resources:resource_directory")).content.decode()
        return {t for t in ("Public room", "Cluster van", "Closed room", "Old room") if t in page}

    assert titles() == {"Public room"}
    assert titles(cluster.no_org) == {"Public room"}
    assert titles(cluster.other_member) == {"Public room", "Cluster van"}
    # The expired and the closed listings' pages are their organization's only.
    for listing in (closed, expired):
        url = reverse("resources:resource_detail", args=[listing.pk])
        client = Client()
        client.force_login(cluster.other_admin)
        assert client.get(url).status_code == 404
        client.force_login(cluster.owner_member)
        assert client.get(url).status_code == 200
    assert public.is_active


def test_project_listings_reach_that_projects_partners_only(db):
    from tests.utils import project_with_partner_on_team

    coordinator = UserFactory()
    project, partner, member = project_with_partner_on_team(coordinator=coordinator)
    lead = project.lead_organization
    listing = services.listing_create(
        user=coordinator,
        organization=lead,
        type="offer",
        kind="equipment",
        title="Tablets for the course",
        audience="project",
        project=project,
        expires_on=timezone.localdate() + timedelta(days=20),
    )
    outsider = UserFactory()
    approved_organization(admin=outsider)
    assert selectors.listings_visible(viewer_for(member)).filter(pk=listing.pk).exists()
    assert not selectors.listings_visible(viewer_for(outsider)).filter(pk=listing.pk).exists()
    # Someone outside the project cannot aim a listing at it.
    with pytest.raises(ValidationError):
        services.listing_create(
            user=outsider,
            organization=outsider.memberships.get().organization,
            type="offer",
            kind="room",
            title="Sneaky",
            audience="project",
            project=project,
            expires_on=timezone.localdate() + timedelta(days=20),
        )


def test_facets_filter_and_unknown_values_are_reported(cluster):
    region = Region.objects.create(name="Osona", slug="osona")
    sector = Sector.objects.create(name="Youth", slug="youth")
    room = make_listing(cluster, title="Room in Osona", region=region, sectors=[sector])
    make_listing(cluster, title="Projector", kind="equipment", conditions="deposit")
    make_listing(cluster, title="Need a van", type="request", kind="vehicle")

    def titles(query):
        page = Client().get(reverse("resources:resource_directory") + query).content.decode()
        return {t for t in ("Room in Osona", "Projector", "Need a van") if t in page}, page

    assert titles("?type=request")[0] == {"Need a van"}
    assert titles("?kind=equipment&kind=vehicle")[0] == {"Projector", "Need a van"}
    assert titles("?conditions=deposit")[0] == {"Projector"}
    assert titles("?region=osona")[0] == {"Room in Osona"}
    assert titles("?sector=youth")[0] == {"Room in Osona"}
    assert titles("?q=osona")[0] == {"Room in Osona"}
    found, page = titles("?kind=spaceship")
    assert len(found) == 3 and "spaceship" in page  # reported, not an empty list
    assert room.region == region


def test_the_directory_is_cached_for_visitors_and_refreshed_by_changes(
    cluster, django_assert_num_queries
):
    make_listing(cluster, title="First room")
    url = reverse("resources:resource_directory") + "?kind=room&type=offer"
    assert Client().get(url)[HEADER] == "miss"
    with django_assert_num_queries(0):
        response = Client().get(url)
    assert response[HEADER] == "hit"
    make_listing(cluster, title="Second room")
    response = Client().get(url)
    assert response[HEADER] == "miss" and "Second room" in response.content.decode()
    signed_in = Client()
    signed_in.force_login(cluster.other_member)
    assert HEADER not in signed_in.get(url)


def test_a_listing_page_is_cached_for_visitors_until_its_calendar_changes(cluster):
    listing = make_listing(cluster, address="Carrer Secret 9")
    url = reverse("resources:resource_detail", args=[listing.pk])
    assert Client().get(url)[HEADER] == "miss"
    response = Client().get(url)
    assert response[HEADER] == "hit" and "Carrer Secret 9" not in response.content.decode()
    day = timezone.localdate() + timedelta(days=9)
    services.blocked_date_add(listing=listing, user=cluster.owner_admin, date=day, reason="Fair")
    response = Client().get(url)
    assert response[HEADER] == "miss" and "Fair" in response.content.decode()


def test_the_directory_in_every_language(cluster):
    make_listing(cluster)
    for prefix in ("", "/es", "/ca"):
        response = Client().get(f"{prefix}/resources/")
        assert response.status_code == 200
        assert response["Content-Language"] == (prefix.strip("/") or "en")


@pytest.mark.parametrize("signed_in", [False, True])
def test_directory_queries_do_not_grow_with_rows(
    cluster, signed_in, django_assert_max_num_queries, settings
):
    settings.PAGECACHE_ENABLED = False
    client = Client()
    if signed_in:
        client.force_login(cluster.other_member)
    url = reverse("resources:resource_directory")
    for count in (3, 50):
        existing = Listing.objects.count()
        for n in range(existing, count):
            make_listing(cluster, title=f"Room {n}", region=Region.objects.first())
        with django_assert_max_num_queries(16):
            response = client.get(url)
        assert response.status_code == 200


def test_desk_and_mine_queries_do_not_grow_with_bookings(cluster, django_assert_max_num_queries):
    listing = make_listing(cluster, quantity=50, kind="equipment")
    client = Client()
    client.force_login(cluster.owner_admin)
    for count in (3, 50):
        have = Booking.objects.count()
        if count > have:
            bookings.booking_request(
                user=cluster.other_member,
                listing=listing,
                organization=cluster.other,
                starts_at=at(3, 10)[0],
                ends_at=at(3, 10)[1],
                quantity=count - have,
            )
        with django_assert_max_num_queries(14):
            assert (
                client.get(reverse("resources:listing_bookings", args=[listing.pk])).status_code
                == 200
            )
        with django_assert_max_num_queries(14):
            assert client.get(reverse("resources:resources_mine")).status_code == 200
        with django_assert_max_num_queries(12):
            assert (
                client.get(reverse("resources:listing_calendar", args=[listing.pk])).status_code
                == 200
            )


# --- Expiry -----------------------------------------------------------------------------------


def test_expiry_reminds_the_admins_once_and_hides_the_listing(cluster):
    listing = make_listing(
        cluster, title="Soon gone", expires_on=timezone.localdate() + timedelta(days=3)
    )
    later = make_listing(cluster, title="Later", expires_on=timezone.localdate() + timedelta(30))
    assert services.listings_expiry_remind() == 1
    assert services.listings_expiry_remind() == 0
    notes = Notification.objects.filter(kind="resources.expiring")
    assert list(notes.values_list("user", flat=True)) == [cluster.owner_admin.pk]
    assert later.reminded_at is None
    day_after = timezone.localdate() + timedelta(days=4)
    visible = selectors.listings_visible(viewer_for(cluster.other_member))
    assert visible.filter(pk=listing.pk).exists()  # until its expiry date
    # Four days on, it has left the directory.
    assert not selectors._active(Listing.objects.filter(pk=listing.pk), today=day_after).exists()
    Listing.objects.filter(pk=listing.pk).update(expires_on=timezone.localdate() - timedelta(1))
    page = Client().get(reverse("resources:resource_directory")).content.decode()
    assert listing.title not in page and later.title in page
    listing.refresh_from_db()
    # Renewing brings it back and reminds again next time.
    listing = services.listing_renew(listing=listing, user=cluster.owner_admin)
    assert listing.expires_on > day_after and listing.reminded_at is None


def test_the_reminder_command_reminds_listings_and_bookings_once(cluster):
    from django.core.management import call_command

    soon = make_listing(cluster, expires_on=timezone.localdate() + timedelta(days=1))
    room = make_listing(cluster, title="Room", auto_approve=True)
    start = timezone.now() + timedelta(hours=5)
    (booking,) = bookings.booking_request(
        user=cluster.other_member,
        listing=room,
        organization=cluster.other,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    bookings.booking_request(  # next week: not yet
        user=cluster.other_member,
        listing=room,
        organization=cluster.other,
        starts_at=start + timedelta(days=7),
        ends_at=start + timedelta(days=7, hours=1),
    )
    out = StringIO()
    call_command("resources_remind", stdout=out)
    assert "1 listing(s) and 1 booking(s)" in out.getvalue()
    call_command("resources_remind", stdout=StringIO())
    reminders = Notification.objects.filter(kind="resources.booking_reminder")
    assert list(reminders.values_list("user", flat=True)) == [cluster.other_member.pk]
    assert soon.title


# --- Calendar feeds ---------------------------------------------------------------------------


def test_the_calendar_feed_shows_holding_bookings_without_people(cluster):
    listing = make_listing(cluster, title="Hall")
    (pending,) = bookings.booking_request(
        user=cluster.other_member,
        listing=listing,
        organization=cluster.other,
        starts_at=at(3, 10)[0],
        ends_at=at(3, 10)[1],
    )
    (declined,) = bookings.booking_request(
        user=cluster.other_member,
        listing=listing,
        organization=cluster.other,
        starts_at=at(4, 10)[0],
        ends_at=at(4, 10)[1],
    )
    bookings.booking_decline(booking=declined, user=cluster.owner_admin)
    response = Client().get(reverse("resources:listing_calendar", args=[listing.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["uid"]).split("@")[0] for e in events] == [f"booking-{pending.pk}"]
    assert events[0]["status"] == "TENTATIVE"
    assert events[0].decoded("dtstart") == pending.starts_at
    body = response.content.decode()
    assert "Other org" not in body and cluster.other_member.username not in body
    org_feed = Client().get(reverse("resources:organization_calendar", args=[cluster.owner.pk]))
    assert len(Calendar.from_ical(org_feed.content).walk("VEVENT")) == 1


# --- Hours ledger ------------------------------------------------------------------------------


def test_the_ledger_shows_own_hours_and_exports_them(cluster):
    listing = make_listing(cluster, kind="volunteer", title="Volunteers", auto_approve=True)
    (booking,) = bookings.booking_request(
        user=cluster.other_member,
        listing=listing,
        organization=cluster.other,
        starts_at=at(3, 10, 4)[0],
        ends_at=at(3, 10, 4)[1],
    )
    bookings.booking_check_out(booking=booking, user=cluster.owner_admin)
    bookings.booking_return(booking=booking, user=cluster.owner_admin)
    stranger_admin = UserFactory()
    third = approved_organization(admin=stranger_admin, title="Third org")
    HoursEntry.objects.create(
        giver=third, receiver=third, category="expertise", hours=Decimal("2"), date=at(1, 1)[0]
    )
    client = Client()
    client.force_login(cluster.other_member)
    page = client.get(reverse("resources:hours_ledger")).content.decode()
    assert "Owner org" in page and "Third org" not in page
    csv_response = client.get(reverse("resources:hours_ledger") + "?category=volunteer&format=csv")
    lines = csv_response.content.decode().strip().splitlines()
    assert lines[0] == "date,category,hours,giver,receiver,resource,project"
    assert len(lines) == 2 and "4.00" in lines[1] and "Owner org" in lines[1]
    empty = client.get(reverse("resources:hours_ledger") + "?category=expertise&format=csv")
    assert len(empty.content.decode().strip().splitlines()) == 1


def test_the_ledger_export_neutralises_formulas(cluster):
    evil = approved_organization(title="=HYPERLINK(1)")
    HoursEntry.objects.create(
        giver=evil, receiver=cluster.other, category="volunteer", hours=1, date=at(1, 1)[0]
    )
    client = Client()
    client.force_login(cluster.other_member)
    body = client.get(reverse("resources:hours_ledger") + "?format=csv").content.decode()
    assert "'=HYPERLINK(1)" in body


# --- Requests answered -------------------------------------------------------------------------


def test_a_request_answered_with_an_offer_and_accepted(cluster):
    request = make_listing(cluster, type="request", kind="vehicle", title="Need a van")
    van = services.listing_create(
        user=cluster.other_admin,
        organization=cluster.other,
        type="offer",
        kind="vehicle",
        title="Our van",
        expires_on=request.expires_on,
    )
    answer = services.answer_create(
        user=cluster.other_admin,
        request=request,
        organization=cluster.other,
        offer=van,
        message="Take it",
    )
    assert Notification.objects.filter(user=cluster.owner_admin, kind="resources.answer").exists()
    with pytest.raises(ValidationError):
        services.answer_create(
            user=cluster.other_admin, request=request, organization=cluster.other, message="Again"
        )
    client = Client()
    client.force_login(cluster.owner_admin)
    page = client.get(reverse("resources:resource_detail", args=[request.pk])).content.decode()
    assert "Our van" in page and "Accept this answer" in page
    client.post(reverse("resources:answer_accept", args=[answer.pk]))
    request.refresh_from_db()
    answer.refresh_from_db()
    assert (request.status, answer.status) == ("fulfilled", "accepted")
    assert Notification.objects.filter(
        user=cluster.other_admin, kind="resources.answer_accepted"
    ).exists()


# --- Personal data and the demo -----------------------------------------------------------------


def test_personal_data_is_registered_exported_and_forgotten(cluster):
    from django.apps import apps

    registration = next(r for r in registrations() if r.section == "resources")
    with_user_fk = {
        model._meta.label
        for model in apps.get_app_config("resources").get_models()
        if any(
            f.is_relation and f.related_model is type(cluster.no_org)
            for f in model._meta.get_fields()
        )
    }
    assert with_user_fk <= set(registration.models)
    listing = make_listing(cluster)
    bookings.booking_request(
        user=cluster.other_member,
        listing=listing,
        organization=cluster.other,
        starts_at=at(3, 10)[0],
        ends_at=at(3, 10)[1],
        note="Bring keys",
    )
    exported = registration.export(cluster.other_member)
    assert exported["bookings_requested"][0]["note"] == "Bring keys"
    registration.forget(cluster.other_member, None)
    assert Booking.objects.get().requested_by is None


def test_demo_is_safe_to_run_twice(settings, tmp_path):
    from home import demo as home_demo
    from impact import demo as impact_demo  # noqa: F401 - the order seed_demo runs in
    from partners import demo as partners_demo
    from projects import demo as projects_demo
    from resources import demo

    settings.MEDIA_ROOT = str(tmp_path)
    ctx = DemoContext(command=BaseCommand(stdout=StringIO()))
    for module in (home_demo, partners_demo, projects_demo, demo):
        module.seed(ctx)
    counts = (Listing.objects.count(), Booking.objects.count())
    assert counts[0] == len(demo.LISTINGS)
    assert set(Booking.objects.values_list("status", flat=True)) == set(Booking.Status.values)
    for kind_type in Listing.Type.values:
        kinds = Listing.objects.filter(type=kind_type).values_list("kind", flat=True)
        assert set(kinds) == set(Listing.Kind.values), kind_type
    assert set(Listing.objects.values_list("audience", flat=True)) == set(Listing.Audience.values)
    assert Listing.objects.get(audience="project").project == ctx.projects["digital-skills"]
    assert set(Listing.objects.values_list("status", flat=True)) == set(Listing.Status.values)
    assert Listing.objects.filter(expires_on__lt=timezone.localdate()).exists()
    assert Booking.objects.filter(status="returned", project__isnull=False).exists()
    demo.seed(ctx)
    assert (Listing.objects.count(), Booking.objects.count()) == counts
    for prefix in ("", "/es", "/ca"):
        assert Client().get(f"{prefix}/resources/").status_code == 200
