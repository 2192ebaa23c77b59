"""Demo volunteer network: students of three universities, two roles of the digital-skills
project with shifts (one full), hours verified, rejected and waiting, and an open call for
social entrepreneurship with applications and a review, one of them accepted and now a venture
with a mentor, two milestones (one done) and a check-in; and a role the project's lead
organization publishes itself, with no project, with a shift to come and hours verified by its
admin.

Safe to run twice: a role is found by its project (or organization) and title, and its shifts
and hours are made only with the role. Past shifts and hours are written as they would have
been, since no service signs anyone up for the past.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from core.demo import DEMO_PASSWORD
from partners.selectors import organization_ids_administered

from . import calls, services, ventures
from .models import (
    Call,
    CallApplication,
    HoursLog,
    Requirement,
    Role,
    Shift,
    ShiftSignup,
    VentureCheckin,
    VentureMentor,
    VentureMilestone,
)

STUDENTS = [
    ("vol_anna", "Universitat de Barcelona", "Social Education"),
    ("vol_jordi", "Universitat Pompeu Fabra", "Computer Engineering"),
    ("vol_lucia", "Universitat Autònoma de Barcelona", "Psychology"),
]


def _student(username, university, studies):
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    if created:
        user.password = make_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        services.profile_save(
            user=user,
            university=university,
            studies=studies,
            skills="workshops, mentoring",
            languages="ca, es, en",
            availability="Weekday afternoons",
            contact_consent=True,
            # Offered as mentors to the training programmes' coordinators.
            open_to_mentoring=True,
        )
    return user


MENTOR_AGREEMENT = """Between the volunteer and the project "Digital skills for young people".

1. Activity: one-to-one homework mentoring of children aged 10 to 14, Tuesdays 17:00-19:00, at
   the project's premises.
2. The volunteer's rights: training before starting, insurance for accidents and civil
   liability, reimbursement of agreed expenses, a certificate of the hours given.
3. The volunteer's duties: confidentiality about the children and their families, respect for
   the project's child-protection policy, notice of absences.
4. Either party may end this agreement with two weeks' notice."""


def _screened_role(ctx, project, coordinator, students):
    """A role that screens its volunteers and asks for the certificate of no sexual offences:
    one student accepted with the agreement signed and the certificate recorded, one on the
    waiting list, one who just applied."""
    if Role.objects.filter(project=project, title="Homework mentor for children").exists():
        return
    certificate, _created = Requirement.objects.get_or_create(
        name="Certificate of no sexual offences",
        defaults={
            "description": "From the Spanish central register of sex offenders; required of "
            "volunteers who work with minors (Ley 45/2015, article 8)."
        },
    )
    role = services.role_create(
        user=coordinator,
        project=project,
        title="Homework mentor for children",
        description="Mentor a child through their homework, two hours a week.",
        screening=True,
        agreement=MENTOR_AGREEMENT,
        requirements=[certificate],
    )
    start = timezone.now() + timedelta(days=9)
    shift = services.shift_create(
        user=coordinator, role=role, starts_at=start, ends_at=start + timedelta(hours=2), places=4
    )
    applications = [
        services.role_apply(user=student, role=role, motivation="I enjoy teaching.")
        for student in students
    ]
    services.application_decide(user=coordinator, application=applications[0], decision="accept")
    services.agreement_accept(user=students[0], application=applications[0], accept=True)
    services.requirement_record(
        user=coordinator,
        application=applications[0],
        requirement=certificate,
        valid_until=timezone.localdate() + timedelta(days=365),
    )
    services.shift_signup(user=students[0], shift=shift)
    services.application_decide(
        user=coordinator,
        application=applications[1],
        decision="waitlist",
        message="We have enough mentors until January.",
    )
    ctx.log("volunteers: a screened role with applications in three states")


CALL_TITLE = "Student ventures for digital inclusion"


