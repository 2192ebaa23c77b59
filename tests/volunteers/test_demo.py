"""The demo step makes students, roles, shifts and hours in every state, and runs twice."""

from types import SimpleNamespace

from volunteers import calls, demo
from volunteers.models import (
    Call,
    CallAnswer,
    CallApplication,
    CallReview,
    CriterionScore,
    HoursLog,
    RequirementRecord,
    Role,
    RoleApplication,
    VentureCheckin,
    VentureMentor,
    VentureMilestone,
    VolunteerProfile,
)


def test_demo_seeds_every_state_and_runs_twice(net):
    notes = []
    ctx = SimpleNamespace(
        projects={"digital-skills": net.project},
        users={"coordinator": net.coordinator},
        log=notes.append,
    )
    demo.seed(ctx)
    demo.seed(ctx)
    assert Role.objects.filter(project=net.project).count() == 4
    # One role the lead organization publishes itself, with a shift to come and hours verified.
    own = Role.objects.get(organization=net.project.lead_organization)
    assert own.project is None and own.title == demo.ORGANIZATION_ROLE_TITLE
    assert own.shifts.filter(signups__isnull=False).count() == 2
    assert HoursLog.objects.filter(role=own, status="verified").count() == 1
    assert sorted(RoleApplication.objects.values_list("status", flat=True)) == [
        "accepted",
        "applied",
        "waitlisted",
    ]
    assert RoleApplication.objects.get(status="accepted").ready
    assert RequirementRecord.objects.count() == 1
    assert set(HoursLog.objects.values_list("status", flat=True)) == {
        "verified",
        "rejected",
        "pending",
    }
    call = Call.objects.get()
    assert call.deadline > call.created_at.date()
    assert call.organization == net.project.lead_organization
    assert CallApplication.objects.filter(call=call).count() == 2
    # Questions answered, a weighted rubric, one review scored on every criterion.
    assert call.questions.count() == 2 and call.criteria.count() == 3
    assert sorted(call.criteria.values_list("weight", flat=True)) == [1, 2, 3]
    assert CallAnswer.objects.filter(application__call=call).count() == 3
    assert CallReview.objects.filter(submitted_at__isnull=False).count() == 1
    assert CriterionScore.objects.filter(criterion__call=call).count() == 3
    ranked = list(calls.applications_of_call(call))
    assert round(ranked[0].average, 2) == round((4 * 3 + 5 * 2 + 3) / 6, 2)
    # The students are offered as mentors to the training programmes.
    assert VolunteerProfile.objects.filter(
        user__username__startswith="vol_", open_to_mentoring=True
    ).count() == len(demo.STUDENTS)
    # The reviewed application was accepted: a venture with a mentor of the organization that
    # opened the call, two milestones (the first done) and one check-in.
    venture = CallApplication.objects.get(call=call, status="accepted")
    assert venture.applicant.username == "vol_jordi"
    assert CallApplication.objects.filter(call=call, status="submitted").count() == 1
    mentor = VentureMentor.objects.get(application=venture)
    assert call.organization.memberships.filter(user=mentor.user).exists()
    milestones = list(VentureMilestone.objects.filter(application=venture))
    assert [milestone.done for milestone in milestones] == [True, False]
    assert VentureCheckin.objects.filter(application=venture, mentor=mentor.user).count() == 1
    assert "volunteers: the demo venture is there already" in notes
