"""Every write of the volunteer network.

Views, the demo and the privacy orchestration call these. Each checks who is asking
(``PermissionDenied``), validates (``ValidationError``) before changing anything and writes in
one transaction; decisions on hours are recorded on the project's audit trail and told to the
volunteer through the notification centre.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.volunteering import volunteer_left, volunteer_mentoring_withdrawn
from notifications.services import notification_create, notification_create_many

from . import audit
from .models import (
    MAX_HOURS_PER_DAY,
    Call,
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
from .selectors import (
    can_coordinate_organization_roles,
    can_coordinate_role,
    role_audit,
    role_managers,
)

PROFILE_FIELDS = (
    "university",
    "studies",
    "skills",
    "languages",
    "availability",
    "is_minor",
    "contact_consent",
    "open_to_mentoring",
    "open_to_mentoring_ventures",
)


def _require(condition, message):
    if not condition:
        raise PermissionDenied(message)


# --- Profile ----------------------------------------------------------------------------------


@transaction.atomic
def profile_save(*, user, **fields):
    """Create or update the person's volunteer profile; consent is dated when it is given.
    Who is no longer open to mentoring is heard by the apps that gave them learners
    (``volunteer_mentoring_withdrawn``), as when they leave the network."""
    _require(user.is_authenticated, _("Sign in to volunteer."))
    profile = VolunteerProfile.objects.filter(user=user).first() or VolunteerProfile(user=user)
    had_consent = profile.contact_consent
    was_mentoring = profile.pk is not None and profile.open_to_mentoring
    for name in PROFILE_FIELDS:
        if name in fields:
            setattr(profile, name, fields[name])
    if profile.contact_consent and not had_consent:
        profile.consented_at = timezone.now()
    elif not profile.contact_consent:
        profile.consented_at = None
    if profile.is_minor and profile.open_to_mentoring:
        raise ValidationError(
            {"open_to_mentoring": _("Mentors of the training programmes are adults.")}
        )
    if profile.is_minor and profile.open_to_mentoring_ventures:
        raise ValidationError(
            {"open_to_mentoring_ventures": _("Mentors of social ventures are adults.")}
        )
    profile.full_clean()
    profile.save()
    for name in ("sectors", "sdgs"):
        if name in fields:
            getattr(profile, name).set(fields[name] or ())
    if was_mentoring and not profile.open_to_mentoring:
        user_id = user.pk
        transaction.on_commit(
            lambda: volunteer_mentoring_withdrawn.send(sender=VolunteerProfile, user_id=user_id)
        )
    return profile


@transaction.atomic
def profile_withdraw(*, user):
    """The person leaves the network: their profile, places on shifts still to come and hours
    not yet verified go; verified hours stay for their certificate until the account goes.
    Apps that gave them something as a volunteer of the network hear it (``volunteer_left``):
    the learners they mentor without being on a programme's staff get no more of them."""
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is None:
        raise ValidationError(_("You have no volunteer profile."))
    ShiftSignup.objects.filter(user=user, shift__starts_at__gt=timezone.now()).delete()
    HoursLog.objects.filter(user=user, status=HoursLog.Status.PENDING).delete()
    # An agreement they signed stays, like verified hours; applications still open go.
    RoleApplication.objects.filter(user=user, agreement_accepted_at__isnull=True).delete()
    profile.delete()
    user_id = user.pk
    transaction.on_commit(lambda: volunteer_left.send(sender=VolunteerProfile, user_id=user_id))


# --- Roles and shifts ---------------------------------------------------------------------------


ROLE_FIELDS = (
    "description",
    "skills",
    "remote",
    "minors_allowed",
    "open",
    "screening",
    "agreement",
)


def _role_save(role, requirements):
    if requirements and not role.screening:
        raise ValidationError(
            {
                "screening": _(
                    "A role with requirements screens its volunteers: its coordinators record "
                    "each one's dates before their shifts."
                )
            }
        )
    role.full_clean()
    role.save()
    role.requirements.set(requirements)
    return role


@transaction.atomic
def role_create(*, user, title, project=None, organization=None, **fields):
    """Offer a role for ``project`` (by one of its coordinators) or for ``organization``
    (by one of its admins): exactly one of them publishes it."""
    if (project is None) == (organization is None):
        raise ValidationError(
            _("A role is published by a project or by an organization, not both.")
        )
    if project is not None:
        _require(
            user.is_authenticated and user.has_perm("projects.coordinate_project", project),
            _("Only the project's coordinators offer volunteer roles."),
        )
    else:
        _require(
            can_coordinate_organization_roles(user, organization),
            _("Only the organization's admins offer its volunteer roles."),
        )
    requirements = list(fields.pop("requirements", None) or ())
    role = Role(
        project=project,
        organization=organization,
        title=(title or "").strip(),
        created_by=user,
        **fields,
    )
    return _role_save(role, requirements)


