"""A training programme built through the services, as its team would."""

import dataclasses
from datetime import datetime, time, timedelta

from django.utils import timezone

from partners.services import membership_add
from projects.services import team_add
from tests.factories import UserFactory
from tests.utils import approved_organization, editor, project_with_partner_on_team
from training import services
from training.models import Enrolment


def day(offset):
    return timezone.localdate() + timedelta(days=offset)


def at(offset, hour=10):
    return timezone.make_aware(datetime.combine(day(offset), time(hour)))


@dataclasses.dataclass
class World:
    coordinator: object
    trainer: object
    mentor: object
    partner_admin: object
    outsider: object
    project: object
    partner: object
    programme: object
    cohort: object
    sessions: list
    minor: object
    adult: object
    enrolments: list
    mentorship: object
    editor: object = None


def learner(programme, user, *, cohort=None, alias="Ana", minor=False, **fields):
    year = timezone.localdate().year - (15 if minor else 20)
    return services.learner_register(
        programme=programme,
        user=user,
        cohort=cohort,
        alias=alias,
        birth_year=year,
        guardian_consent=minor,
        eligibility="neet",
        legal_basis="consent",
        referral="social_services",
        **fields,
    )


def enrol(enrolment, user, until=Enrolment.Status.ACTIVE):
    for status in ("interviewed", "enrolled", "active"):
        enrolment = services.enrolment_set_status(enrolment=enrolment, user=user, status=status)
        if status == until:
            break
    return enrolment


def build_programme(coordinator=None, trainer=None, mentor=None, partner_admin=None):
    coordinator = coordinator or UserFactory()
    trainer = trainer or UserFactory()
    mentor = mentor or UserFactory()
    project, partner, trainer = project_with_partner_on_team(
        coordinator=coordinator, partner_admin=partner_admin, member=trainer
    )
    membership_add(organization=partner, user=mentor)
    team_add(project=project, user=mentor, organization=partner, added_by=coordinator)
    programme = services.programme_create(
        user=coordinator, project=project, title="Code club", completion_threshold=75
    )
    services.staff_set(programme=programme, user=coordinator, person=trainer, role="trainer")
    services.staff_set(programme=programme, user=coordinator, person=mentor, role="mentor")
    services.partner_set(
        programme=programme, user=coordinator, organization=partner, role="company"
    )
    return project, partner, programme


def build_world():
    coordinator = UserFactory(username="t_coordinator")
    trainer = UserFactory(username="t_trainer")
    mentor = UserFactory(username="t_mentor")
    partner_admin = UserFactory(username="t_partner_admin")
    outsider = UserFactory(username="t_outsider")
    approved_organization(admin=outsider, title="Outsider org")
    project, partner, programme = build_programme(coordinator, trainer, mentor, partner_admin)
    cohort = services.cohort_create(
        programme=programme,
        user=coordinator,
        name="Spring",
        starts_on=day(-10),
        ends_on=day(30),
        capacity=3,
        language="es",
        place="Raval",
    )
    sessions = [
        services.session_create(
            cohort=cohort, user=coordinator, trainer=trainer, starts_at=at(-9 + 7 * i), topic=t
        )
        for i, t in enumerate(("HTML", "CSS", "JavaScript", "Git"))
    ]
    minor = learner(programme, coordinator, cohort=cohort, alias="Ana", minor=True)
    adult = learner(programme, coordinator, cohort=cohort, alias="Bo")
    enrolments = [enrol(e, coordinator) for e in Enrolment.objects.order_by("pk")]
    mentorship = services.mentorship_start(learner=minor, user=coordinator, mentor=mentor)
    return World(
        coordinator=coordinator,
        trainer=trainer,
        mentor=mentor,
        partner_admin=partner_admin,
        outsider=outsider,
        project=project,
        partner=partner,
        programme=programme,
        cohort=cohort,
        sessions=sessions,
        minor=minor,
        adult=adult,
        enrolments=enrolments,
        mentorship=mentorship,
        editor=editor(),
    )
