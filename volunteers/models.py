"""The university volunteer network: volunteers, the roles and shifts projects and partner
organizations offer them, and the hours they give, verified by the role's coordinators.

A role is published by a project or by an organization, never both. Who coordinates a
project's role is who coordinates its project (the ``projects.coordinate_project`` object
permission, granted by ``projects``); an organization's role is coordinated by the
organization's admins, as its calls are. This app grants nothing of its own. Places on a
shift are decided by the database: a sign-up locks its shift row (``select_for_update``) and
counts, and a person holds at most one place per shift (a unique constraint).
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_HOURS_PER_DAY = Decimal("24")


class VolunteerProfile(models.Model):
    """A person who volunteers (never an organization): their studies, skills and consent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile"
    )
    university = models.CharField(_("university"), max_length=200, blank=True)
    studies = models.CharField(_("studies"), max_length=200, blank=True)
    skills = models.CharField(_("skills"), max_length=500, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    sectors = models.ManyToManyField(
        "taxonomy.Sector",
        verbose_name=_("sectors you care about"),
        blank=True,
        related_name="+",
    )
    sdgs = models.ManyToManyField(
        "taxonomy.SustainableDevelopmentGoal",
        verbose_name=_("SDGs you care about"),
        blank=True,
        related_name="+",
    )
    is_minor = models.BooleanField(
        _("I am under 18"),
        default=False,
        help_text=_("Minors sign up only for roles open to them."),
    )
    contact_consent = models.BooleanField(
        _("projects may contact me about volunteering"), default=False
    )
    open_to_mentoring = models.BooleanField(
        _("open to mentoring young people"),
        default=False,
        help_text=_(
            "The coordinators of the training programmes for young people at risk see your "
            "name, university, studies, skills, languages and availability, and may choose "
            "you as a learner's mentor. The time of your check-ins counts as volunteer hours."
        ),
    )
    # A consent of its own: other people see the profile, for another purpose.
    open_to_mentoring_ventures = models.BooleanField(
        _("open to mentoring social entrepreneurs"),
        default=False,
        help_text=_(
            "The managers of the calls for social entrepreneurship see your name, university "
            "and studies, and may choose you as the mentor of a venture they accepted. The "
            "time of your check-ins counts as volunteer hours."
        ),
    )
    consented_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")

    def __str__(self):
        return str(self.user)


class Requirement(models.Model):
    """Something a role may ask its volunteers to hold, with an expiry date: a training, or
    the certificate Spanish law asks of volunteers who work with minors. The portal records
    only until when a volunteer holds it, never the document. Editors keep the list."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("volunteer requirement")
        verbose_name_plural = _("volunteer requirements")

    def __str__(self):
        return self.name


class RequirementRecord(models.Model):
    """Until when a volunteer holds a requirement (one record per person and requirement:
    recording again replaces the date). A coordinator who saw the document records it
    confirmed; a date the volunteer enters counts once a coordinator confirms it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="requirement_records"
    )
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="records")
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "requirement"], name="volunteers_one_record_per_requirement"
            )
        ]
        verbose_name = _("requirement record")
        verbose_name_plural = _("requirement records")

    def __str__(self):
        return f"{self.user}: {self.requirement} until {self.valid_until}"

    @property
    def confirmed(self):
        return self.confirmed_at is not None


class Role(models.Model):
    """What a project or a partner organization (its publisher) asks volunteers to do: a role
    with its shifts."""

    project = models.ForeignKey(
        "projects.ProjectPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="volunteer_roles",
    )
    organization = models.ForeignKey(
        "partners.PartnerPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="volunteer_roles",
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=3000, blank=True)
    skills = models.CharField(_("skills wanted"), max_length=300, blank=True)
    remote = models.BooleanField(_("remote"), default=False)
    minors_allowed = models.BooleanField(_("open to minors"), default=False)
    open = models.BooleanField(_("open to sign-ups"), default=True)
    screening = models.BooleanField(
        _("volunteers apply first"),
        default=False,
        help_text=_(
            "Volunteers apply, the coordinators screen and accept them, and each accepts the "
            "volunteer agreement before taking a shift."
        ),
    )
    agreement = models.TextField(
        _("volunteer agreement"),
        max_length=10000,
        blank=True,
        help_text=_(
            "What the volunteer agrees to (the activity, its time and place, rights and "
            "duties, insurance, how it ends): volunteering law asks for it in writing."
        ),
    )
    requirements = models.ManyToManyField(
        Requirement,
        verbose_name=_("requirements"),
        blank=True,
        related_name="roles",
        help_text=_(
            "What volunteers must hold, still valid on the day of each shift. A role with "
            "requirements screens its volunteers: the coordinators record each one's dates."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["project", "open"]),
            models.Index(fields=["organization", "open"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, organization__isnull=True)
                | Q(project__isnull=True, organization__isnull=False),
                name="volunteers_role_one_publisher",
                violation_error_message=_(
                    "A role is published by a project or by an organization, not both."
                ),
            )
        ]
        verbose_name = _("volunteer role")
        verbose_name_plural = _("volunteer roles")

    def __str__(self):
        return self.title

    @property
    def publisher(self):
        """The project or the organization that offers the role (a page either way)."""
        return self.project if self.project_id is not None else self.organization

    def clean(self):
        super().clean()
        if self.screening and not self.agreement.strip():
            raise ValidationError(
                {"agreement": _("Write the agreement volunteers accept before their shifts.")}
            )