@transaction.atomic
def role_update(*, user, role, title, **fields):
    """A coordinator of the role changes what it asks; who publishes it never changes.
    Volunteers already accepted keep the agreement text they accepted."""
    role = Role.objects.select_for_update().get(pk=role.pk)
    _require(can_coordinate_role(user, role), _("Only the role's coordinators change it."))
    requirements = list(fields.pop("requirements", None) or ())
    role.title = (title or "").strip()
    for name in ROLE_FIELDS:
        if name in fields:
            setattr(role, name, fields[name])
    return _role_save(role, requirements)


@transaction.atomic
def shift_create(*, user, role, starts_at, ends_at, places):
    _require(can_coordinate_role(user, role), _("Only the role's coordinators add shifts."))
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A shift ends after it starts.")})
    shift = Shift(role=role, starts_at=starts_at, ends_at=ends_at, places=places)
    shift.full_clean()
    shift.save()
    return shift


@transaction.atomic
def shift_signup(*, user, shift):
    """Take a place on a shift. The shift's row is locked while the places are counted, so two
    people asking for the last place at once get one place between them."""
    _require(user.is_authenticated, _("Sign in to volunteer."))
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is None:
        raise ValidationError(_("Fill in your volunteer profile first."))
    shift = Shift.objects.select_for_update().select_related("role").get(pk=shift.pk)
    role = shift.role
    if not role.open:
        raise ValidationError(_("This role takes no more sign-ups."))
    if profile.is_minor and not role.minors_allowed:
        raise ValidationError(_("This role is not open to volunteers under 18."))
    if shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift has already started."))
    if role.screening:
        _require_ready(user, role)
    _require_requirements(user, role, shift)
    if ShiftSignup.objects.filter(shift=shift, user=user).exists():
        raise ValidationError(_("You already have a place on this shift."))
    if ShiftSignup.objects.filter(shift=shift).count() >= shift.places:
        raise ValidationError(_("This shift is full."))
    return ShiftSignup.objects.create(shift=shift, user=user)


@transaction.atomic
def shift_cancel(*, user, shift):
    deleted, _rows = ShiftSignup.objects.filter(
        shift=shift, user=user, shift__starts_at__gt=timezone.now()
    ).delete()
    if not deleted:
        raise ValidationError(_("You have no place to give up on this shift."))


# --- Applications to roles that screen their volunteers ---------------------------------------

S = RoleApplication.Status
DECISIONS = {
    "screen": S.SCREENED,
    "accept": S.ACCEPTED,
    "waitlist": S.WAITLISTED,
    "decline": S.DECLINED,
}
# The statuses each decision may follow; accepted and declined are final.
DECIDED_FROM = {
    S.SCREENED: {S.APPLIED},
    S.ACCEPTED: {S.APPLIED, S.SCREENED, S.WAITLISTED},
    S.WAITLISTED: {S.APPLIED, S.SCREENED},
    S.DECLINED: {S.APPLIED, S.SCREENED, S.WAITLISTED},
}


def _require_ready(user, role):
    """Refuse a shift of a screening role to anyone not accepted with the agreement signed."""
    application = RoleApplication.objects.filter(role=role, user=user).first()
    if application is None:
        raise ValidationError(_("Apply to this role first: its volunteers are screened."))
    if application.status in (S.APPLIED, S.SCREENED):
        raise ValidationError(_("Your application to this role waits for the coordinators."))
    if application.status == S.WAITLISTED:
        raise ValidationError(_("You are on this role's waiting list."))
    if application.status == S.DECLINED:
        raise ValidationError(_("Your application to this role was declined."))
    if application.agreement_accepted_at is None:
        raise ValidationError(_("Accept the volunteer agreement before taking a shift."))


