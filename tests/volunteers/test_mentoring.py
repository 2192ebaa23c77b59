"""The volunteer network's side of mentoring: the opt-in on the profile, the volunteers offered
as mentors and the hours ledger for time given elsewhere (``core.volunteering``)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.volunteering import (
    GivenTime,
    volunteer_mentors,
    volunteer_time_record,
    volunteer_time_withdraw,
)
from tests.factories import UserFactory
from volunteers import selectors, services
from volunteers.models import HoursLog, VolunteerProfile

from .conftest import worked


def _given(user, key="training.checkin:1", minutes=90, days_ago=1):
    return GivenTime(
        key=key,
        user_id=user.pk,
        day=timezone.localdate() - timedelta(days=days_ago),
        minutes=minutes,
        source="Digital skills · Code club",
        note="Mentoring a learner of the training programme",
    )


def test_the_profile_page_keeps_the_mentoring_opt_in(net):
    client = Client()
    client.force_login(net.no_profile)
    url = reverse("volunteers:profile")
    page = client.get(url).content.decode()
    assert "Open to mentoring young people" in page and 'name="open_to_mentoring"' in page

    assert client.post(url, {"university": "UPF", "open_to_mentoring": "on"}).status_code == 302
    assert VolunteerProfile.objects.get(user=net.no_profile).open_to_mentoring

    assert client.post(url, {"university": "UPF"}).status_code == 302
    assert not VolunteerProfile.objects.get(user=net.no_profile).open_to_mentoring


def test_a_minor_cannot_opt_in_and_nothing_changes(net):
    client = Client()
    client.force_login(net.volunteer)
    response = client.post(
        reverse("volunteers:profile"),
        {"university": "Other", "is_minor": "on", "open_to_mentoring": "on"},
    )
    assert response.status_code == 200
    assert "Mentors of the training programmes are adults." in response.content.decode()
    profile = VolunteerProfile.objects.get(user=net.volunteer)
    assert profile.university == "UB" and not profile.open_to_mentoring


def test_only_adult_active_volunteers_who_opted_in_are_offered(net):
    keen = UserFactory()
    services.profile_save(user=keen, skills="Python, Git", open_to_mentoring=True)
    gone = UserFactory(is_active=False)
    services.profile_save(user=gone, open_to_mentoring=True)
    minor = UserFactory()
    services.profile_save(user=minor, open_to_mentoring=True)
    VolunteerProfile.objects.filter(user=minor).update(is_minor=True)

    offered = volunteer_mentors()

    assert set(offered) == {keen.pk}  # net.volunteer agreed to be contacted, not to mentor
    assert offered[keen.pk]["skills"] == ["Python", "Git"]
    assert volunteer_mentors({net.volunteer.pk}) == {}
    assert volunteer_mentors(set()) == {}


def test_time_given_is_kept_once_per_key_and_follows_its_source(net):
    assert volunteer_time_record(_given(net.volunteer, minutes=90))
    assert volunteer_time_record(_given(net.volunteer, minutes=50, days_ago=2))

    line = HoursLog.objects.get(user=net.volunteer)
    assert line.hours == Decimal("0.83") and line.status == HoursLog.Status.VERIFIED
    assert line.role is None and line.source == "Digital skills · Code club"
    assert selectors.verified_totals(net.volunteer) == (
        [{"project_title": "Digital skills · Code club", "total": Decimal("0.83")}],
        Decimal("0.83"),
    )

    volunteer_time_withdraw("training.checkin:2")
    assert HoursLog.objects.count() == 1
    volunteer_time_withdraw("training.checkin:1")
    assert not HoursLog.objects.exists()


def test_a_person_without_a_profile_has_no_ledger(net):
    assert not volunteer_time_record(_given(net.no_profile))
    assert not HoursLog.objects.exists()


def test_time_given_does_not_count_in_a_projects_hours_or_ask_for_verification(net):
    """The programme offers its mentoring hours to the impact map itself: counting them in the
    project's volunteer hours too would count them twice."""
    services.hours_decide(user=net.coordinator, entry=worked(net, hours="2"), verify=True)
    volunteer_time_record(_given(net.volunteer))
    given = HoursLog.objects.get(role__isnull=True)

    assert [row["total"] for row in selectors.project_verified_hours_by_year(net.project)] == [
        Decimal("2")
    ]
    assert [row["total"] for row in selectors.project_totals(net.coordinator)] == [Decimal("2")]
    assert not selectors.hours_pending_for_project(net.project).exists()
    client = Client()
    client.force_login(net.coordinator)
    url = reverse("volunteers:hours_decide", args=[given.pk, "reject"])
    assert client.post(url, {"reason": "no"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.hours_decide(user=net.coordinator, entry=given, verify=False, reason="no")
    given.refresh_from_db()
    assert given.status == HoursLog.Status.VERIFIED


def test_the_volunteers_hours_page_names_where_time_was_given(net):
    volunteer_time_record(_given(net.volunteer))
    client = Client()
    client.force_login(net.volunteer)
    page = client.get(reverse("volunteers:hours_mine")).content.decode()
    assert "Digital skills · Code club" in page
    assert "Mentoring a learner of the training programme" in page


def test_a_line_needs_a_role_or_a_source(net):
    with pytest.raises(IntegrityError), transaction.atomic():
        HoursLog.objects.create(user=net.volunteer, day=timezone.localdate(), hours=1)


def test_time_given_is_in_the_export_and_goes_with_the_account(net):
    volunteer_time_record(_given(net.volunteer))
    exported = selectors.personal_data(net.volunteer)
    assert exported["hours"][0]["project"] == "Digital skills · Code club"
    assert exported["hours"][0]["role"] == ""
    assert exported["profile"]["open_to_mentoring"] is False

    services.personal_data_forget(net.volunteer, None)
    assert not HoursLog.objects.filter(user=net.volunteer).exists()


def test_a_bad_amount_of_time_is_refused(net):
    with pytest.raises(ValidationError):
        volunteer_time_record(_given(net.volunteer, minutes=25 * 60))
    assert not HoursLog.objects.exists()
