"""Programmes, enrolment, attendance warnings, mentoring and certificates, through the
services as the team uses them."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import Notification
from training import selectors, services
from training.models import Attendance, Certificate, Enrolment, Learner, Mentorship

from .builders import day, learner


def test_a_programme_names_its_partners_roles_and_staff(world):
    roles = dict(world.programme.staff.values_list("user__username", "role"))
    assert roles == {"t_coordinator": "coordinator", "t_trainer": "trainer", "t_mentor": "mentor"}
    assert world.programme.partners.get().role == "company"


def test_only_a_project_coordinator_starts_a_programme(world):
    with pytest.raises(PermissionDenied):
        services.programme_create(user=world.trainer, project=world.project, title="Mine")


def test_only_an_active_partner_of_the_project_takes_a_role(world):
    from tests.utils import approved_organization

    stranger = approved_organization(title="Not a partner")
    with pytest.raises(ValidationError):
        services.partner_set(
            programme=world.programme, user=world.coordinator, organization=stranger, role="entity"
        )


def test_staff_come_from_the_project_team(world):
    with pytest.raises(ValidationError):
        services.staff_set(
            programme=world.programme, user=world.coordinator, person=world.outsider, role="mentor"
        )


def test_a_minor_needs_their_guardians_consent(world):
    year = timezone.localdate().year - 15
    with pytest.raises(ValidationError) as error:
        services.learner_register(
            programme=world.programme,
            user=world.coordinator,
            alias="Kid",
            birth_year=year,
            guardian_consent=False,
            eligibility="neet",
            legal_basis="consent",
            referral="school",
        )
    assert "guardian_consent" in error.value.error_dict
    assert not Learner.objects.filter(alias="Kid").exists()


def test_a_learner_gets_a_pseudonymous_code(world):
    assert world.minor.code.startswith("L-") and world.minor.code != world.adult.code


def test_enrolment_moves_one_step_at_a_time(world):
    new = learner(world.programme, world.coordinator, cohort=world.cohort, alias="Cy")
    enrolment = new.enrolments.get()
    with pytest.raises(ValidationError):
        services.enrolment_set_status(enrolment=enrolment, user=world.coordinator, status="active")
    with pytest.raises(ValidationError) as error:
        services.enrolment_set_status(
            enrolment=enrolment, user=world.coordinator, status="dropped"
        )
    assert "drop_reason" in error.value.error_dict
    services.enrolment_set_status(
        enrolment=enrolment, user=world.coordinator, status="dropped", drop_reason="Moved away"
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.drop_reason) == ("dropped", "Moved away")


def test_a_full_cohort_refuses_another_enrolment(world):
    pending = []
    for alias in ("Cy", "Di"):
        new = learner(world.programme, world.coordinator, cohort=world.cohort, alias=alias)
        enrolment = new.enrolments.get()
        services.enrolment_set_status(
            enrolment=enrolment, user=world.coordinator, status="interviewed"
        )
        pending.append(enrolment)
    services.enrolment_set_status(enrolment=pending[0], user=world.coordinator, status="enrolled")
    with pytest.raises(ValidationError, match="full"):
        services.enrolment_set_status(
            enrolment=pending[1], user=world.coordinator, status="enrolled"
        )
    assert Enrolment.objects.get(pk=pending[1].pk).status == "interviewed"


def _mark(world, session, status, who=None):
    return services.attendance_record(
        session=session,
        user=who or world.trainer,
        marks={e.pk: status for e in world.enrolments[:1]},
    )


def test_the_warning_fires_once_when_completion_becomes_impossible(world):
    # 4 sessions at 75%: 3 needed. Two absences leave at most 2 attended.
    assert _mark(world, world.sessions[0], "absent") == []
    newly = _mark(world, world.sessions[1], "absent")
    assert [e.pk for e in newly] == [world.enrolments[0].pk]
    warned = Notification.objects.filter(kind="training.at_risk")
    assert set(warned.values_list("user__username", flat=True)) == {"t_coordinator", "t_mentor"}
    assert _mark(world, world.sessions[2], "absent") == []
    assert warned.count() == 2
    page = selectors.learner_page(world.minor)
    assert page["courses"][0]["standing"].can_complete is False


def test_the_warning_fires_after_absences_in_a_row(world):
    world.programme.completion_threshold = 25
    world.programme.absence_alert = 2
    world.programme.save()
    assert _mark(world, world.sessions[0], "absent") == []
    assert len(_mark(world, world.sessions[1], "absent")) == 1


def test_a_present_mark_clears_the_streak(world):
    world.programme.completion_threshold = 25
    world.programme.absence_alert = 2
    world.programme.save()
    _mark(world, world.sessions[0], "absent")
    _mark(world, world.sessions[1], "present")
    assert _mark(world, world.sessions[2], "absent") == []


def test_attendance_refuses_a_learner_of_another_cohort_and_changes_nothing(world):
    with pytest.raises(ValidationError):
        services.attendance_record(
            session=world.sessions[0],
            user=world.trainer,
            marks={world.enrolments[0].pk: "present", 999999: "present"},
        )
    assert not Attendance.objects.exists()


def test_a_mentor_cannot_take_attendance(world):
    with pytest.raises(PermissionDenied):
        _mark(world, world.sessions[0], "present", who=world.mentor)


def test_attendance_across_sessions_and_cohorts_per_learner(world):
    other = services.cohort_create(
        programme=world.programme,
        user=world.coordinator,
        name="Summer",
        starts_on=day(0),
        ends_on=day(20),
        capacity=5,
        language="ca",
    )
    extra = services.session_create(
        cohort=other,
        user=world.coordinator,
        starts_at=timezone.now() + timedelta(days=1),
        topic="Python",
    )
    enrolment = services.learner_refer(learner=world.minor, cohort=other, user=world.coordinator)
    for status in ("interviewed", "enrolled", "active"):
        services.enrolment_set_status(enrolment=enrolment, user=world.coordinator, status=status)
    _mark(world, world.sessions[0], "present")
    services.attendance_record(session=extra, user=world.coordinator, marks={enrolment.pk: "late"})
    page = selectors.learner_page(world.minor)
    assert (page["total_sessions"], page["total_attended"]) == (5, 2)
    assert [c["enrolment"].cohort.name for c in page["courses"]] == ["Spring", "Summer"]


def test_completion_and_certificate(world):
    enrolment = world.enrolments[0]
    with pytest.raises(ValidationError):
        services.enrolment_set_status(
            enrolment=enrolment, user=world.coordinator, status="completed"
        )
    for session in world.sessions[:3]:
        _mark(world, session, "present")
    with pytest.raises(ValidationError):
        services.certificate_issue(enrolment=enrolment, user=world.coordinator)
    services.enrolment_set_status(enrolment=enrolment, user=world.coordinator, status="completed")
    certificate = services.certificate_issue(enrolment=enrolment, user=world.coordinator)
    again = services.certificate_issue(enrolment=enrolment, user=world.coordinator)
    assert certificate.pk == again.pk and Certificate.objects.count() == 1


def test_mentoring_goals_checkins_and_stalled_mentees(world):
    mentorship = world.mentorship
    services.goal_add(mentorship=mentorship, user=world.mentor, title="Build a web page")
    goal = services.goal_add(mentorship=mentorship, user=world.mentor, title="Use Git")
    services.goal_achieve(goal=goal, user=world.mentor)
    Mentorship.objects.filter(pk=mentorship.pk).update(started_on=day(-40))
    [(row, stalled)] = selectors.mentees(world.programme, world.mentor)
    assert stalled and (row.goals_total, row.goals_done) == (2, 1)
    services.checkin_add(mentorship=mentorship, user=world.mentor, held_on=day(-2), minutes=45)
    [(row, stalled)] = selectors.mentees(world.programme, world.mentor)
    assert not stalled and row.last_checkin == day(-2)
    assert selectors.mentees(world.programme, world.trainer) == []


def test_only_the_mentor_or_a_coordinator_writes_in_a_mentorship(world):
    with pytest.raises(PermissionDenied):
        services.goal_add(mentorship=world.mentorship, user=world.trainer, title="No")
    with pytest.raises(ValidationError):
        services.checkin_add(
            mentorship=world.mentorship, user=world.mentor, held_on=day(3), minutes=30
        )


def test_a_new_mentor_ends_the_current_pairing(world):
    services.mentorship_start(learner=world.minor, user=world.coordinator, mentor=world.trainer)
    rows = Mentorship.objects.filter(learner=world.minor)
    assert rows.filter(ended_on__isnull=True).get().mentor == world.trainer
    assert rows.count() == 2


def test_erasing_a_learner_removes_their_data(world):
    _mark(world, world.sessions[0], "present")
    services.learner_erase(learner=world.minor, user=world.coordinator)
    assert not Learner.objects.filter(pk=world.minor.pk).exists()
    assert not Attendance.objects.exists()
    assert not Mentorship.objects.filter(pk=world.mentorship.pk).exists()


def test_permission_sync_finds_no_drift_and_repairs_some(world):
    from training.permissions import group_name, programme_permissions_sync

    assert programme_permissions_sync(world.programme) == []
    world.outsider.groups.add(
        world.coordinator.groups.get(name=group_name(world.programme.pk, "staff"))
    )
    assert programme_permissions_sync(world.programme, fix=True)
    assert programme_permissions_sync(world.programme) == []