def _require_requirements(user, role, shift):
    """Refuse a shift to anyone whose requirements are missing, or not valid on its last day."""
    requirements = list(role.requirements.all())
    if not requirements:
        return
    records = {
        record.requirement_id: record
        for record in RequirementRecord.objects.filter(user=user, requirement__in=requirements)
    }
    last_day = timezone.localtime(shift.ends_at).date()
    for requirement in requirements:
        record = records.get(requirement.pk)
        if record is None:
            raise ValidationError(
                _(
                    "This shift needs “%(requirement)s”: show it to the role's coordinators so "
                    "they record it."
                )
                % {"requirement": requirement.name}
            )
        if record.valid_until < timezone.localdate():
            raise ValidationError(
                _(
                    "Your “%(requirement)s” expired on %(date)s: renew it and show the new one "
                    "to the role's coordinators."
                )
                % {"requirement": requirement.name, "date": date_format(record.valid_until)}
            )
        if record.valid_until < last_day:
            raise ValidationError(
                _(
                    "Your “%(requirement)s” expires on %(date)s, before this shift ends: renew "
                    "it first."
                )
                % {"requirement": requirement.name, "date": date_format(record.valid_until)}
            )
        if not record.confirmed:
            raise ValidationError(
                _(
                    "The date you entered for “%(requirement)s” waits for the coordinators' "
                    "confirmation: show them the document."
                )
                % {"requirement": requirement.name}
            )


@transaction.atomic
def requirement_record(*, user, application, requirement, valid_until):
    """A coordinator of a role records until when its applicant holds one of the role's
    requirements (having seen the document; its content is never stored). Recording again
    replaces the date."""
    role = application.role
    _require(
        can_coordinate_role(user, role),
        _("Only the role's coordinators record its volunteers' requirements."),
    )
    if not role.requirements.filter(pk=requirement.pk).exists():
        raise ValidationError({"requirement": _("This role does not ask for it.")})
    if valid_until is None or valid_until < timezone.localdate():
        raise ValidationError(
            {"valid_until": _("This date has passed: record a requirement still valid.")}
        )
    record, _created = RequirementRecord.objects.update_or_create(
        user=application.user,
        requirement=requirement,
        defaults={
            "valid_until": valid_until,
            "recorded_by": user,
            "confirmed_by": user,
            "confirmed_at": timezone.now(),
        },
    )
    return record


@transaction.atomic
def requirement_claim(*, user, role, requirement, valid_until):
    """A volunteer enters until when they hold one of the role's requirements; it counts once
    a coordinator of the role has seen the document and confirms it. Entering the date a
    confirmed record already has changes nothing."""
    _require(user.is_authenticated, _("Sign in to volunteer."))
    if not VolunteerProfile.objects.filter(user=user).exists():
        raise ValidationError(_("Fill in your volunteer profile first."))
    if not role.requirements.filter(pk=requirement.pk).exists():
        raise ValidationError({"requirement": _("This role does not ask for it.")})
    if valid_until is None or valid_until < timezone.localdate():
        raise ValidationError(
            {"valid_until": _("This date has passed: enter a requirement still valid.")}
        )
    record = (
        RequirementRecord.objects.select_for_update()
        .filter(user=user, requirement=requirement)
        .first()
    )
    if record is not None and record.confirmed and record.valid_until == valid_until:
        return record
    record, _created = RequirementRecord.objects.update_or_create(
        user=user,
        requirement=requirement,
        defaults={
            "valid_until": valid_until,
            "recorded_by": user,
            "confirmed_by": None,
            "confirmed_at": None,
        },
    )
    return record


@transaction.atomic
def requirement_confirm(*, user, application, requirement):
    """A coordinator of the role confirms the date its applicant entered, having seen the
    document."""
    role = application.role
    _require(
        can_coordinate_role(user, role),
        _("Only the role's coordinators confirm its volunteers' requirements."),
    )
    if application.user_id == user.pk:
        raise PermissionDenied(_("Nobody confirms their own requirements."))
    if not role.requirements.filter(pk=requirement.pk).exists():
        raise ValidationError({"requirement": _("This role does not ask for it.")})
    record = (
        RequirementRecord.objects.select_for_update()
        .filter(user=application.user, requirement=requirement)
        .first()
    )
    if record is None or record.confirmed:
        raise ValidationError(_("There is no date waiting for confirmation."))
    if record.valid_until < timezone.localdate():
        raise ValidationError(_("This date has passed: it cannot be confirmed."))
    record.confirmed_by = user
    record.confirmed_at = timezone.now()
    record.save(update_fields=["confirmed_by", "confirmed_at"])
    return record


