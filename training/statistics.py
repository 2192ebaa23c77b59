"""Figures about programmes without anyone in them: the funder export of one programme (per
cohort) and the public statistics of every programme of a published project. Public figures
never show a group smaller than ``MIN_GROUP`` people. Each costs a fixed number of queries."""

from django.db.models import Count, F

from .models import (
    Attendance,
    Certificate,
    Enrolment,
    FollowUp,
    Learner,
    Programme,
    Session,
    SkillLevel,
)

MIN_GROUP = 5
STATUSES = [value for value, _label in Enrolment.Status.choices]


def _rate(part, whole):
    return round(100 * part / whole) if whole else None


def _grouped(queryset, key, by="status"):
    table = {}
    for row in queryset.values(key, by).annotate(n=Count("pk")):
        table.setdefault(row[key], {})[row[by]] = row["n"]
    return table


def cohort_figures(programme):
    """One row per cohort: places, learners by status, sessions, attendance, certificates."""
    cohorts = list(programme.cohorts.all())
    statuses = _grouped(Enrolment.objects.filter(cohort__programme=programme), "cohort_id")
    marks = _grouped(
        Attendance.objects.filter(session__cohort__programme=programme), "session__cohort_id"
    )
    sessions = dict(
        Session.objects.filter(cohort__programme=programme)
        .values("cohort_id")
        .annotate(n=Count("pk"))
        .values_list("cohort_id", "n")
    )
    certificates = dict(
        Certificate.objects.filter(enrolment__cohort__programme=programme)
        .values("enrolment__cohort_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment__cohort_id", "n")
    )
    working = dict(
        FollowUp.objects.filter(
            enrolment__cohort__programme=programme, situation__in=("working", "studying")
        )
        .values("enrolment__cohort_id")
        .annotate(n=Count("enrolment", distinct=True))
        .values_list("enrolment__cohort_id", "n")
    )
    improved = dict(
        SkillLevel.objects.filter(enrolment__cohort__programme=programme, after__gt=F("before"))
        .values("enrolment__cohort_id")
        .annotate(n=Count("enrolment", distinct=True))
        .values_list("enrolment__cohort_id", "n")
    )
    rows = []
    for cohort in cohorts:
        own = statuses.get(cohort.pk, {})
        own_marks = marks.get(cohort.pk, {})
        attended = sum(own_marks.get(s, 0) for s in Attendance.ATTENDED)
        rows.append(
            {
                "cohort": cohort.name,
                "starts_on": cohort.starts_on,
                "ends_on": cohort.ends_on,
                "language": cohort.language,
                "places": cohort.capacity,
                **{status: own.get(status, 0) for status in STATUSES},
                "sessions": sessions.get(cohort.pk, 0),
                "attendance_rate": _rate(attended, sum(own_marks.values())),
                "certificates": certificates.get(cohort.pk, 0),
                "improved_digital_skills": improved.get(cohort.pk, 0),
                "working_or_studying_after": working.get(cohort.pk, 0),
            }
        )
    return rows


EXPORT_FIELDS = [
    "cohort",
    "starts_on",
    "ends_on",
    "language",
    "places",
    *STATUSES,
    "sessions",
    "attendance_rate",
    "certificates",
    "improved_digital_skills",
    "working_or_studying_after",
]


def shown(n):
    """A count as the public may see it: None (“fewer than 5”) for a group of 1 to 4."""
    return None if 0 < n < MIN_GROUP else n


def public_statistics():
    """Per programme of a published project: learners, completions, drop-outs, the completion
    rate, and learners by eligibility category over all programmes; small groups suppressed."""
    programmes = list(
        Programme.objects.filter(project__live=True).select_related("project").order_by("title")
    )
    ids = [p.pk for p in programmes]
    statuses = _grouped(
        Enrolment.objects.filter(cohort__programme_id__in=ids), "cohort__programme_id"
    )
    learners = dict(
        Learner.objects.filter(programme_id__in=ids)
        .values("programme_id")
        .annotate(n=Count("pk"))
        .values_list("programme_id", "n")
    )
    rows = []
    for programme in programmes:
        own = statuses.get(programme.pk, {})
        completed, dropped = own.get("completed", 0), own.get("dropped", 0)
        finished = completed + dropped
        rate = None
        if shown(completed) is not None and shown(finished) is not None and finished:
            rate = _rate(completed, finished)
        rows.append(
            {
                "programme": programme,
                "learners": shown(learners.get(programme.pk, 0)),
                "completed": shown(completed),
                "dropped": shown(dropped),
                "completion_rate": rate,
            }
        )
    labels = dict(Learner.Eligibility.choices)
    categories = [
        {"label": labels.get(key, key), "learners": shown(n)}
        for key, n in Learner.objects.filter(programme_id__in=ids)
        .values("eligibility")
        .annotate(n=Count("pk"))
        .order_by("eligibility")
        .values_list("eligibility", "n")
    ]
    return {"rows": rows, "categories": categories, "min_group": MIN_GROUP}


def cohort_outcome_figures(cohort):
    """{kind: (learners, evidence)} of one cohort as its records show them now, in four
    queries: what a coordinator accepts as the cohort's outcomes."""
    from django.utils.translation import gettext as _

    from .models import CohortOutcome

    enrolments = Enrolment.objects.filter(cohort=cohort)
    completed = enrolments.filter(status=Enrolment.Status.COMPLETED).count()
    certificates = Certificate.objects.filter(enrolment__cohort=cohort).count()
    gained = (
        SkillLevel.objects.filter(enrolment__cohort=cohort, after__gt=F("before"))
        .values("enrolment")
        .distinct()
        .count()
    )
    situations = dict(
        FollowUp.objects.filter(enrolment__cohort=cohort, situation__in=("working", "studying"))
        .values("situation")
        .annotate(n=Count("enrolment", distinct=True))
        .values_list("situation", "n")
    )
    name = cohort.name
    return {
        CohortOutcome.Kind.COMPLETED: (
            completed,
            _("%(cohort)s: attendance records; %(certificates)s certificates issued")
            % {"cohort": name, "certificates": certificates},
        ),
        CohortOutcome.Kind.SKILLS: (
            gained,
            _("%(cohort)s: DigComp levels recorded by the trainers before and after")
            % {"cohort": name},
        ),
        CohortOutcome.Kind.WORKING: (
            situations.get("working", 0),
            _("%(cohort)s: follow-ups at 3, 6 and 12 months recorded by the coordinators")
            % {"cohort": name},
        ),
        CohortOutcome.Kind.STUDYING: (
            situations.get("studying", 0),
            _("%(cohort)s: follow-ups at 3, 6 and 12 months recorded by the coordinators")
            % {"cohort": name},
        ),
    }