class RoleApplication(models.Model):
    """A volunteer's application to a role that screens its volunteers.

    applied → screened → accepted, waitlisted or declined (a decline says why); a waitlisted
    application may be accepted or declined later. Once accepted, the volunteer accepts the
    role's agreement in the portal: the text they accepted is kept as it was, with the time.
    Only then do they take shifts of the role.
    """

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        SCREENED = "screened", _("Being screened")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("On the waiting list")
        DECLINED = "declined", _("Declined")

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_applications"
    )
    motivation = models.TextField(_("why you want to help"), max_length=3000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    message = models.TextField(_("message to the volunteer"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    agreement_text = models.TextField(_("agreement accepted"), blank=True)
    agreement_accepted_at = models.DateTimeField(_("agreement accepted on"), null=True, blank=True)
    created_at = models.DateTimeField(_("applied"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["role", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "user"], name="volunteers_one_role_application"
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(message=""),
                name="volunteers_decline_has_message",
            ),
            models.CheckConstraint(
                condition=Q(agreement_accepted_at__isnull=True) | Q(status="accepted"),
                name="volunteers_agreement_only_when_accepted",
            ),
        ]
        verbose_name = _("role application")
        verbose_name_plural = _("role applications")

    def __str__(self):
        return f"{self.user} → {self.role}"

    @property
    def ready(self):
        """Accepted, with the agreement accepted: the volunteer takes shifts."""
        return self.status == self.Status.ACCEPTED and self.agreement_accepted_at is not None


class Shift(models.Model):
    """A time slot of a role with a fixed number of places."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    places = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="volunteers_shift_ends_after",
                violation_error_message=_("A shift ends after it starts."),
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="volunteers_shift_has_places"),
        ]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")

    def __str__(self):
        return f"{self.role} {self.starts_at:%Y-%m-%d %H:%M}"


class ShiftSignup(models.Model):
    """A volunteer's place on a shift."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_signups"
    )
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shift", "user"], name="volunteers_one_place_each")
        ]
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")

    def __str__(self):
        return f"{self.user} on {self.shift}"


class HoursLog(models.Model):
    """Hours a volunteer says they gave to a role; a coordinator verifies or rejects them.

    Verified hours are locked: nothing changes them any more. Time given elsewhere in the
    portal that counts as volunteering (a mentor's check-ins in a training programme) comes
    through ``core.volunteering`` with no role: its ``source`` says where it was given and
    its ``source_key`` names the row it came from, which alone may update or remove it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_hours"
    )
    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, null=True, blank=True, related_name="hours"
    )
    source = models.CharField(_("given through"), max_length=200, blank=True)
    source_key = models.CharField(max_length=80, blank=True, editable=False)
    day = models.DateField(_("day"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal("0.25"), message=_("Log at least a quarter of an hour.")),
            MaxValueValidator(MAX_HOURS_PER_DAY, message=_("A day has at most 24 hours.")),
        ],
    )
    note = models.CharField(_("what you did"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        ordering = ["-day", "-pk"]
        indexes = [
            models.Index(fields=["role", "status"]),
            models.Index(fields=["user", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=MAX_HOURS_PER_DAY),
                name="volunteers_hours_in_a_day",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="volunteers_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(role__isnull=False) | ~Q(source_key=""),
                name="volunteers_hours_have_a_role_or_source",
            ),
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~Q(source_key=""),
                name="volunteers_hours_one_per_source",
            ),
        ]
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")

    def __str__(self):
        return f"{self.user}: {self.hours} h on {self.day}"


class Call(models.Model):
    """A call for social entrepreneurship, opened by an organization (or the cluster's editors):
    a challenge, who may apply and until when."""

    title = models.CharField(_("title"), max_length=200)
    challenge = models.TextField(_("challenge"), max_length=5000)
    eligibility = models.TextField(_("who may apply"), max_length=2000, blank=True)
    deadline = models.DateField(_("deadline"))
    organization = models.ForeignKey(
        "partners.PartnerPage",
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="entrepreneurship_calls",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("entrepreneurship call")
        verbose_name_plural = _("entrepreneurship calls")

    def __str__(self):
        return self.title


class CallApplication(models.Model):
    """A venture's application to a call: its team and proposal, and the decision."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_applications"
    )
    team = models.CharField(_("team"), max_length=500)
    proposal = models.TextField(_("proposal"), max_length=10000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    feedback = models.TextField(_("feedback"), max_length=3000, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "applicant"], name="volunteers_one_application"
            )
        ]
        verbose_name = _("call application")
        verbose_name_plural = _("call applications")

    def __str__(self):
        return f"{self.applicant} → {self.call}"


