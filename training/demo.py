"""A demo training programme on "Digital skills for young people": the partner organization
as the company, two cohorts (one finished, one running), sessions, learners with attendance,
a mentor with goals and check-ins, certificates, DigComp levels before and after, follow-ups
and the finished cohort's accepted outcomes. Safe to run twice: the programme is
found by its project and title before anything is made.

Runs after ``projects.demo`` (``coordinator`` and ``member`` on the project's team); without
them it is skipped.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from . import services
from .models import Enrolment, Programme

TITLE = "Codi Jove: programació per a joves"
LEARNERS = [("Aya", 16), ("Biel", 19), ("Carla", 17), ("Dani", 21), ("Eli", 20)]


def _at(day, hour=17):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _advance(enrolment, user, statuses):
    for status in statuses:
        enrolment = services.enrolment_set_status(enrolment=enrolment, user=user, status=status)
    return enrolment


def seed(ctx):
    project = ctx.projects.get("digital-skills")
    coordinator, member = ctx.users.get("coordinator"), ctx.users.get("member")
    if not (project and coordinator and member):
        ctx.log("training: the demo project or its team is missing, skipped")
        return
    if Programme.objects.filter(project=project, title=TITLE).exists():
        ctx.log("training: the demo programme is there already")
        return
    today = timezone.localdate()
    programme = services.programme_create(
        user=coordinator,
        project=project,
        title=TITLE,
        summary="Tallers de web i programació amb mentoria, per a joves de 16 a 24 anys.",
        completion_threshold=75,
        absence_alert=3,
    )
    services.staff_set(programme=programme, user=coordinator, person=member, role="trainer")
    partner = ctx.organizations.get("partner")
    if partner:
        try:
            services.partner_set(
                programme=programme,
                user=coordinator,
                organization=partner,
                role="company",
                contribution="Formadors i ordinadors",
            )
        except Exception:  # noqa: BLE001 - the demo partner may not be active in the project
            pass
    cohorts = []
    for name, start, language in (
        ("Tardor", today - timedelta(days=70), "ca"),
        ("Hivern", today - timedelta(days=14), "es"),
    ):
        cohort = services.cohort_create(
            programme=programme,
            user=coordinator,
            name=name,
            starts_on=start,
            ends_on=start + timedelta(days=35),
            capacity=12,
            language=language,
            place="Casal de barri del Raval",
        )
        sessions = [
            services.session_create(
                cohort=cohort,
                user=coordinator,
                trainer=member,
                starts_at=_at(start + timedelta(days=7 * week)),
                topic=topic,
                room="Aula 2",
            )
            for week, topic in enumerate(("HTML", "CSS", "JavaScript", "Git", "Projecte final"))
        ]
        cohorts.append((cohort, sessions))
    finished, running = cohorts
    for index, (alias, age) in enumerate(LEARNERS):
        cohort, sessions = finished if index < 2 else running
        learner = services.learner_register(
            programme=programme,
            user=coordinator,
            cohort=cohort,
            alias=alias,
            birth_year=today.year - age,
            guardian_consent=age < 19,
            eligibility="neet" if index % 2 else "early_leaver",
            legal_basis="consent" if age < 19 else "public_task",
            referral="social_services" if index % 2 else "entity",
            interests="Disseny web, videojocs" if index % 2 else "Python, xarxes socials",
            languages="Català, castellano",
            availability="afternoons" if index % 2 else "evenings",
        )
        enrolment = _advance(
            learner.enrolments.get(), coordinator, ("interviewed", "enrolled", "active")
        )
        for number, session in enumerate(sessions):
            if session.starts_at > timezone.now():
                break
            # The last learner of the running cohort stops coming: the early warning shows.
            missing = index == len(LEARNERS) - 1 and number >= 1
            services.attendance_record(
                session=session,
                user=member,
                marks={enrolment.pk: "absent" if missing else "present"},
            )
        if cohort is finished[0]:
            enrolment = _advance(enrolment, coordinator, ("completed",))
            services.certificate_issue(enrolment=enrolment, user=coordinator)
            for area, before, after in (("content", 1, 3), ("safety", 2, 3)):
                services.skill_level_record(
                    enrolment=enrolment, user=member, area=area, before=before, after=after
                )
            services.follow_up_record(
                enrolment=enrolment,
                user=coordinator,
                months=3,
                situation="working" if index == 0 else "studying",
                evidence="Trucada de seguiment",
            )
        if index == 2:
            mentorship = services.mentorship_start(
                learner=learner, user=coordinator, mentor=member
            )
            goal = services.goal_add(
                mentorship=mentorship, user=member, title="Publicar la primera pàgina web"
            )
            services.goal_add(mentorship=mentorship, user=member, title="Preparar el CV")
            services.goal_achieve(goal=goal, user=member)
            services.checkin_add(
                mentorship=mentorship,
                user=member,
                held_on=today - timedelta(days=3),
                minutes=45,
                note="Bona setmana: ha acabat el primer exercici.",
            )
    # The coordinator accepts the finished cohort's outcomes: the impact map may use them.
    services.cohort_outcomes_accept(cohort=finished[0], user=coordinator)
    ctx.log(
        f"training: 1 programme, 2 cohorts, {len(LEARNERS)} learners, "
        f"{Enrolment.objects.filter(cohort__programme=programme, status='completed').count()}"
        " certificates"
    )