@transaction.atomic
def role_apply(*, user, role, motivation=""):
    """A volunteer applies to a role that screens its volunteers."""
    _require(user.is_authenticated, _("Sign in to volunteer."))
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is None:
        raise ValidationError(_("Fill in your volunteer profile first."))
    if not role.screening:
        raise ValidationError(_("This role needs no application: take a place on a shift."))
    if not role.open:
        raise ValidationError(_("This role takes no more applications."))
    if profile.is_minor and not role.minors_allowed:
        raise ValidationError(_("This role is not open to volunteers under 18."))
    if RoleApplication.objects.filter(role=role, user=user).exists():
        raise ValidationError(_("You applied to this role already."))
    application = RoleApplication(role=role, user=user, motivation=(motivation or "").strip())
    application.full_clean()
    application.save()
    name = user.get_full_name() or user.get_username()

    def render():
        return _("%(name)s applied to “%(role)s”") % {"name": name, "role": role.title}, ""

    notification_create_many(
        users=[person for person in role_managers(role) if person.pk != user.pk],
        kind="volunteers.new_application",
        render=render,
        url=reverse("volunteers:role_applications", args=[role.pk])
        + f"#application-{application.pk}",
        about=role.publisher,
    )
    return application


@transaction.atomic
def application_decide(*, user, application, decision, message=""):
    """A coordinator of the role's project screens, accepts, waitlists or declines (with a
    message) an application; the volunteer is told through the notification centre."""
    application = (
        RoleApplication.objects.select_for_update(of=("self",))
        .select_related("role__project", "role__organization", "user")
        .get(pk=application.pk)
    )
    _require(
        can_coordinate_role(user, application.role),
        _("Only the role's coordinators decide on its volunteers."),
    )
    if application.user_id == user.pk:
        raise PermissionDenied(_("Nobody decides on their own application."))
    status = DECISIONS.get(decision)
    if status is None:
        raise ValidationError(_("Unknown decision."))
    if application.status not in DECIDED_FROM[status]:
        raise ValidationError(
            _("This application is “%(status)s”: it cannot be changed that way.")
            % {"status": application.get_status_display()}
        )
    message = (message or "").strip()
    if status == S.DECLINED and not message:
        raise ValidationError({"message": _("Say why the application is declined.")})
    application.status = status
    application.message = message
    application.decided_by = user
    application.decided_at = timezone.now()
    application.full_clean()
    application.save()
    role = application.role
    role_audit(
        role,
        audit.APPLICATION_DECIDED,
        user=user,
        person=application.user,
        role=status,
        detail=role.title,
    )
    texts = {
        S.SCREENED: lambda: _("Your application to “%(role)s” is being screened"),
        S.ACCEPTED: lambda: _(
            "You are accepted as “%(role)s”: accept the volunteer agreement to take shifts"
        ),
        S.WAITLISTED: lambda: _("You are on the waiting list for “%(role)s”"),
        S.DECLINED: lambda: _("Your application to “%(role)s” was declined"),
    }

    def render():
        return texts[status]() % {"role": role.title}, message

    notification_create(
        user=application.user,
        kind="volunteers.application",
        render=render,
        url=reverse("volunteers:role_detail", args=[role.pk]),
    )
    return application


@transaction.atomic
def agreement_accept(*, user, application, accept):
    """The accepted volunteer accepts the role's agreement; the text they accepted is kept."""
    application = (
        RoleApplication.objects.select_for_update(of=("self",))
        .select_related("role__project", "role__organization")
        .get(pk=application.pk)
    )
    _require(
        user.is_authenticated and application.user_id == user.pk,
        _("Only the volunteer accepts their agreement."),
    )
    if application.status != S.ACCEPTED:
        raise ValidationError(_("Your application is not accepted: there is nothing to sign."))
    if application.agreement_accepted_at is not None:
        raise ValidationError(_("You accepted this agreement already."))
    if not accept:
        raise ValidationError({"accept": _("Tick the box to accept the agreement.")})
    application.agreement_text = application.role.agreement
    application.agreement_accepted_at = timezone.now()
    application.full_clean()
    application.save()
    role_audit(
        application.role,
        audit.AGREEMENT_ACCEPTED,
        user=user,
        person=user,
        detail=application.role.title,
    )
    return application


# --- Hours --------------------------------------------------------------------------------------


@transaction.atomic
def hours_log(*, user, role, day, hours, note=""):
    """A volunteer logs their own hours on a role where they held a place."""
    _require(user.is_authenticated, _("Sign in to log hours."))
    if not ShiftSignup.objects.filter(user=user, shift__role=role).exists():
        raise ValidationError({"role": _("Log hours only on roles where you took a shift.")})
    if day and day > timezone.localdate():
        raise ValidationError({"day": _("Hours cannot be logged for a day still to come.")})
    entry = HoursLog(user=user, role=role, day=day, hours=hours, note=(note or "").strip())
    entry.full_clean()
    entry.save()
    return entry


