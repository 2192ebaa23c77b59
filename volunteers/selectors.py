"""Every read of the volunteer network that needs a permission or a prefetch."""

import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import Count, Max, Min, Prefetch, Q, Sum, prefetch_related_objects
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from core.audit import audit_record
from core.personal_data import when
from partners.models import Membership, PartnerPage
from partners.selectors import (
    can_view_organization,
    organization_ids_administered,
    organization_members,
)
from projects.models import Participation, ProjectPage
from projects.selectors import administers, can_coordinate, can_view_project

from . import availability
from .models import (
    CallApplication,
    CallReview,
    HoursLog,
    RequirementRecord,
    Role,
    RoleApplication,
    Shift,
    ShiftSignup,
    VolunteerProfile,
)

CERTIFICATE_SALT = "volunteers.certificate"


def profile_of(user):
    if not user.is_authenticated:
        return None
    return VolunteerProfile.objects.filter(user=user).first()


def role_list():
    """Open roles of live projects and live organizations, with their publisher and the count
    of upcoming shifts."""
    return (
        Role.objects.filter(open=True)
        .filter(Q(project__live=True) | Q(organization__live=True))
        .select_related("project", "organization")
        .prefetch_related("project__sectors", "organization__sectors")
        .annotate(shift_count=Count("shifts"))
        # Newest first (an aggregate drops the model's default ordering).
        .order_by("-created_at", "-pk")
    )


def _terms(text):
    """The comma- or semicolon-separated terms of a free-text list, by their lower case."""
    terms = {}
    for term in re.split(r"[,;\n]", text or ""):
        term = term.strip()
        if term:
            terms.setdefault(term.lower(), term)
    return terms


def explain_matches(profile, roles):
    """Mark each role with what it shares with the volunteer's profile: the skills it wants
    that they have, its publisher's (project's or organization's) sectors and SDGs among their
    interests, and its upcoming shifts that fit their availability (``availability``); best
    matches first. A role whose upcoming shifts all fall outside the availability they wrote
    is told so (``availability_fit`` False; None when either says nothing). Reads the
    profile's sectors and SDGs, the roles' upcoming shifts and their publishers' SDGs once
    each (the roles come with their publishers' sectors), whatever the number of roles."""
    roles = list(roles)
    if profile is None:
        return roles
    prefetch_related_objects(
        roles,
        Prefetch(
            "shifts",
            queryset=Shift.objects.filter(starts_at__gte=timezone.now()).order_by("starts_at"),
            to_attr="upcoming_shifts",
        ),
        "project__sdgs",
        "organization__sdgs",
    )
    skills = _terms(profile.skills)
    interests = {sector.pk for sector in profile.sectors.all()}
    goals = {goal.pk for goal in profile.sdgs.all()}
    available = availability.slots(profile.availability)
    for role in roles:
        role.matched_skills = [term for key, term in _terms(role.skills).items() if key in skills]
        role.matched_sectors = [
            sector.localized_name
            for sector in role.publisher.sectors.all()
            if sector.pk in interests
        ]
        role.matched_sdgs = [str(goal) for goal in role.publisher.sdgs.all() if goal.pk in goals]
        role.matched_times = availability.fit_labels(available, role.upcoming_shifts)
        role.availability_fit = (
            None if not available or not role.upcoming_shifts else bool(role.matched_times)
        )
        role.match = (
            len(role.matched_skills)
            + len(role.matched_sectors)
            + len(role.matched_sdgs)
            + (1 if role.matched_times else 0)
        )
    return sorted(roles, key=lambda role: -role.match)


def can_view_role(user, role):
    """Whether ``user`` may read the role: its project's or its organization's page is
    readable to them."""
    if role.project_id is not None:
        return can_view_project(user, role.project)
    return can_view_organization(user, role.organization)


def role_get_for_user(user, role_id):
    """The role if ``user`` may see it (its publisher is readable to them), else None."""
    role = Role.objects.select_related("project", "organization").filter(pk=role_id).first()
    if role is None or not can_view_role(user, role):
        return None
    return role


