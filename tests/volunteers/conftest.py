"""A small network for the volunteer tests: a published project with its coordinator, a
partner's member on its team, a volunteer with a profile, a person without one and an outsider
coordinating another project; one role with a shift tomorrow."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.utils import approved_project, project_with_partner_on_team
from volunteers import services
from volunteers.models import ShiftSignup


@dataclass
class Network:
    project: object
    coordinator: object
    team_member: object
    volunteer: object
    no_profile: object
    other_coordinator: object
    other_project: object
    role: object
    shift: object


def build_network():
    coordinator = UserFactory(username="v_coordinator")
    project, _partner, team_member = project_with_partner_on_team(
        coordinator=coordinator, member=UserFactory(username="v_team_member")
    )
    other_coordinator = UserFactory(username="v_other_coordinator")
    other_project = approved_project(coordinator=other_coordinator, title="Other project")
    volunteer = UserFactory(username="v_volunteer")
    services.profile_save(user=volunteer, university="UB", contact_consent=True)
    role = services.role_create(user=coordinator, project=project, title="Homework club helper")
    shift = make_shift(coordinator, role, places=2)
    return Network(
        project=project,
        coordinator=coordinator,
        team_member=team_member,
        volunteer=volunteer,
        no_profile=UserFactory(username="v_no_profile"),
        other_coordinator=other_coordinator,
        other_project=other_project,
        role=role,
        shift=shift,
    )


def make_shift(coordinator, role, places=2, days=1):
    start = timezone.now() + timedelta(days=days)
    return services.shift_create(
        user=coordinator,
        role=role,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        places=places,
    )


def worked(net, user=None, hours="3", days_ago=1):
    """``user`` (the volunteer) took a place and logs ``hours`` for ``days_ago``."""
    user = user or net.volunteer
    if not ShiftSignup.objects.filter(user=user, shift__role=net.role).exists():
        services.shift_signup(user=user, shift=net.shift)
    return services.hours_log(
        user=user,
        role=net.role,
        day=timezone.localdate() - timedelta(days=days_ago),
        hours=hours,
        note="Helped with maths",
    )


@pytest.fixture
def net(db):
    return build_network()