# --- Time given elsewhere (``core.volunteering``) ----------------------------------------------


def _given_hours(minutes):
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


@transaction.atomic
def hours_record_given(given):
    """Record time a volunteer gave elsewhere in the portal (a mentor's check-in) as verified
    hours, or bring the line recorded under the same key up to date. Only a person with a
    volunteer profile has a ledger: for anyone else nothing is recorded (returns False); a line
    recorded before they left the network is still brought up to date."""
    if (
        not VolunteerProfile.objects.filter(user_id=given.user_id).exists()
        and not HoursLog.objects.filter(source_key=given.key[:80]).exists()
    ):
        return False
    hours = _given_hours(given.minutes)
    if not (0 < hours <= MAX_HOURS_PER_DAY) or not given.key:
        raise ValidationError(_("The time given is not a number of hours of one day."))
    HoursLog.objects.update_or_create(
        source_key=given.key[:80],
        defaults={
            "user_id": given.user_id,
            "role": None,
            "source": given.source[:200],
            "day": given.day,
            "hours": hours,
            "note": given.note[:500],
            "status": HoursLog.Status.VERIFIED,
            "reason": "",
            "decided_by": None,
            "decided_at": timezone.now(),
        },
    )
    return True


def hours_withdraw_given(key):
    """The row the time came from is gone (a check-in deleted): its line goes too."""
    if key:
        HoursLog.objects.filter(source_key=key[:80]).delete()


@transaction.atomic
def hours_decide(*, user, entry, verify, reason=""):
    """A coordinator of the role's project verifies the hours (locked from then on) or rejects
    them with a reason the volunteer reads."""
    entry = (
        HoursLog.objects.select_for_update(of=("self",))
        .select_related("role__project", "role__organization", "user")
        .get(pk=entry.pk)
    )
    _require(
        entry.role is not None and can_coordinate_role(user, entry.role),
        _("Only the role's coordinators verify its volunteers' hours."),
    )
    if entry.user_id == user.pk:
        raise PermissionDenied(_("Nobody verifies their own hours."))
    if entry.status != HoursLog.Status.PENDING:
        raise ValidationError(_("These hours were decided already."))
    reason = (reason or "").strip()
    if not verify and not reason:
        raise ValidationError({"reason": _("Say why the hours are rejected.")})
    entry.status = HoursLog.Status.VERIFIED if verify else HoursLog.Status.REJECTED
    entry.reason = reason
    entry.decided_by = user
    entry.decided_at = timezone.now()
    entry.full_clean()
    entry.save()
    # The project, or the organization that publishes the role itself.
    project = entry.role.publisher
    role_audit(
        entry.role,
        audit.VERIFIED if verify else audit.REJECTED,
        user=user,
        person=entry.user,
        hours=str(entry.hours),
        detail=str(entry.hours),
    )

    def render():
        if verify:
            return _("%(hours)s h verified for %(project)s") % {
                "hours": entry.hours,
                "project": project.title,
            }, ""
        return _("%(hours)s h rejected for %(project)s") % {
            "hours": entry.hours,
            "project": project.title,
        }, reason

    notification_create(
        user=entry.user,
        kind="volunteers.hours_verified" if verify else "volunteers.hours_rejected",
        render=render,
        url=reverse("volunteers:hours_mine"),
        about=project,
    )
    return entry


# --- Personal data ----------------------------------------------------------------------------


def personal_data_forget(user, context):
    """Account deletion: the profile, places, hours, call applications and reviews go (hours
    counted into an impact map stay there as figures); decisions they made keep no name."""
    ShiftSignup.objects.filter(user=user).delete()
    HoursLog.objects.filter(user=user).delete()
    HoursLog.objects.filter(decided_by=user).update(decided_by=None)
    RoleApplication.objects.filter(user=user).delete()
    RequirementRecord.objects.filter(user=user).delete()
    RequirementRecord.objects.filter(recorded_by=user).update(recorded_by=None)
    RequirementRecord.objects.filter(confirmed_by=user).update(confirmed_by=None)
    RoleApplication.objects.filter(decided_by=user).update(decided_by=None)
    Role.objects.filter(created_by=user).update(created_by=None)
    VolunteerProfile.objects.filter(user=user).delete()
    CallReview.objects.filter(reviewer=user).delete()
    CallApplication.objects.filter(applicant=user).delete()
    Call.objects.filter(created_by=user).update(created_by=None)
