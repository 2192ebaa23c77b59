"""Reads of training programmes, with permissions applied. Lists cost a fixed number of
queries whatever their length."""

import math
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Max, Prefetch, Q, Sum
from django.utils import timezone
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user

from core.personal_data import when

from . import session_links
from .models import (
    Attendance,
    Certificate,
    CheckIn,
    Cohort,
    Enrolment,
    Learner,
    Mentorship,
    Programme,
    Session,
    StaffMember,
)

STALLED_AFTER_DAYS = 21


@dataclass(frozen=True)
class Access:
    team: bool = False
    attend: bool = False
    manage: bool = False


def programme_access(user, programme):
    """What ``user`` may do in ``programme``, in one round of queries."""
    if not user.is_authenticated or not user.is_active:
        return Access()
    if user.is_superuser:
        return Access(True, True, True)
    perms = set(ObjectPermissionChecker(user).get_perms(programme))
    return Access(
        team="view_learners" in perms,
        attend="take_attendance" in perms,
        manage="manage_programme" in perms,
    )


def programmes_of(user):
    """The programmes whose staff ``user`` is on."""
    if not user.is_authenticated:
        return Programme.objects.none()
    return (
        get_objects_for_user(
            user, "training.view_learners", klass=Programme, accept_global_perms=False
        )
        .select_related("project")
        .order_by("title", "pk")
    )


def mentoring_of(user):
    """The learners ``user`` mentors now, in every programme (a volunteer of the network
    mentors without being on the staff): one query."""
    return (
        Mentorship.objects.filter(mentor=user, ended_on__isnull=True)
        .select_related("learner", "programme__project")
        .order_by("programme__title", "learner__code", "pk")
    )


def programme_page(programme, learners=None):
    """The programme's page; ``learners`` a filtered queryset of its learners, if given."""
    learners = programme.learners.all() if learners is None else learners
    return {
        "partners": list(programme.partners.select_related("organization")),
        "staff": list(programme.staff.select_related("user")),
        "cohorts": list(
            programme.cohorts.annotate(
                taken=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.PLACE_HOLDING))
            )
        ),
        "learners": list(
            learners.prefetch_related(
                Prefetch("enrolments", queryset=Enrolment.objects.select_related("cohort"))
            )
        ),
    }


# --- Attendance standing ----------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where one enrolment stands against the programme's completion and warning rules."""

    total: int
    recorded: int
    attended: int
    streak: int  # absences in a row, most recent recorded sessions
    required: int
    alert_after: int

    @property
    def remaining(self):
        return self.total - self.recorded

    @property
    def rate(self):
        return round(100 * self.attended / self.recorded) if self.recorded else None

    @property
    def can_complete(self):
        return self.attended + self.remaining >= self.required

    @property
    def has_completed(self):
        return self.total > 0 and self.attended >= self.required

    @property
    def at_risk(self):
        return not self.can_complete or self.streak >= self.alert_after


def standing(programme, sessions, marks):
    """``sessions`` in date order; ``marks`` {session_id: status} of one enrolment."""
    attended = streak = recorded = 0
    for session in sessions:
        status = marks.get(session.pk)
        if status is None:
            continue
        recorded += 1
        if status in Attendance.ATTENDED:
            attended += 1
            streak = 0
        elif status == Attendance.Status.ABSENT:
            streak += 1
    total = len(sessions)
    return Standing(
        total=total,
        recorded=recorded,
        attended=attended,
        streak=streak,
        required=math.ceil(total * programme.completion_threshold / 100),
        alert_after=programme.absence_alert,
    )


def _marks_by_enrolment(enrolment_ids):
    marks = {}
    for enrolment_id, session_id, status in Attendance.objects.filter(
        enrolment_id__in=enrolment_ids
    ).values_list("enrolment_id", "session_id", "status"):
        marks.setdefault(enrolment_id, {})[session_id] = status
    return marks


def standings(programme, cohort, enrolments):
    """{enrolment_id: Standing} for enrolments of one cohort, in two queries."""
    sessions = list(cohort.sessions.all())
    marks = _marks_by_enrolment([e.pk for e in enrolments])
    return {e.pk: standing(programme, sessions, marks.get(e.pk, {})) for e in enrolments}


