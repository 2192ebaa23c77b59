"""What ends with a person: their account deleted, their leaving the network, a coordinator
leaving the team."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from privacy.services import account_delete
from projects.services import team_member_remove, team_set_coordinator
from volunteers import selectors, services
from volunteers.models import HoursLog, ShiftSignup, VolunteerProfile

from .conftest import worked


def test_account_deletion_frees_places_and_removes_profile_and_hours(net):
    verified = worked(net)
    services.hours_decide(user=net.coordinator, entry=verified, verify=True)
    worked(net, days_ago=2)
    assert selectors.personal_data(net.volunteer)["profile"]["university"] == "UB"
    account_delete(user=net.volunteer)
    assert not VolunteerProfile.objects.exists()
    assert not ShiftSignup.objects.exists()
    assert not HoursLog.objects.exists()


def test_a_deleted_coordinator_leaves_decisions_without_a_name(net):
    services.profile_save(user=net.team_member)
    team_set_coordinator(
        project=net.project, user=net.team_member, is_coordinator=True, by=net.coordinator
    )
    entry = worked(net)
    services.hours_decide(user=net.team_member, entry=entry, verify=True)
    team_set_coordinator(
        project=net.project, user=net.team_member, is_coordinator=False, by=net.coordinator
    )
    account_delete(user=net.team_member)
    entry.refresh_from_db()
    assert entry.status == HoursLog.Status.VERIFIED and entry.decided_by is None


def test_leaving_the_network_ends_places_and_pending_hours_but_keeps_verified(net):
    verified = worked(net)
    services.hours_decide(user=net.coordinator, entry=verified, verify=True)
    worked(net, days_ago=2)
    services.profile_withdraw(user=net.volunteer)
    assert not VolunteerProfile.objects.filter(user=net.volunteer).exists()
    assert not ShiftSignup.objects.filter(user=net.volunteer).exists()
    assert list(HoursLog.objects.values_list("status", flat=True)) == ["verified"]
    assert selectors.verified_totals(net.volunteer)[1] == Decimal("3")


def test_a_coordinator_taken_off_the_team_can_no_longer_verify(net):
    team_set_coordinator(
        project=net.project, user=net.team_member, is_coordinator=True, by=net.coordinator
    )
    entry = worked(net)
    team_member_remove(project=net.project, user=net.team_member, by=net.coordinator)
    with pytest.raises(PermissionDenied):
        services.hours_decide(user=net.team_member, entry=entry, verify=True)
    entry.refresh_from_db()
    assert entry.status == HoursLog.Status.PENDING


def test_withdraw_page_permitted_and_denied(net):
    from django.test import Client
    from django.urls import reverse

    url = reverse("volunteers:profile_withdraw")
    assert "/accounts/login/" in Client().post(url)["Location"]
    client = Client()
    client.force_login(net.volunteer)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not VolunteerProfile.objects.exists()


def test_profile_page_saves_consent_with_its_date(net):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(net.no_profile)
    url = reverse("volunteers:profile")
    assert client.get(url).status_code == 200
    assert client.post(url, {"university": "UPF", "contact_consent": "on"}).status_code == 302
    profile = VolunteerProfile.objects.get(user=net.no_profile)
    assert profile.consented_at is not None
    assert client.post(url, {"university": "x" * 300}).status_code == 200
    profile.refresh_from_db()
    assert profile.university == "UPF"
