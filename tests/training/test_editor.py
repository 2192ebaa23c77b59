"""The cluster's editors curate pages and approve organizations: they never see a programme's
learners, in the portal or in the admin where the project's audit trail is."""

from django.test import Client
from django.urls import reverse

from training import services
from training.models import Attendance, CohortOutcome, Enrolment, Learner

from .builders import learner


def _editor(world):
    client = Client()
    client.force_login(world.editor)
    return client


def test_an_editor_can_take_no_action_on_learners(world):
    client = _editor(world)
    enrolment = world.enrolments[1]
    posts = [
        (
            reverse("portal:training_attendance", args=[world.sessions[0].pk]),
            {f"mark-{enrolment.pk}": "absent", "client_id": "editor-sheet"},
        ),
        (
            reverse("portal:training_enrolment_status", args=[enrolment.pk]),
            {"status": "dropped", "drop_reason": "None"},
        ),
        (
            reverse("portal:training_learner_erase", args=[world.adult.pk]),
            {"confirm": world.adult.code},
        ),
        (reverse("portal:training_outcomes_accept", args=[world.cohort.pk]), {}),
        (
            reverse("portal:training_learner_new", args=[world.programme.pk]),
            {"alias": "Eve", "birth_year": 2000, "eligibility": "neet"},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert not Attendance.objects.exists()
    assert Enrolment.objects.get(pk=enrolment.pk).status == "active"
    assert Learner.objects.filter(pk=world.adult.pk).exists()
    assert not Learner.objects.filter(alias="Eve").exists()
    assert not CohortOutcome.objects.exists()


def test_an_editor_sees_only_codes_in_the_projects_audit_trail(world):
    zephyrine = learner(world.programme, world.coordinator, alias="Zephyrine")
    quillon = learner(world.programme, world.coordinator, alias="Quillon")
    services.learner_erase(learner=quillon, user=world.coordinator)
    history = _editor(world).get(reverse("wagtailadmin_pages:history", args=[world.project.pk]))
    assert history.status_code == 200
    content = history.content.decode()
    assert zephyrine.code in content and quillon.code in content
    assert "Zephyrine" not in content and "Quillon" not in content


def test_an_editor_is_not_shown_programmes_on_the_dashboard_or_index(world):
    client = _editor(world)
    programme_url = reverse("portal:training_programme", args=[world.programme.pk])
    for page in ("portal:dashboard", "portal:training_index"):
        response = client.get(reverse(page))
        assert response.status_code == 200
        assert programme_url not in response.content.decode()