def shifts_of(role, user=None):
    """The role's shifts with places taken, and whether ``user`` holds one."""
    shifts = role.shifts.annotate(taken=Count("signups"))
    if user is not None and user.is_authenticated:
        shifts = shifts.annotate(mine=Count("signups", filter=Q(signups__user=user)))
    return list(shifts)


def application_of(user, role):
    """``user``'s application to ``role``, or None."""
    if not user.is_authenticated or not role.screening:
        return None
    return RoleApplication.objects.filter(role=role, user=user).first()


def applications_of_role(role):
    """The role's applications with each volunteer's profile, open ones first."""
    order = {"applied": 0, "screened": 1, "waitlisted": 2, "accepted": 3, "declined": 4}
    rows = list(
        RoleApplication.objects.filter(role=role)
        .select_related("user__volunteer_profile", "decided_by")
        .order_by("created_at", "pk")
    )
    requirements = list(role.requirements.all())
    records = {}
    if requirements:
        for record in RequirementRecord.objects.filter(
            user__in=[row.user_id for row in rows], requirement__in=requirements
        ):
            records[record.user_id, record.requirement_id] = record
    for row in rows:
        # Each applicant's dates for the role's requirements (None: not recorded).
        row.requirement_dates = [
            (requirement, records.get((row.user_id, requirement.pk)))
            for requirement in requirements
        ]
    return sorted(rows, key=lambda row: order[row.status])


def requirement_records_of(user, role):
    """``user``'s records of the role's requirements, by requirement (for the role page)."""
    requirements = list(role.requirements.all())
    if not requirements:
        return []
    records = {}
    if user.is_authenticated:
        records = {
            r.requirement_id: r
            for r in RequirementRecord.objects.filter(user=user, requirement__in=requirements)
        }
    return [(requirement, records.get(requirement.pk)) for requirement in requirements]


def application_get(application_id):
    return (
        RoleApplication.objects.select_related("role__project", "role__organization", "user")
        .filter(pk=application_id)
        .first()
    )


def can_coordinate_organization_roles(user, organization):
    """The organization's admins (and superusers) coordinate the roles it publishes; editors
    curate content, not volunteers."""
    return user.is_authenticated and administers(user, organization.pk)


def can_coordinate_role(user, role):
    if not user.is_authenticated:
        return False
    if role.project_id is not None:
        return can_coordinate(user, role.project)
    return administers(user, role.organization_id)


def role_managers(role):
    """Who hears of a role's news (its new applications): the active coordinators of its
    project, or the active admins of the organization that publishes it."""
    if role.project_id is not None:
        return coordinators_of(role.project)
    return [
        membership.user
        for membership in organization_members(role.organization)
        if membership.role == "admin" and membership.user.is_active
    ]


def role_audit(volunteer_role, action, /, *, user, person=None, **data):
    """Record ``action`` about a role on its publisher's audit trail: the project's page, or
    the organization's page (so its admins read it in their activity). ``data`` may carry a
    ``role`` of its own (an application's new status)."""
    if volunteer_role.project_id is not None:
        return audit_record(volunteer_role.project, action, user=user, person=person, **data)
    organization = volunteer_role.organization
    return audit_record(
        organization, action, user=user, organization=organization, person=person, **data
    )


def organizations_with_roles(user):
    """The organizations ``user`` administers, each with its own open roles and the hours on
    them waiting for verification: one query."""
    if not user.is_authenticated:
        return []
    return list(
        PartnerPage.objects.filter(
            pk__in=Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values(
                "organization_id"
            )
        )
        .annotate(
            open_roles=Count(
                "volunteer_roles", filter=Q(volunteer_roles__open=True), distinct=True
            ),
            pending_hours=Count(
                "volunteer_roles__hours",
                filter=Q(volunteer_roles__hours__status=HoursLog.Status.PENDING),
                distinct=True,
            ),
        )
        .order_by("title", "pk")
    )


