"""When a person's place ends elsewhere, their access to the programme's learners ends with it."""

from django.test import Client
from django.urls import reverse

from partners.models import Membership
from partners.services import membership_leave, membership_remove
from projects.models import Participation
from projects.services import participation_leave, team_member_remove
from training.models import Mentorship, StaffMember


def _status(user, url):
    client = Client()
    client.force_login(user)
    return client.get(url).status_code


def test_leaving_the_project_team_ends_programme_access(world, django_capture_on_commit_callbacks):
    url = reverse("portal:training_learner", args=[world.minor.pk])
    assert _status(world.mentor, url) == 200
    with django_capture_on_commit_callbacks(execute=True):
        team_member_remove(project=world.project, user=world.mentor, by=world.coordinator)
    assert _status(world.mentor, url) == 404
    assert not StaffMember.objects.filter(user=world.mentor).exists()
    mentorship = Mentorship.objects.get(pk=world.mentorship.pk)
    assert mentorship.ended_on is not None
    mentorship_url = reverse("portal:training_mentorship", args=[mentorship.pk])
    assert _status(world.mentor, mentorship_url) == 404


def test_leaving_the_organization_ends_programme_access(world, django_capture_on_commit_callbacks):
    url = reverse("portal:training_cohort", args=[world.cohort.pk])
    assert _status(world.trainer, url) == 200
    with django_capture_on_commit_callbacks(execute=True):
        membership_leave(organization=world.partner, user=world.trainer)
    assert _status(world.trainer, url) == 404


def test_removal_from_the_organization_ends_programme_access(
    world, django_capture_on_commit_callbacks
):
    url = reverse("portal:training_programme", args=[world.programme.pk])
    membership = Membership.objects.get(organization=world.partner, user=world.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(membership=membership, user=world.partner_admin)
    assert _status(world.mentor, url) == 404
    assert _status(world.trainer, url) == 200


def test_the_organization_leaving_the_project_ends_its_peoples_access(
    world, django_capture_on_commit_callbacks
):
    url = reverse("portal:training_programme", args=[world.programme.pk])
    participation = Participation.objects.get(project=world.project, organization=world.partner)
    with django_capture_on_commit_callbacks(execute=True):
        participation_leave(participation=participation, user=world.partner_admin)
    assert _status(world.trainer, url) == 404
    assert _status(world.mentor, url) == 404
    assert _status(world.coordinator, url) == 200
