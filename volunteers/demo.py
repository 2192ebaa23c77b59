"""Demo volunteer network: students of three universities, two roles of the digital-skills
project with shifts (one full), and hours verified, rejected and waiting.

Safe to run twice: a role is found by its project and title, and its shifts and hours are made
only with the role. Past shifts and hours are written as they would have been, since no service
signs anyone up for the past.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from core.demo import DEMO_PASSWORD

from . import services
from .models import HoursLog, Role, Shift, ShiftSignup

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
        )
    return user


def seed(ctx):
    project = ctx.projects.get("digital-skills")
    coordinator = ctx.users.get("coordinator")
    if project is None or coordinator is None:
        ctx.log("volunteers: the demo project is missing, skipped")
        return
    students = [_student(*row) for row in STUDENTS]
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