def publisher_hours_filter(publisher):
    """The hours logged on the roles of ``publisher`` (a project or an organization page)."""
    if isinstance(publisher, PartnerPage):
        return Q(role__organization=publisher)
    return Q(role__project=publisher)


def roles_signed_up(user):
    """Roles where ``user`` holds a place on a shift: where they may log hours."""
    return (
        Role.objects.filter(shifts__signups__user=user)
        .select_related("project", "organization")
        .distinct()
    )


def hours_of(user):
    return HoursLog.objects.filter(user=user).select_related(
        "role__project", "role__organization", "decided_by"
    )


def hours_pending_for_project(project):
    """The hours waiting for verification on the roles of ``project``, or of an organization
    (the roles it publishes itself)."""
    return (
        HoursLog.objects.filter(publisher_hours_filter(project), status=HoursLog.Status.PENDING)
        .select_related("user", "role")
        .order_by("day", "pk")
    )


def verified_totals(user):
    """``user``'s verified hours by project (or by organization, for the roles an organization
    publishes), and their sum."""
    rows = list(
        HoursLog.objects.filter(user=user, status=HoursLog.Status.VERIFIED)
        # Time given elsewhere in the portal (mentoring) has no role: its source names it.
        .values(
            project_title=Coalesce("role__project__title", "role__organization__title", "source")
        )
        .annotate(total=Sum("hours"))
        .order_by("project_title")
    )
    return rows, sum((row["total"] for row in rows), Decimal("0"))


def project_verified_hours_by_year(project):
    """A project's verified volunteer hours per year: what SROI may take as an input. Given an
    organization, the hours of the roles it publishes itself (never a project's)."""
    return list(
        HoursLog.objects.filter(publisher_hours_filter(project), status=HoursLog.Status.VERIFIED)
        .annotate(year=ExtractYear("day"))
        .values("year")
        .annotate(total=Sum("hours"), people=Count("user", distinct=True))
        .order_by("year")
    )


def coordinated_projects(user):
    """The projects ``user`` coordinates (every project for a superuser)."""
    if not user.is_authenticated:
        return ProjectPage.objects.none()
    return get_objects_for_user(
        user, "projects.coordinate_project", klass=ProjectPage, accept_global_perms=False
    )


def _verified(start=None, end=None):
    rows = HoursLog.objects.filter(status=HoursLog.Status.VERIFIED)
    if start:
        rows = rows.filter(day__gte=start)
    if end:
        rows = rows.filter(day__lte=end)
    return rows


def project_totals(user, start=None, end=None):
    """Verified hours of every project ``user`` coordinates, in the period: one query."""
    return list(
        _verified(start, end)
        .filter(role__project__in=coordinated_projects(user).values("pk"))
        .values("role__project_id", "role__project__title")
        .annotate(
            total=Sum("hours"),
            people=Count("user", distinct=True),
            entries=Count("pk"),
            first_day=Min("day"),
            last_day=Max("day"),
        )
        .order_by("role__project__title", "role__project_id")
    )


def coordinated_organizations(user):
    """The ids of the organizations whose roles ``user`` coordinates (every one for a
    superuser), as a subquery."""
    if not user.is_authenticated:
        return PartnerPage.objects.none().values("pk")
    if user.is_superuser:
        return PartnerPage.objects.values("pk")
    return PartnerPage.objects.filter(pk__in=organization_ids_administered(user)).values("pk")


def organization_totals(user, start=None, end=None):
    """Verified hours of the projects ``user`` coordinates, by each project's lead
    organization, with the hours of the roles the organizations ``user`` administers publish
    themselves, in the period: one query. ``projects`` counts projects (an organization's own
    roles have none)."""
    return list(
        _verified(start, end)
        .filter(
            Q(role__project__in=coordinated_projects(user).values("pk"))
            | Q(role__organization__in=coordinated_organizations(user))
        )
        .annotate(
            organization_id=Coalesce(
                "role__organization_id", "role__project__lead_organization_id"
            ),
            organization_title=Coalesce(
                "role__organization__title", "role__project__lead_organization__title"
            ),
        )
        .values("organization_id", "organization_title")
        .annotate(
            total=Sum("hours"),
            projects=Count("role__project", distinct=True),
            people=Count("user", distinct=True),
            entries=Count("pk"),
        )
        .order_by("organization_title", "organization_id")
    )