def _open_call(ctx, project, coordinator, students):
    """One open call of the project's lead organization (or the editors'), with two questions
    and a weighted rubric; two applications that answer them, one scored on every criterion
    and one waiting for its reviewer."""
    if Call.objects.filter(title=CALL_TITLE).exists():
        return
    organization = project.lead_organization
    opener = coordinator
    if organization is None or organization.pk not in organization_ids_administered(coordinator):
        organization, opener = None, ctx.users.get("editor")
        if opener is None:
            ctx.log("volunteers: nobody to open the demo call, skipped")
            return
    call = calls.call_open(
        user=opener,
        title=CALL_TITLE,
        challenge="Ideas, run by students, that bring older people and families online.",
        eligibility="Teams with at least one student of a Catalan university.",
        deadline=timezone.localdate() + timedelta(days=30),
        organization=organization,
    )
    who = calls.question_add(
        user=opener, call=call, text="Who benefits, and how many people?", max_length=500
    )
    partners = calls.question_add(
        user=opener,
        call=call,
        text="Which organizations will you work with?",
        required=False,
        max_length=500,
    )
    impact = calls.criterion_add(
        user=opener,
        call=call,
        name="Social impact",
        weight=3,
        guidance="How many people gain what, and how lasting is it?",
    )
    feasibility = calls.criterion_add(
        user=opener,
        call=call,
        name="Feasibility",
        weight=2,
        guidance="Can this team do it in a year with the means it names?",
    )
    team = calls.criterion_add(user=opener, call=call, name="Team", weight=1)
    first = calls.application_submit(
        user=students[1],
        call=call,
        team="Jordi and two classmates of Computer Engineering",
        proposal="Repair cafés for second-hand laptops, with a basic-skills class each.",
        answers={
            who.pk: "About 120 older people a year in two neighbourhoods of Barcelona.",
            partners.pk: "A neighbourhood association and the district library.",
        },
    )
    second = calls.application_submit(
        user=students[2],
        call=call,
        team="Lucía and a Social Education student",
        proposal="Digital companions: students visit older people at home every week.",
        answers={who.pk: "Thirty older people who live alone, visited every week."},
    )
    review = calls.review_assign(user=opener, application=first, username=students[0].username)
    calls.review_submit(
        user=students[0],
        review=review,
        comment="Clear and feasible.",
        criterion_scores={impact.pk: 4, feasibility.pk: 5, team.pk: 3},
    )
    calls.review_assign(user=opener, application=second, username=students[0].username)
    ctx.log("volunteers: an open call with a rubric and two applications, one reviewed")


def _venture(ctx, students):
    """The reviewed application of the demo call, accepted: a venture mentored by a person of
    the organization that opened the call, with two milestones (the first done) and one
    check-in. Each part is made only when missing."""
    call = Call.objects.filter(title=CALL_TITLE).select_related("organization").first()
    if call is None:
        return
    opener = call.created_by
    application = CallApplication.objects.filter(call=call, applicant=students[1]).first()
    if application is None or opener is None:
        ctx.log("volunteers: the demo call has no application to accept, skipped")
        return
    made = application.status == CallApplication.Status.SUBMITTED
    if made:
        application = calls.application_decide(
            user=opener,
            application=application,
            accept=True,
            feedback="Strong impact and a feasible plan: welcome to the programme.",
        )
    if application.status != CallApplication.Status.ACCEPTED:
        return
    venture = ventures.venture_get(application.pk)
    if not VentureMentor.objects.filter(application=venture).exists():
        made = True
        organization = call.organization
        candidates = [
            person
            for person, where in ventures.mentor_candidates(venture)
            if organization is not None and where == organization.title
        ]
        # Someone of the organization other than the person who opened the call, if any.
        candidates.sort(key=lambda person: person.pk == opener.pk)
        if not candidates:
            ctx.log("volunteers: nobody of the organization to mentor the venture, skipped")
            return
        ventures.mentor_assign(user=opener, venture=venture, mentor_id=candidates[0].pk)
    mentor = VentureMentor.objects.filter(application=venture).select_related("user").first()
    today = timezone.localdate()
    if not VentureMilestone.objects.filter(application=venture).exists():
        made = True
        first = ventures.milestone_add(
            user=opener,
            venture=venture,
            title="First repair café, with ten laptops ready",
            due_on=today - timedelta(days=3),
        )
        ventures.milestone_mark(
            user=students[1],
            milestone=first,
            done=True,
            note="Twelve laptops repaired; eighteen people came to the class.",
        )
        ventures.milestone_add(
            user=opener,
            venture=venture,
            title="Agreement with the district library",
            due_on=today + timedelta(days=30),
        )
    if not VentureCheckin.objects.filter(application=venture).exists():
        made = True
        ventures.checkin_add(
            user=mentor.user,
            venture=venture,
            held_on=today - timedelta(days=2),
            minutes=60,
            note="Reviewed the first café and planned the talk with the library.",
        )
    if made:
        ctx.log("volunteers: one accepted venture with a mentor, two milestones and a check-in")
    else:
        ctx.log("volunteers: the demo venture is there already")