def attachment_path(instance, filename):
    """A random stored name under ``documents/``, which the web server never serves itself
    (deploy/nginx): the file goes out only through the permission-checked download."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/calls/{secrets.token_hex(16)}.{extension}"


class CallAttachment(models.Model):
    """A file an applicant attached to their application (a PDF or an office document), for
    the call's managers, the application's reviewers and the applicant only. Its stored file
    is removed once the row is deleted (``volunteers.receivers``)."""

    application = models.ForeignKey(
        CallApplication, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("application attachment")
        verbose_name_plural = _("application attachments")

    def __str__(self):
        return self.filename


class CallReview(models.Model):
    """A reviewer assigned to one application, and their score once given. Reviewers see only
    the applications they are assigned."""

    application = models.ForeignKey(
        CallApplication, on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_reviews"
    )
    score = models.PositiveSmallIntegerField(
        _("score (1 to 5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), max_length=3000, blank=True)
    submitted_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="volunteers_one_review_each"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="volunteers_review_score_range",
            ),
        ]
        verbose_name = _("call review")
        verbose_name_plural = _("call reviews")


class CallQuestion(models.Model):
    """A question of a call's application form, answered by every application (in order)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=300)
    required = models.BooleanField(_("required"), default=True)
    max_length = models.PositiveSmallIntegerField(
        _("longest answer (characters)"),
        default=1000,
        validators=[MinValueValidator(1), MaxValueValidator(5000)],
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("call question")
        verbose_name_plural = _("call questions")

    def __str__(self):
        return self.text


class CallAnswer(models.Model):
    """An application's answer to one of its call's questions."""

    application = models.ForeignKey(
        CallApplication, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(CallQuestion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"), max_length=5000, blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"], name="volunteers_one_answer_each"
            )
        ]
        verbose_name = _("call answer")
        verbose_name_plural = _("call answers")

    def __str__(self):
        return f"{self.question}: {self.text[:40]}"


class CallCriterion(models.Model):
    """A criterion of a call's weighted scoring rubric: reviewers score each from 1 to 5."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    guidance = models.CharField(_("guidance for reviewers"), max_length=500, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1), name="volunteers_criterion_weight_positive"
            )
        ]
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")

    def __str__(self):
        return self.name


class CriterionScore(models.Model):
    """A reviewer's score (1 to 5) for one criterion of the call's rubric."""

    review = models.ForeignKey(CallReview, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(CallCriterion, on_delete=models.CASCADE, related_name="scores")
    score = models.PositiveSmallIntegerField(
        _("score (1 to 5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="volunteers_one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="volunteers_criterion_score_range"
            ),
        ]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class VentureMentor(models.Model):
    """A mentor the call's managers gave an accepted venture: a person of the organization that
    opened the call, or a network volunteer open to mentoring."""

    application = models.ForeignKey(
        CallApplication, on_delete=models.CASCADE, related_name="mentors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ventures_mentored"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "user"], name="volunteers_one_mentor_seat_each"
            )
        ]
        verbose_name = _("venture mentor")
        verbose_name_plural = _("venture mentors")

    def __str__(self):
        return f"{self.user} mentors {self.application}"


class VentureMilestone(models.Model):
    """A milestone the call's managers set an accepted venture, due on a day; the venture's
    team or its mentors mark it done, with a note."""

    application = models.ForeignKey(
        CallApplication, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    done = models.BooleanField(_("done"), default=False)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(_("marked done"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["done", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(done=False) | Q(done_at__isnull=False),
                name="volunteers_milestone_done_has_time",
            )
        ]
        verbose_name = _("venture milestone")
        verbose_name_plural = _("venture milestones")

    def __str__(self):
        return self.title


class VentureCheckin(models.Model):
    """A mentor's meeting with the venture's team; its minutes count as the mentor's verified
    volunteer hours (``HoursLog`` under the key ``volunteers.venture_checkin:<id>``)."""

    application = models.ForeignKey(
        CallApplication, on_delete=models.CASCADE, related_name="checkins"
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="venture_checkins"
    )
    held_on = models.DateField(_("held on"))
    minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("venture check-in")
        verbose_name_plural = _("venture check-ins")

    def __str__(self):
        return f"{self.mentor} {self.held_on}"