def coordinators_of(project):
    """The active coordinators of ``project`` (whom its volunteers' news concerns)."""
    return list(
        get_user_model()
        .objects.filter(
            team_memberships__project=project,
            team_memberships__is_coordinator=True,
            is_active=True,
        )
        .distinct()
    )


def volunteer_totals(project, start=None, end=None):
    """Verified hours of each volunteer of ``project`` (or of the roles an organization
    publishes), in the period: one query."""
    return list(
        _verified(start, end)
        .filter(publisher_hours_filter(project))
        .values("user_id", "user__username", "user__first_name", "user__last_name")
        .annotate(
            total=Sum("hours"),
            entries=Count("pk"),
            first_day=Min("day"),
            last_day=Max("day"),
        )
        .order_by("user__last_name", "user__first_name", "user__username", "user_id")
    )


def certificate_token(user, total, issued):
    """The signed claim of a certificate's check link. The same certificate (person, hours, day
    of issue) always gets the same link, so the page and its PDF carry one address."""
    return signing.Signer(salt=CERTIFICATE_SALT).sign_object(
        {"u": user.pk, "h": str(total), "d": issued.isoformat()}
    )


def certificate_check(token):
    """The claim a certificate's link carries, or None when it was not issued by the portal.

    Links issued before the claim was signed without a timestamp still check."""
    try:
        claim = signing.Signer(salt=CERTIFICATE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):  # an older link's "claim:timestamp" is no JSON
        try:
            claim = signing.loads(token, salt=CERTIFICATE_SALT)
        except signing.BadSignature:
            return None
    if not isinstance(claim, dict) or not {"u", "h", "d"} <= claim.keys():
        return None
    return claim


def signups_of(user):
    return ShiftSignup.objects.filter(user=user).select_related(
        "shift__role__project", "shift__role__organization"
    )


def shift_get(shift_id):
    return (
        Shift.objects.select_related("role__project", "role__organization")
        .filter(pk=shift_id)
        .first()
    )


def _project_title(role):
    return role.project.title if role.project_id is not None else ""


def _organization_title(role):
    return role.organization.title if role.organization_id is not None else ""


