"""Invitations and organization applications are rate limited per person, per organization,
per recipient (and per address): a clear message, nothing created, nothing sent."""

import pytest
from django.urls import reverse

from partners.models import Invitation, PartnerPage
from tests.factories import UserFactory
from tests.security.test_ratelimit import HOUR, Clock
from tests.utils import approved_organization, approved_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(HOUR * 600_000 + 10.0)
    monkeypatch.setattr("core.ratelimit.time", clock)
    return clock


@pytest.fixture
def limits(settings):
    settings.CLUSTER_RATE_LIMITS = {
        **settings.CLUSTER_RATE_LIMITS,
        "invitation_per_person": "4/h",
        "invitation_per_organization": "6/h",
        "invitation_per_recipient": "2/d",
        "organization_apply_per_person": "2/h",
        "organization_apply_per_address": "3/h",
    }


def invite(client, organization, email, **extra):
    return client.post(
        reverse("portal:organization_invite", args=[organization.pk]),
        {"email": email, "role": "member"},
        **extra,
    )


def test_one_address_gets_a_limited_number_of_invitations(
    client, limits, clock, mailoutbox, django_capture_on_commit_callbacks
):
    admin = UserFactory()
    organization = approved_organization(admin=admin)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [invite(client, organization, "joan@example.org").status_code for _ in range(2)]
        refused = invite(client, organization, "JOAN@example.org", HTTP_ACCEPT_LANGUAGE="en")
    assert statuses == [302, 302]
    assert refused.status_code == 429
    assert "Too many invitations in a short while" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert Invitation.objects.filter(email="joan@example.org").count() == 2
    assert len(mailoutbox) == 2
    # Another address is still fine.
    assert invite(client, organization, "anna@example.org").status_code == 302


def test_one_person_gets_a_limited_number_of_invitations(client, limits, clock):
    admin = UserFactory()
    organization = approved_organization(admin=admin)
    other = approved_organization(admin=admin)
    client.force_login(admin)
    statuses = [
        invite(client, organization if n % 2 else other, f"p{n}@example.org").status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 302, 429]
    assert Invitation.objects.count() == 4
    clock.now += HOUR  # the window passes
    assert invite(client, organization, "later@example.org").status_code == 302


def test_one_organization_gets_a_limited_number_of_invitations(client, limits, clock):
    first, second = UserFactory(), UserFactory()
    organization = approved_organization(admin=first)
    from partners.services import membership_add

    membership_add(organization=organization, user=second, role="admin")
    statuses = []
    for n in range(7):
        client.force_login(first if n < 4 else second)
        statuses.append(invite(client, organization, f"o{n}@example.org").status_code)
    assert statuses == [302] * 6 + [429]
    assert Invitation.objects.filter(organization=organization).count() == 6


def apply(client, n, **extra):
    return client.post(
        reverse("portal:organization_apply"),
        {"title": f"Fundació {n}", "kind": "foundation", "summary": "Nova."},
        **extra,
    )


def test_organization_applications_are_limited_per_person(client, limits, clock):
    client.force_login(UserFactory())
    statuses = [apply(client, n).status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert PartnerPage.objects.filter(title__startswith="Fundació ").count() == 2
    refused = apply(client, 9, HTTP_ACCEPT_LANGUAGE="en")
    assert "applied to register organizations too many times" in refused.content.decode()
    assert not PartnerPage.objects.filter(title="Fundació 9").exists()
    clock.now += HOUR
    assert apply(client, 10).status_code == 302


def test_organization_applications_are_limited_per_address(client, limits, clock):
    statuses = []
    for n in range(4):
        client.force_login(UserFactory())
        statuses.append(apply(client, n, REMOTE_ADDR="198.51.100.7").status_code)
    assert statuses == [302, 302, 302, 429]
    client.force_login(UserFactory())
    assert apply(client, 5, REMOTE_ADDR="198.51.100.8").status_code == 302


def test_an_invalid_application_is_not_counted(client, limits, clock):
    client.force_login(UserFactory())
    for _ in range(3):
        response = client.post(reverse("portal:organization_apply"), {"title": ""})
        assert response.status_code == 200
    assert apply(client, 1).status_code == 302


def invite_to_project(client, project, organization):
    return client.post(
        reverse("portal:project_invite", args=[project.pk]),
        {"organization": organization.pk, "message": "Join us"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )


def test_project_invitations_are_limited_per_person_project_and_organization(
    client, settings, clock
):
    from projects.models import Participation

    settings.CLUSTER_RATE_LIMITS = {
        **settings.CLUSTER_RATE_LIMITS,
        "project_invite_per_person": "3/h",
        "project_invite_per_project": "3/h",
        "project_invite_per_organization": "1/d",
    }
    coordinator = UserFactory()
    project = approved_project(coordinator=coordinator)
    guests = [approved_organization(title=f"Guest {n}") for n in range(5)]
    client.force_login(coordinator)
    invite_to_project(client, project, guests[0])
    assert Participation.objects.filter(project=project, organization=guests[0]).exists()
    for guest in guests[1:3]:
        invite_to_project(client, project, guest)
    refused = invite_to_project(client, project, guests[3])
    assert "Too many invitations in a short while" in refused.content.decode()
    assert not Participation.objects.filter(project=project, organization=guests[3]).exists()
    clock.now += HOUR  # the person's and the project's windows pass; the organization's does not
    second = approved_project(coordinator=coordinator, title="Another project")
    again = invite_to_project(client, second, guests[0])
    assert "Too many invitations in a short while" in again.content.decode()
    assert not Participation.objects.filter(project=second, organization=guests[0]).exists()
    invite_to_project(client, second, guests[4])
    assert Participation.objects.filter(project=second, organization=guests[4]).exists()