ORGANIZATION_ROLE_TITLE = "Volunteer fair welcome desk"


def _organization_role(ctx, project, coordinator, students):
    """A role the lead organization publishes itself (its admin coordinates it): a shift to
    come with a place taken, a past one with hours verified."""
    organization = project.lead_organization
    if organization is None or organization.pk not in organization_ids_administered(coordinator):
        ctx.log("volunteers: no organization administered by the coordinator, skipped")
        return
    if Role.objects.filter(organization=organization, title=ORGANIZATION_ROLE_TITLE).exists():
        ctx.log("volunteers: the organization's own role is there already")
        return
    role = services.role_create(
        user=coordinator,
        organization=organization,
        title=ORGANIZATION_ROLE_TITLE,
        description="Welcome students at the organization's stand at the university "
        "volunteering fair and tell them about our work.",
        skills="communication, languages",
    )
    now = timezone.now()
    upcoming = services.shift_create(
        user=coordinator,
        role=role,
        starts_at=now + timedelta(days=21),
        ends_at=now + timedelta(days=21, hours=3),
        places=4,
    )
    services.shift_signup(user=students[2], shift=upcoming)
    past = Shift.objects.create(
        role=role,
        starts_at=now - timedelta(days=20),
        ends_at=now - timedelta(days=20) + timedelta(hours=3),
        places=4,
    )
    ShiftSignup.objects.get_or_create(shift=past, user=students[2])
    entry = services.hours_log(
        user=students[2],
        role=role,
        day=timezone.localdate() - timedelta(days=20),
        hours=Decimal("3"),
        note="Welcome desk at the fair",
    )
    services.hours_decide(user=coordinator, entry=entry, verify=True)
    ctx.log("volunteers: a role of the organization itself, with hours verified")


def seed(ctx):
    project = ctx.projects.get("digital-skills")
    coordinator = ctx.users.get("coordinator")
    if project is None or coordinator is None:
        ctx.log("volunteers: the demo project is missing, skipped")
        return
    students = [_student(*row) for row in STUDENTS]
    _screened_role(ctx, project, coordinator, students)
    _open_call(ctx, project, coordinator, students)
    _venture(ctx, students)
    _organization_role(ctx, project, coordinator, students)
    if Role.objects.filter(project=project, title="Coding workshop tutor").exists():
        ctx.log("volunteers: roles already there")
        return
    tutor = services.role_create(
        user=coordinator,
        project=project,
        title="Coding workshop tutor",
        description="Help young people through their first programs, two hours a week.",
        skills="Python, patience",
    )
    helper = services.role_create(
        user=coordinator,
        project=project,
        title="Open day helper",
        description="Welcome families at the project's open day.",
        remote=False,
        minors_allowed=True,
    )
    now = timezone.now()
    future = services.shift_create(
        user=coordinator,
        role=tutor,
        starts_at=now + timedelta(days=7),
        ends_at=now + timedelta(days=7, hours=2),
        places=3,
    )
    services.shift_signup(user=students[0], shift=future)
    full = services.shift_create(
        user=coordinator,
        role=helper,
        starts_at=now + timedelta(days=14),
        ends_at=now + timedelta(days=14, hours=4),
        places=2,
    )
    for student in students[1:]:
        services.shift_signup(user=student, shift=full)
    past = Shift.objects.create(
        role=tutor,
        starts_at=now - timedelta(days=10),
        ends_at=now - timedelta(days=10) + timedelta(hours=2),
        places=3,
    )
    for student in students:
        ShiftSignup.objects.get_or_create(shift=past, user=student)
    day = timezone.localdate() - timedelta(days=10)
    entries = [
        services.hours_log(user=student, role=tutor, day=day, hours=Decimal("2"))
        for student in students
    ]
    services.hours_decide(user=coordinator, entry=entries[0], verify=True)
    services.hours_decide(
        user=coordinator, entry=entries[1], verify=False, reason="You left after one hour."
    )
    ctx.log(f"volunteers: 2 roles, {len(students)} students, {HoursLog.objects.count()} hours")