def personal_data(user):
    """What the volunteer network keeps about ``user``, JSON-ready."""
    profile = VolunteerProfile.objects.filter(user=user).first()
    return {
        "profile": None
        if profile is None
        else {
            "university": profile.university,
            "studies": profile.studies,
            "skills": profile.skills,
            "languages": profile.languages,
            "availability": profile.availability,
            "sectors": [sector.name for sector in profile.sectors.all()],
            "sdgs": [goal.number for goal in profile.sdgs.all()],
            "is_minor": profile.is_minor,
            "contact_consent": profile.contact_consent,
            "consented_at": when(profile.consented_at),
            "open_to_mentoring": profile.open_to_mentoring,
            "open_to_mentoring_ventures": profile.open_to_mentoring_ventures,
        },
        "shifts": [
            {
                "role": row.shift.role.title,
                "project": _project_title(row.shift.role),
                "organization": _organization_title(row.shift.role),
                "starts_at": when(row.shift.starts_at),
            }
            for row in signups_of(user)
        ],
        "hours": [
            {
                "role": row.role.title if row.role else "",
                "project": _project_title(row.role) if row.role else row.source,
                "organization": _organization_title(row.role) if row.role else "",
                "note": row.note,
                "day": when(row.day),
                "hours": str(row.hours),
                "status": row.status,
                "reason": row.reason,
            }
            for row in hours_of(user)
        ],
        "role_applications": [
            {
                "role": row.role.title,
                "project": _project_title(row.role),
                "organization": _organization_title(row.role),
                "motivation": row.motivation,
                "status": row.status,
                "message": row.message,
                "applied_at": when(row.created_at),
                "agreement_accepted_at": when(row.agreement_accepted_at),
                "agreement": row.agreement_text,
            }
            for row in RoleApplication.objects.filter(user=user).select_related(
                "role__project", "role__organization"
            )
        ],
        "requirement_records": [
            {
                "requirement": row.requirement.name,
                "valid_until": when(row.valid_until),
                "confirmed": row.confirmed,
            }
            for row in RequirementRecord.objects.filter(user=user).select_related("requirement")
        ],
        "call_applications": [
            {
                "call": row.call.title,
                "team": row.team,
                "proposal": row.proposal,
                "status": row.status,
                "feedback": row.feedback,
                "submitted_at": when(row.created_at),
                "answers": [
                    {"question": answer.question.text, "answer": answer.text}
                    for answer in row.answers.all()
                ],
                "attachments": [
                    {
                        "file": attachment.filename,
                        "content_type": attachment.content_type,
                        "size": attachment.size,
                        "uploaded_at": when(attachment.uploaded_at),
                        "download": reverse("calls:attachment_download", args=[attachment.pk]),
                    }
                    for attachment in row.attachments.all()
                ],
            }
            for row in CallApplication.objects.filter(applicant=user)
            .select_related("call")
            .prefetch_related("answers__question", "attachments")
        ],
        "call_reviews": [
            {
                "call": row.application.call.title,
                "score": row.score,
                "comment": row.comment,
                "criterion_scores": [
                    {"criterion": item.criterion.name, "score": item.score}
                    for item in row.scores.all()
                ],
            }
            for row in CallReview.objects.filter(reviewer=user)
            .select_related("application__call")
            .prefetch_related("scores__criterion")
        ],
    }


def person_hours_with(user_id, organization_id):
    """A person's hours on the projects where the organization is an active partner or
    coordinator, and on the roles it publishes itself, newest first, with their role and its
    publisher."""
    projects = Participation.objects.filter(
        organization_id=organization_id, status=Participation.Status.ACTIVE
    ).values("project_id")
    return (
        HoursLog.objects.filter(
            Q(role__project__in=projects) | Q(role__organization_id=organization_id),
            user_id=user_id,
        )
        .select_related("role__project", "role__organization")
        .order_by("-day", "-pk")
    )


def mentor_profiles(user_ids):
    """What the volunteers among ``user_ids`` who agreed to be contacted about volunteering
    offer as mentors (skills, languages, availability, sectors), in two queries: the training
    programmes match mentors to learners with it (``training_mentor_profiles``)."""
    return {
        profile.user_id: {
            "skills": list(_terms(profile.skills).values()),
            "languages": list(_terms(profile.languages).values()),
            "availability": profile.availability,
            "sector_ids": [sector.pk for sector in profile.sectors.all()],
        }
        for profile in VolunteerProfile.objects.filter(
            user_id__in=user_ids, contact_consent=True
        ).prefetch_related("sectors")
    }


def volunteer_mentors(user_ids=None, *, ventures=False):
    """The adult volunteers open to mentoring young people (``core.volunteering``), or with
    ``ventures`` those open to mentoring social entrepreneurs, with what they offer as mentors,
    in two queries; ``user_ids`` narrows them to those people."""
    consent = "open_to_mentoring_ventures" if ventures else "open_to_mentoring"
    rows = VolunteerProfile.objects.filter(**{consent: True}, is_minor=False, user__is_active=True)
    if user_ids is not None:
        rows = rows.filter(user_id__in=user_ids)
    return {
        profile.user_id: {
            "user": profile.user,
            "skills": list(_terms(profile.skills).values()),
            "languages": list(_terms(profile.languages).values()),
            "availability": profile.availability,
            "sector_ids": [sector.pk for sector in profile.sectors.all()],
            "about": " · ".join(part for part in (profile.university, profile.studies) if part),
        }
        for profile in rows.select_related("user").prefetch_related("sectors")
    }
