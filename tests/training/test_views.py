"""Every training page and action: who may use it (permitted) and who may not (denied).

Learners' data is the programme staff's only: outside it every page answers 404, staff without
the role an action needs get 403, anonymous visitors the sign-in page."""

import pytest
from django.test import Client
from django.urls import reverse

from training import services
from training.models import (
    Attendance,
    Certificate,
    CheckIn,
    Cohort,
    Enrolment,
    Goal,
    Learner,
    Mentorship,
    ProgrammePartner,
    Session,
    StaffMember,
)

from .builders import at, day

# The cluster's editors publish pages and approve organizations: they never see learners.
ROLES = (
    "coordinator",
    "trainer",
    "mentor",
    "partner_admin",
    "outsider",
    "editor",
    "anonymous",
)
L = "login"


def _client(world, role):
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def _outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return L
    return response.status_code


def _certificate(world):
    enrolment = world.enrolments[0]
    services.attendance_record(
        session=world.sessions[0], user=world.trainer, marks={enrolment.pk: "present"}
    )
    world.programme.completion_threshold = 25
    world.programme.save()
    services.enrolment_set_status(enrolment=enrolment, user=world.coordinator, status="completed")
    return services.certificate_issue(enrolment=enrolment, user=world.coordinator)


PAGES = {
    "training_index": (lambda w: [], (200, 200, 200, 200, 200, 200, L)),
    "training_programme_new": (lambda w: [w.project.pk], (200, 403, 403, 403, 403, 403, L)),
    "training_programme": (lambda w: [w.programme.pk], (200, 200, 200, 404, 404, 404, L)),
    "training_export": (lambda w: [w.programme.pk], (200, 403, 403, 404, 404, 404, L)),
    "training_cohort_new": (lambda w: [w.programme.pk], (200, 403, 403, 404, 404, 404, L)),
    "training_learner_new": (lambda w: [w.programme.pk], (200, 403, 403, 404, 404, 404, L)),
    "training_mentees": (lambda w: [w.programme.pk], (200, 200, 200, 404, 404, 404, L)),
    "training_cohort": (lambda w: [w.cohort.pk], (200, 200, 200, 404, 404, 404, L)),
    "training_session_new": (lambda w: [w.cohort.pk], (200, 403, 403, 404, 404, 404, L)),
    "training_session": (lambda w: [w.sessions[0].pk], (200, 200, 200, 404, 404, 404, L)),
    "training_attendance": (lambda w: [w.sessions[0].pk], (200, 200, 403, 404, 404, 404, L)),
    "training_learner": (lambda w: [w.minor.pk], (200, 200, 200, 404, 404, 404, L)),
    "training_mentorship": (lambda w: [w.mentorship.pk], (200, 403, 200, 404, 404, 404, L)),
    "training_certificate": (lambda w: [_certificate(w).pk], (200, 200, 200, 404, 404, 404, L)),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_permitted_and_denied(world, name):
    args, expected = PAGES[name]
    url = reverse(f"portal:{name}", args=args(world))
    actual = tuple(_outcome(_client(world, role).get(url)) for role in ROLES)
    assert actual == expected


def test_learner_data_is_not_shown_on_pages_outside_the_programme(world):
    world_page = _client(world, "partner_admin").get(
        reverse("portal:project_workspace", args=[world.project.pk])
    )
    assert world.minor.code.encode() not in world_page.content


def test_programme_new_permitted(world):
    response = _client(world, "coordinator").post(
        reverse("portal:training_programme_new", args=[world.project.pk]),
        {"title": "Second", "summary": "", "completion_threshold": 80, "absence_alert": 2},
    )
    assert response.status_code == 302
    assert world.project.training_programmes.filter(title="Second").exists()


def test_programme_new_denied(world):
    response = _client(world, "trainer").post(
        reverse("portal:training_programme_new", args=[world.project.pk]),
        {"title": "Second", "completion_threshold": 80, "absence_alert": 2},
    )
    assert response.status_code == 403
    assert not world.project.training_programmes.filter(title="Second").exists()


def test_partner_set_permitted_and_denied(world):
    url = reverse("portal:training_partner_set", args=[world.programme.pk])
    data = {"organization": world.partner.pk, "role": "university", "contribution": "Teachers"}
    assert _client(world, "trainer").post(url, data).status_code == 403
    assert _client(world, "outsider").post(url, data).status_code == 404
    assert ProgrammePartner.objects.get().role == "company"
    assert _client(world, "coordinator").post(url, data).status_code == 302
    assert ProgrammePartner.objects.get().role == "university"


def test_staff_set_permitted_and_denied(world):
    url = reverse("portal:training_staff_set", args=[world.programme.pk])
    row = world.project.team.get(user=world.mentor)
    data = {"person": row.pk, "role": "trainer"}
    assert _client(world, "mentor").post(url, data).status_code == 403
    assert _client(world, "partner_admin").post(url, data).status_code == 404
    assert StaffMember.objects.get(user=world.mentor).role == "mentor"
    assert _client(world, "coordinator").post(url, data).status_code == 302
    assert StaffMember.objects.get(user=world.mentor).role == "trainer"


def test_cohort_new_permitted_and_denied_with_bad_dates(world):
    url = reverse("portal:training_cohort_new", args=[world.programme.pk])
    data = {
        "name": "Autumn",
        "starts_on": day(40).isoformat(),
        "ends_on": day(80).isoformat(),
        "capacity": 10,
        "language": "ca",
        "place": "",
    }
    assert _client(world, "trainer").post(url, data).status_code == 403
    bad = _client(world, "coordinator").post(url, {**data, "ends_on": day(1).isoformat()})
    assert bad.status_code == 200 and not Cohort.objects.filter(name="Autumn").exists()
    assert _client(world, "coordinator").post(url, data).status_code == 302
    assert Cohort.objects.filter(name="Autumn").exists()


def test_session_new_permitted_and_denied(world):
    url = reverse("portal:training_session_new", args=[world.cohort.pk])
    data = {
        "starts_at": at(5).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 90,
        "topic": "Accessibility",
        "room": "A1",
    }
    assert _client(world, "trainer").post(url, data).status_code == 403
    outside = {**data, "starts_at": at(90).strftime("%Y-%m-%dT%H:%M")}
    assert _client(world, "coordinator").post(url, outside).status_code == 200
    assert not Session.objects.filter(topic="Accessibility").exists()
    assert _client(world, "coordinator").post(url, data).status_code == 302
    assert Session.objects.filter(topic="Accessibility").exists()


def test_learner_new_permitted_and_denied(world):
    url = reverse("portal:training_learner_new", args=[world.programme.pk])
    data = {
        "alias": "Eli",
        "birth_year": day(0).year - 19,
        "eligibility": "newcomer",
        "legal_basis": "public_task",
        "referral": "entity",
        "cohort": world.cohort.pk,
    }
    assert _client(world, "trainer").post(url, data).status_code == 403
    assert _client(world, "outsider").post(url, data).status_code == 404
    assert not Learner.objects.filter(alias="Eli").exists()
    assert _client(world, "coordinator").post(url, data).status_code == 302
    assert Learner.objects.get(alias="Eli").enrolments.get().status == "referred"


def test_attendance_permitted_and_denied(world):
    url = reverse("portal:training_attendance", args=[world.sessions[0].pk])
    data = {f"mark-{world.enrolments[0].pk}": "present"}
    assert _client(world, "mentor").post(url, data).status_code == 403
    assert _client(world, "partner_admin").post(url, data).status_code == 404
    assert not Attendance.objects.exists()
    assert _client(world, "trainer").post(url, data).status_code == 302
    assert Attendance.objects.get().status == "present"
    bad = _client(world, "trainer").post(url, {"mark-abc": "present"}, follow=True)
    assert Attendance.objects.count() == 1 and bad.status_code == 200


def test_enrolment_status_permitted_and_denied(world):
    url = reverse("portal:training_enrolment_status", args=[world.enrolments[1].pk])
    data = {"status": "dropped", "drop_reason": "Found a job"}
    assert _client(world, "trainer").post(url, data).status_code == 403
    assert _client(world, "outsider").post(url, data).status_code == 404
    assert Enrolment.objects.get(pk=world.enrolments[1].pk).status == "active"
    assert _client(world, "coordinator").post(url, data).status_code == 302
    assert Enrolment.objects.get(pk=world.enrolments[1].pk).status == "dropped"


def test_learner_refer_mentor_erase_permitted_and_denied(world):
    other = services.cohort_create(
        programme=world.programme,
        user=world.coordinator,
        name="Summer",
        starts_on=day(0),
        ends_on=day(9),
        capacity=2,
        language="es",
    )
    refer = reverse("portal:training_learner_refer", args=[world.adult.pk])
    assert _client(world, "trainer").post(refer, {"cohort": other.pk}).status_code == 403
    assert _client(world, "coordinator").post(refer, {"cohort": other.pk}).status_code == 302
    assert world.adult.enrolments.count() == 2
    mentor = reverse("portal:training_learner_mentor", args=[world.adult.pk])
    staff = StaffMember.objects.get(user=world.mentor)
    assert _client(world, "mentor").post(mentor, {"mentor": staff.pk}).status_code == 403
    assert _client(world, "coordinator").post(mentor, {"mentor": staff.pk}).status_code == 302
    assert Mentorship.objects.filter(learner=world.adult, mentor=world.mentor).exists()
    erase = reverse("portal:training_learner_erase", args=[world.adult.pk])
    assert _client(world, "trainer").post(erase, {"confirm": world.adult.code}).status_code == 403
    assert _client(world, "coordinator").post(erase, {"confirm": "wrong"}).status_code == 302
    assert Learner.objects.filter(pk=world.adult.pk).exists()
    assert (
        _client(world, "coordinator").post(erase, {"confirm": world.adult.code}).status_code == 302
    )
    assert not Learner.objects.filter(pk=world.adult.pk).exists()


def test_certificate_issue_permitted_and_denied(world):
    url = reverse("portal:training_certificate_issue", args=[world.enrolments[0].pk])
    assert _client(world, "coordinator").post(url).status_code == 302
    assert not Certificate.objects.exists()  # not completed: a message, nothing issued
    services.attendance_record(
        session=world.sessions[0], user=world.trainer, marks={world.enrolments[0].pk: "present"}
    )
    world.programme.completion_threshold = 25
    world.programme.save()
    services.enrolment_set_status(
        enrolment=world.enrolments[0], user=world.coordinator, status="completed"
    )
    assert _client(world, "trainer").post(url).status_code == 403
    assert _client(world, "outsider").post(url).status_code == 404
    response = _client(world, "coordinator").post(url)
    certificate = Certificate.objects.get()
    assert response["Location"] == reverse("portal:training_certificate", args=[certificate.pk])
    page = _client(world, "coordinator").get(response["Location"])
    assert world.minor.alias.encode() in page.content and b"Code club" in page.content


def test_mentorship_writes_permitted_and_denied(world):
    goals = reverse("portal:training_goal_add", args=[world.mentorship.pk])
    checkins = reverse("portal:training_checkin_add", args=[world.mentorship.pk])
    assert _client(world, "trainer").post(goals, {"title": "Nope"}).status_code == 403
    assert _client(world, "outsider").post(goals, {"title": "Nope"}).status_code == 404
    assert _client(world, "mentor").post(goals, {"title": "CV"}).status_code == 302
    goal = Goal.objects.get()
    done = reverse("portal:training_goal_done", args=[goal.pk])
    assert _client(world, "trainer").post(done).status_code == 403
    assert _client(world, "mentor").post(done).status_code == 302
    data = {"held_on": day(-1).isoformat(), "minutes": 30, "note": "Good talk"}
    assert _client(world, "trainer").post(checkins, data).status_code == 403
    assert _client(world, "mentor").post(checkins, {**data, "minutes": 2}).status_code == 302
    assert not CheckIn.objects.exists()
    assert _client(world, "mentor").post(checkins, data).status_code == 302
    assert CheckIn.objects.get().minutes == 30
    assert Goal.objects.get().achieved_on is not None


POSTS = (
    ("training_partner_set", lambda w: [w.programme.pk]),
    ("training_staff_set", lambda w: [w.programme.pk]),
    ("training_learner_refer", lambda w: [w.minor.pk]),
    ("training_learner_mentor", lambda w: [w.minor.pk]),
    ("training_learner_erase", lambda w: [w.minor.pk]),
    ("training_enrolment_status", lambda w: [w.enrolments[0].pk]),
    ("training_certificate_issue", lambda w: [w.enrolments[0].pk]),
    ("training_goal_add", lambda w: [w.mentorship.pk]),
    ("training_skill_level", lambda w: [w.enrolments[0].pk]),
    ("training_follow_up", lambda w: [w.enrolments[0].pk]),
    ("training_checkin_add", lambda w: [w.mentorship.pk]),
)


@pytest.mark.parametrize(("name", "args"), POSTS)
def test_actions_are_post_only(world, name, args):
    url = reverse(f"portal:{name}", args=args(world))
    assert _outcome(_client(world, "anonymous").get(url)) == L
    assert _client(world, "coordinator").get(url).status_code == 405


def test_the_workspace_and_dashboard_lead_to_the_programme(world):
    programme_url = reverse("portal:training_programme", args=[world.programme.pk]).encode()
    workspace = _client(world, "coordinator").get(
        reverse("portal:project_workspace", args=[world.project.pk])
    )
    assert programme_url in workspace.content
    assert reverse("portal:training_programme_new", args=[world.project.pk]).encode() in (
        workspace.content
    )
    dashboard = _client(world, "mentor").get(reverse("portal:dashboard"))
    assert programme_url in dashboard.content
    assert (
        programme_url
        not in _client(world, "partner_admin").get(reverse("portal:dashboard")).content
    )
