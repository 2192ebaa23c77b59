"""Events: registration with capacity and waiting list, one-to-one meetings without double
booking (under real concurrency on PostgreSQL), agendas and their calendar feed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from notifications.models import Notification
from opportunities import services
from opportunities.models import EventRegistration, MeetingRequest, MeetingSeat
from partners.services import membership_remove
from tests.concurrency import race
from tests.services import require_postgres
from tests.utils import approved_organization

from .conftest import build_cluster, make_event


def _client(user=None):
    client = Client()
    if user:
        client.force_login(user)
    return client


def _both_registered(cluster, **event_fields):
    event = make_event(**event_fields)
    services.event_register(user=cluster.own_admin, event=event, organization=cluster.own)
    services.event_register(user=cluster.other_admin, event=event, organization=cluster.other)
    return event


def test_register_permitted_then_the_waiting_list(cluster):
    event = make_event(capacity=1)
    url = reverse("events:event_register", args=[event.pk])
    _client(cluster.own_admin).post(url, {"organization": cluster.own.pk})
    _client(cluster.other_admin).post(url, {"organization": cluster.other.pk})
    statuses = dict(EventRegistration.objects.values_list("organization__title", "status"))
    assert statuses == {"Own org": "registered", "Other org": "waiting"}
    # Twice is refused, nothing added.
    with pytest.raises(ValidationError):
        services.event_register(user=cluster.own_admin, event=event, organization=cluster.own)
    assert EventRegistration.objects.count() == 2


def test_register_denied(cluster):
    event = make_event()
    url = reverse("events:event_register", args=[event.pk])
    assert _client().post(url, {"organization": cluster.own.pk}).status_code == 302
    assert (
        _client(cluster.own_member).post(url, {"organization": cluster.own.pk}).status_code == 403
    )
    # An admin cannot register another organization.
    _client(cluster.own_admin).post(url, {"organization": cluster.other.pk})
    assert not EventRegistration.objects.exists()


def test_participants_and_agenda_permitted_to_registered_organizations(cluster):
    event = _both_registered(cluster)
    for name in ("participants", "agenda"):
        url = reverse(f"events:{name}", args=[event.pk])
        assert _client(cluster.own_member).get(url).status_code == 200
        assert _client(cluster.other_admin).get(url).status_code == 200


def test_participants_and_agenda_denied_to_others(cluster):
    event = make_event()
    services.event_register(user=cluster.own_admin, event=event, organization=cluster.own)
    for name in ("participants", "agenda"):
        url = reverse(f"events:{name}", args=[event.pk])
        assert _client().get(url).status_code == 302
        assert _client(cluster.other_member).get(url).status_code == 403
        assert _client(cluster.no_org).get(url).status_code == 403


def test_a_meeting_request_holds_the_slot_for_both(cluster, django_capture_on_commit_callbacks):
    event = _both_registered(cluster)
    slot = event.slots.first()
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(cluster.own_member).post(
            reverse("events:meeting_request", args=[event.pk]),
            {"organization": cluster.own.pk, "slot": slot.pk, "recipient": cluster.other.pk},
        )
    assert response.status_code == 302
    meeting = MeetingRequest.objects.get()
    assert set(meeting.seats.values_list("organization", flat=True)) == {
        cluster.own.pk,
        cluster.other.pk,
    }
    assert Notification.objects.filter(
        kind="opportunities.meeting_requested", user=cluster.other_member
    ).exists()
    # A third organization cannot take either of them in that slot.
    third_admin = approved_organization(title="Third org").memberships.get().user
    third = third_admin.memberships.get().organization
    services.event_register(user=third_admin, event=event, organization=third)
    with pytest.raises(ValidationError, match="already has a meeting"):
        services.meeting_request(
            user=third_admin, slot=slot, requester=third, recipient=cluster.own
        )
    assert MeetingRequest.objects.count() == 1


def test_meeting_request_denied(cluster):
    event = _both_registered(cluster)
    slot = event.slots.first()
    url = reverse("events:meeting_request", args=[event.pk])
    data = {"organization": cluster.own.pk, "slot": slot.pk, "recipient": cluster.other.pk}
    assert _client(cluster.no_org).post(url, data).status_code == 403
    with pytest.raises(PermissionDenied):
        services.meeting_request(
            user=cluster.other_member, slot=slot, requester=cluster.own, recipient=cluster.other
        )
    # Not registered: refused with a message, nothing stored.
    outsider_event = make_event()
    services.event_register(user=cluster.own_admin, event=outsider_event, organization=cluster.own)
    with pytest.raises(ValidationError, match="registered"):
        services.meeting_request(
            user=cluster.own_admin,
            slot=outsider_event.slots.first(),
            requester=cluster.own,
            recipient=cluster.other,
        )
    assert not MeetingRequest.objects.exists()


def test_accept_permitted_to_the_recipient_only(cluster):
    event = _both_registered(cluster)
    meeting = services.meeting_request(
        user=cluster.own_admin,
        slot=event.slots.first(),
        requester=cluster.own,
        recipient=cluster.other,
    )
    accept = reverse("events:meeting_action", args=[meeting.pk, "accept"])
    assert _client(cluster.own_member).post(accept).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == "requested"  # the requester cannot accept its own request
    assert _client(cluster.no_org).post(accept).status_code == 404
    _client(cluster.other_member).post(accept)
    meeting.refresh_from_db()
    assert meeting.status == "accepted"


def test_decline_frees_the_slot(cluster):
    event = _both_registered(cluster)
    slot = event.slots.first()
    meeting = services.meeting_request(
        user=cluster.own_admin, slot=slot, requester=cluster.own, recipient=cluster.other
    )
    _client(cluster.other_admin).post(
        reverse("events:meeting_action", args=[meeting.pk, "decline"])
    )
    meeting.refresh_from_db()
    assert meeting.status == "declined" and not MeetingSeat.objects.exists()
    again = services.meeting_request(
        user=cluster.own_admin, slot=slot, requester=cluster.own, recipient=cluster.other
    )
    assert again.status == "requested"


def test_agenda_feed_behind_a_signed_link(cluster):
    event = _both_registered(cluster)
    services.meeting_request(
        user=cluster.own_admin,
        slot=event.slots.first(),
        requester=cluster.own,
        recipient=cluster.other,
    )
    page = _client(cluster.other_member).get(reverse("events:agenda", args=[event.pk]))
    feed = reverse("events:agenda_ics", args=[page.context["agenda_key"]])
    body = _client().get(feed).content.decode()
    assert "Own org meets Other org" in body
    assert _client().get(reverse("events:agenda_ics", args=["forged"])).status_code == 404
    # Leaving the organization ends the person's meetings in the feed and the agenda page.
    membership_remove(
        membership=cluster.other.memberships.get(user=cluster.other_member),
        user=cluster.other_admin,
    )
    assert "meets" not in _client().get(feed).content.decode()
    agenda = reverse("events:agenda", args=[event.pk])
    assert _client(cluster.other_member).get(agenda).status_code == 403


def test_event_pages_queries_do_not_grow(cluster, django_assert_max_num_queries):
    event = make_event(slots=20, capacity=50)
    services.event_register(user=cluster.own_admin, event=event, organization=cluster.own)
    client = _client(cluster.own_member)
    for count in (3, 12):
        for n in range(EventRegistration.objects.count(), count):
            admin = approved_organization(title=f"Org {n}").memberships.get().user
            organization = admin.memberships.get().organization
            services.event_register(user=admin, event=event, organization=organization)
            services.meeting_request(
                user=admin,
                slot=event.slots.all()[n],
                requester=organization,
                recipient=cluster.own,
            )
        for name in ("participants", "agenda"):
            with django_assert_max_num_queries(16):
                assert client.get(reverse(f"events:{name}", args=[event.pk])).status_code == 200
        with django_assert_max_num_queries(12):
            assert _client().get(reverse("events:event_list")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_for_one_slot_make_one_meeting():
    require_postgres()
    cluster = build_cluster()
    event = _both_registered(cluster)
    third_admin = approved_organization(title="Third org").memberships.get().user
    third = third_admin.memberships.get().organization
    services.event_register(user=third_admin, event=event, organization=third)
    slot = event.slots.first()
    askers = [(cluster.own_admin, cluster.own), (third_admin, third)]

    def work(index):
        user, organization = askers[index]
        return services.meeting_request(
            user=user, slot=slot, requester=organization, recipient=cluster.other
        )

    results, errors = race(work)
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ValidationError), errors
    assert MeetingRequest.objects.filter(slot=slot).count() == 1
    assert MeetingSeat.objects.filter(slot=slot, organization=cluster.other).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_seat_constraint_alone_refuses_a_double_booking():
    """Without the service's lock: two inserts of the same organization's seat in one slot at
    once; the second waits for the first, then fails on the unique constraint."""
    require_postgres()
    import time

    cluster = build_cluster()
    event = _both_registered(cluster)
    slot = event.slots.first()
    meetings = [
        MeetingRequest.objects.create(slot=slot, requester=cluster.own, recipient=cluster.other)
        for _ in range(2)
    ]

    def work(index):
        with transaction.atomic():
            MeetingSeat.objects.create(
                slot=slot, organization=cluster.other, meeting=meetings[index]
            )
            time.sleep(0.5)

    results, errors = race(work)
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], IntegrityError), errors
    assert MeetingSeat.objects.filter(slot=slot).count() == 1


def _full_with_a_waiting_list(cluster):
    """Capacity 1: own registered, other waiting, then a third organization waiting too."""
    event = make_event(capacity=1)
    first = services.event_register(user=cluster.own_admin, event=event, organization=cluster.own)
    second = services.event_register(
        user=cluster.other_admin, event=event, organization=cluster.other
    )
    third_admin = approved_organization(title="Third org").memberships.get().user
    third = third_admin.memberships.get().organization
    services.event_register(user=third_admin, event=event, organization=third)
    return event, first, second, third


def test_cancelling_permitted_moves_the_waiting_list_up(
    cluster, django_capture_on_commit_callbacks
):
    event, first, second, third = _full_with_a_waiting_list(cluster)
    url = reverse("events:registration_cancel", args=[event.pk, first.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(cluster.own_admin).post(url)
    assert response.status_code == 302
    statuses = dict(EventRegistration.objects.values_list("organization__title", "status"))
    # The first to wait takes the place; the next one keeps waiting.
    assert statuses == {"Other org": "registered", "Third org": "waiting"}
    told = Notification.objects.filter(kind="opportunities.place_freed")
    assert set(told.values_list("user", flat=True)) == {
        cluster.other_admin.pk,
        cluster.other_member.pk,
    }
    # A waiting organization that leaves frees no place.
    services.event_registration_cancel(
        user=third.memberships.get().user,
        registration=EventRegistration.objects.get(organization=third),
    )
    assert list(EventRegistration.objects.values_list("status", flat=True)) == ["registered"]


def test_cancelling_also_cancels_the_organizations_meetings(cluster):
    event = _both_registered(cluster)
    slot = event.slots.first()
    meeting = services.meeting_request(
        user=cluster.own_admin, slot=slot, requester=cluster.own, recipient=cluster.other
    )
    registration = EventRegistration.objects.get(organization=cluster.other)
    services.event_registration_cancel(user=cluster.other_admin, registration=registration)
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.CANCELLED
    assert not MeetingSeat.objects.filter(slot=slot).exists()


def test_cancelling_denied(cluster):
    event, first, second, third = _full_with_a_waiting_list(cluster)
    url = reverse("events:registration_cancel", args=[event.pk, first.pk])
    assert _client().post(url).status_code == 302
    assert _client(cluster.own_member).post(url).status_code == 403
    assert _client(cluster.other_admin).post(url).status_code == 404
    assert _client(cluster.editor).post(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.event_registration_cancel(user=cluster.other_admin, registration=first)
    # Twice is refused with a message, nothing else changes.
    services.event_registration_cancel(user=cluster.own_admin, registration=first)
    with pytest.raises(ValidationError):
        services.event_registration_cancel(user=cluster.own_admin, registration=first)
    statuses = dict(EventRegistration.objects.values_list("organization__title", "status"))
    assert statuses == {"Other org": "registered", "Third org": "waiting"}


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_cancellations_each_move_a_different_organization_up():
    require_postgres()
    cluster = build_cluster()
    event = make_event(capacity=2)
    first = services.event_register(user=cluster.own_admin, event=event, organization=cluster.own)
    second = services.event_register(
        user=cluster.other_admin, event=event, organization=cluster.other
    )
    waiting = []
    for n in range(3):
        admin = approved_organization(title=f"Waiting org {n}").memberships.get().user
        organization = admin.memberships.get().organization
        waiting.append(services.event_register(user=admin, event=event, organization=organization))
    cancellations = [(cluster.own_admin, first), (cluster.other_admin, second)]

    def work(index):
        user, registration = cancellations[index]
        return services.event_registration_cancel(user=user, registration=registration)

    results, errors = race(work)
    assert errors == []
    assert {promoted.pk for promoted in results} == {waiting[0].pk, waiting[1].pk}
    registered = EventRegistration.objects.filter(event=event, status="registered")
    assert set(registered.values_list("pk", flat=True)) == {waiting[0].pk, waiting[1].pk}


@pytest.mark.django_db(transaction=True)
def test_a_place_freed_while_another_registers_is_given_once():
    require_postgres()
    cluster = build_cluster()
    event = make_event(capacity=1)
    first = services.event_register(user=cluster.own_admin, event=event, organization=cluster.own)
    waiting = services.event_register(
        user=cluster.other_admin, event=event, organization=cluster.other
    )
    late_admin = approved_organization(title="Late org").memberships.get().user
    late = late_admin.memberships.get().organization

    def work(index):
        if index == 0:
            return services.event_registration_cancel(user=cluster.own_admin, registration=first)
        return services.event_register(user=late_admin, event=event, organization=late)

    results, errors = race(work)
    assert errors == []
    registered = EventRegistration.objects.filter(event=event, status="registered")
    # Capacity 1, whatever the order: the one waiting longest has the place, the late one waits.
    assert list(registered.values_list("pk", flat=True)) == [waiting.pk]
    assert EventRegistration.objects.get(organization=late).status == "waiting"