def cohort_page(cohort):
    """The cohort dashboard: its sessions, learners, the attendance grid and who is at risk."""
    programme = cohort.programme
    sessions = list(cohort.sessions.select_related("trainer").prefetch_related("materials"))
    enrolments = list(cohort.enrolments.select_related("learner", "certificate"))
    marks = _marks_by_enrolment([e.pk for e in enrolments])
    rows = []
    for enrolment in enrolments:
        own = marks.get(enrolment.pk, {})
        rows.append(
            {
                "enrolment": enrolment,
                "cells": [own.get(s.pk, "") for s in sessions],
                "standing": standing(programme, sessions, own),
            }
        )
    taken = sum(1 for e in enrolments if e.holds_place)
    return {
        "sessions": sessions,
        "rows": rows,
        "taken": taken,
        "free": max(cohort.capacity - taken, 0),
        "at_risk": sum(1 for r in rows if r["standing"].at_risk and r["enrolment"].holds_place),
    }


def session_page(session):
    """One session for the programme's team: its materials, its room's booking as it stands in
    the app that keeps it, and who of the cohort came (a count per mark, and each learner's)."""
    materials = list(session.materials.all())
    enrolments = list(
        session.cohort.enrolments.filter(status__in=Enrolment.PLACE_HOLDING)
        .select_related("learner")
        .order_by("learner__code", "pk")
    )
    marks = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    labels = dict(Attendance.Status.choices)
    learners = [(e, marks.get(e.pk, ""), labels.get(marks.get(e.pk), "")) for e in enrolments]
    counts = dict.fromkeys(labels, 0)
    for _enrolment, mark, _label in learners:
        if mark:
            counts[mark] += 1
    summary = [(value, labels[value], counts[value]) for value in labels]
    booking = None
    if session.room_booking:
        booking = session_links.booking_states([session.room_booking]).get(session.room_booking)
    return {
        "materials": materials,
        "learners": learners,
        "summary": summary,
        "unmarked": sum(1 for _e, mark, _l in learners if not mark),
        "attended": counts["present"] + counts["late"],
        "booking": booking,
        "ends_at": session.starts_at + timedelta(minutes=session.duration_minutes),
    }


def session_sheet(session):
    """The learners a trainer marks in a session, each with their current mark."""
    enrolments = list(
        session.cohort.enrolments.filter(status__in=("enrolled", "active")).select_related(
            "learner"
        )
    )
    marks = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    return [(e, marks.get(e.pk, "")) for e in enrolments]


def learner_page(learner):
    """One learner across every cohort and session of the programme."""
    programme = learner.programme
    enrolments = list(
        learner.enrolments.select_related("cohort", "certificate").prefetch_related(
            "skills", "follow_ups"
        )
    )
    sessions = list(
        Session.objects.filter(cohort__enrolments__learner=learner).order_by("starts_at", "pk")
    )
    marks = _marks_by_enrolment([e.pk for e in enrolments])
    by_cohort = {}
    for session in sessions:
        by_cohort.setdefault(session.cohort_id, []).append(session)
    courses = []
    for enrolment in enrolments:
        own_sessions = by_cohort.get(enrolment.cohort_id, [])
        own = marks.get(enrolment.pk, {})
        courses.append(
            {
                "enrolment": enrolment,
                "sessions": [(s, own.get(s.pk, "")) for s in own_sessions],
                "standing": standing(programme, own_sessions, own),
            }
        )
    total = sum(c["standing"].total for c in courses)
    attended = sum(c["standing"].attended for c in courses)
    return {
        "courses": courses,
        "total_sessions": total,
        "total_attended": attended,
        "mentorships": list(learner.mentorships.select_related("mentor")),
    }


def _stalled(mentorship, last, today):
    since = last or mentorship.started_on
    return (today - since) > timedelta(days=STALLED_AFTER_DAYS)


def mentees(programme, user, *, everyone=False):
    """Current mentorships (the person's own, or all for a coordinator), stalled ones first."""
    rows = programme.mentorships.filter(ended_on__isnull=True)
    if not everyone:
        rows = rows.filter(mentor=user)
    rows = rows.select_related("learner", "mentor").annotate(
        last_checkin=Max("checkins__held_on"),
        goals_total=Count("goals", distinct=True),
        goals_done=Count("goals", filter=Q(goals__achieved_on__isnull=False), distinct=True),
    )
    today = timezone.localdate()
    result = [(m, _stalled(m, m.last_checkin, today)) for m in rows]
    result.sort(key=lambda pair: (not pair[1], pair[0].learner.code))
    return result


def mentorship_page(mentorship):
    checkins = list(mentorship.checkins.all())
    last = checkins[0].held_on if checkins else None
    return {
        "goals": list(mentorship.goals.all()),
        "checkins": checkins,
        "stalled": mentorship.ended_on is None
        and _stalled(mentorship, last, timezone.localdate()),
        "hours": round(sum(c.minutes for c in checkins) / 60, 1),
    }


def programme_get(programme_id):
    return Programme.objects.select_related("project").filter(pk=programme_id).first()


def cohort_get(cohort_id):
    return Cohort.objects.select_related("programme__project").filter(pk=cohort_id).first()


def session_get(session_id):
    return (
        Session.objects.select_related("cohort__programme__project", "trainer")
        .filter(pk=session_id)
        .first()
    )


def learner_get(learner_id):
    return Learner.objects.select_related("programme__project").filter(pk=learner_id).first()


def enrolment_get(enrolment_id):
    return (
        Enrolment.objects.select_related("cohort__programme__project", "learner")
        .filter(pk=enrolment_id)
        .first()
    )


def mentorship_get(mentorship_id):
    return (
        Mentorship.objects.select_related("programme__project", "learner", "mentor")
        .filter(pk=mentorship_id)
        .first()
    )


def checkin_get(checkin_id):
    return (
        CheckIn.objects.select_related("mentorship__programme__project")
        .filter(pk=checkin_id)
        .first()
    )


def certificate_get(certificate_id):
    return (
        Certificate.objects.select_related(
            "enrolment__cohort__programme__project", "enrolment__learner", "issued_by"
        )
        .filter(pk=certificate_id)
        .first()
    )


def staff_choices(programme, roles=None):
    rows = StaffMember.objects.filter(programme=programme).select_related("user")
    if roles:
        rows = rows.filter(role__in=roles)
    return [s.user for s in rows]


def personal_data(user):
    """What the programmes keep about a staff member (learners are not accounts): in three
    queries whatever the rows."""
    return {
        "roles": [
            {"programme": s.programme.title, "role": s.role, "since": when(s.created_at)}
            for s in StaffMember.objects.filter(user=user).select_related("programme")
        ],
        "mentorships": [
            {
                "programme": m.programme.title,
                "learner_code": m.learner.code,
                "started_on": when(m.started_on),
                "ended_on": when(m.ended_on),
                "checkin_minutes": m.minutes or 0,
            }
            for m in Mentorship.objects.filter(mentor=user)
            .select_related("programme", "learner")
            .annotate(minutes=Sum("checkins__minutes"))
        ],
        "sessions_trained": [
            {"topic": topic, "starts_at": when(starts_at)}
            for topic, starts_at in Session.objects.filter(trainer=user).values_list(
                "topic", "starts_at"
            )
        ],
    }


def accepted_outcomes(project):
    """The accepted cohort outcomes of a project's programmes, in one query."""
    from .models import CohortOutcome

    return list(
        CohortOutcome.objects.filter(cohort__programme__project=project)
        .select_related("cohort__programme")
        .order_by("cohort__programme__title", "cohort__starts_on", "cohort_id", "kind")
    )


def mentoring_hours_by_year(project):
    """The hours mentors of a project's programmes spent in check-ins, per year, with how
    many mentors: in one query. They are volunteer time."""
    from django.db.models.functions import ExtractYear

    from .models import CheckIn

    return list(
        CheckIn.objects.filter(mentorship__programme__project=project)
        .annotate(year=ExtractYear("held_on"))
        .values("year")
        .annotate(minutes=Sum("minutes"), people=Count("mentorship__mentor", distinct=True))
        .order_by("year")
    )
