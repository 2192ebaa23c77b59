"""Technology training for young people at risk of exclusion, run by a project's team.

A ``Programme`` belongs to a project; the project's partner organizations take a role in it
(social entity, company, university) and some of its team members are the programme's staff
(coordinators, trainers, mentors). A programme runs ``Cohort``s of ``Session``s. Learners are
minors or young adults: a ``Learner`` row keeps as little as possible (a pseudonymous code, an
alias, a birth year, guardian consent, a coarse eligibility category with its legal basis and
who referred them) and only the programme's staff ever read it.

Who may do what is one module, ``training.permissions``; every write is in
``training.services``.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

ADULT_AGE = 18


class Programme(models.Model):
    """A training programme of a project, with its completion rule and early-warning rule."""

    project = models.ForeignKey(
        "projects.ProjectPage", on_delete=models.CASCADE, related_name="training_programmes"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    completion_threshold = models.PositiveSmallIntegerField(
        _("attendance needed to complete (%)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    absence_alert = models.PositiveSmallIntegerField(
        _("warn after this many absences in a row"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        permissions = [
            ("view_learners", _("Can read the programme's learners and their attendance")),
            ("take_attendance", _("Can record attendance in the programme's sessions")),
            ("manage_programme", _("Can run the programme: cohorts, learners, mentors")),
        ]

    def __str__(self):
        return self.title


class ProgrammeUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Programme, on_delete=models.CASCADE)


class ProgrammeGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Programme, on_delete=models.CASCADE)


class ProgrammePartner(models.Model):
    """The part one of the project's partner organizations plays in the programme."""

    class Role(models.TextChoices):
        ENTITY = "entity", _("Social entity")
        COMPANY = "company", _("Company")
        UNIVERSITY = "university", _("University")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    contribution = models.CharField(_("contribution"), max_length=200, blank=True)

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organization"], name="training_partner_once"
            )
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_role_display()})"


class StaffMember(models.Model):
    """A member of the project's team working in the programme. Being one is what lets a
    person read learners' data (``training.permissions``)."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        TRAINER = "trainer", _("Trainer")
        MENTOR = "mentor", _("Mentor")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_roles"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "user"], name="training_staff_once")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class Cohort(models.Model):
    """A group of learners following the programme together, with a fixed number of places."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="training_cohort_dates"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A cohort cannot end before it starts.")})


class Session(models.Model):
    """One class of a cohort: when, where, with which trainer, on what."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(600)],
    )
    topic = models.CharField(_("topic"), max_length=200)
    room = models.CharField(_("room"), max_length=120, blank=True)
    # A room booked through the shared resources, as it was when chosen (``session_links``).
    room_booking = models.CharField(max_length=80, blank=True)
    room_url = models.CharField(max_length=300, blank=True)
    # The shared room the session booked itself (``session_links``), blank when the booking is
    # only linked: the session cancels its own booking when it moves or leaves the room.
    booked_room = models.CharField(max_length=80, blank=True)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trainer"),
    )

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.topic} ({self.starts_at:%Y-%m-%d})"


class SessionMaterial(models.Model):
    """A document of the project or an item of the knowledge base handed out in a session,
    named and linked as it was when chosen."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    key = models.CharField(max_length=80)
    title = models.CharField(_("title"), max_length=200)
    url = models.CharField(max_length=300)
    source = models.CharField(_("from"), max_length=100, blank=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "key"], name="training_material_once")
        ]

    def __str__(self):
        return self.title


def learner_code():
    return "L-" + secrets.token_hex(4).upper()


class Learner(models.Model):
    """A young person in the programme, with the least data that lets the team work with
    them: no name beyond an alias, no contact details, no documents."""

    class Eligibility(models.TextChoices):
        NEET = "neet", _("Not in education, employment or training")
        EARLY_LEAVER = "early_leaver", _("Left school early")
        NEWCOMER = "newcomer", _("Recently arrived")
        DISABILITY = "disability", _("Disability")
        OTHER = "other", _("Other risk of exclusion")

    class LegalBasis(models.TextChoices):
        CONSENT = "consent", _("Consent (of the guardian for a minor)")
        PUBLIC_TASK = "public_task", _("Public interest task (referral by social services)")

    class Referral(models.TextChoices):
        SOCIAL_SERVICES = "social_services", _("Social services")
        ENTITY = "entity", _("A social entity")
        SCHOOL = "school", _("A school")
        SELF = "self", _("Came by themselves")

    class Availability(models.TextChoices):
        MORNINGS = "mornings", _("Mornings")
        AFTERNOONS = "afternoons", _("Afternoons")
        EVENINGS = "evenings", _("Evenings")
        WEEKENDS = "weekends", _("Weekends")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="learners")
    code = models.CharField(_("code"), max_length=12, default=learner_code, editable=False)
    alias = models.CharField(
        _("alias"), max_length=60, help_text=_("A first name or nickname, nothing more.")
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    guardian_consent = models.BooleanField(_("guardian's consent received"), default=False)
    eligibility = models.CharField(_("eligibility"), max_length=20, choices=Eligibility.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    referral = models.CharField(_("referred by"), max_length=20, choices=Referral.choices)
    # What a mentor is matched on (``training.matching``): coarse, and all optional.
    interests = models.CharField(
        _("interests"),
        max_length=200,
        blank=True,
        help_text=_("What they would like to learn or work in, separated by commas."),
    )
    languages = models.CharField(
        _("languages"),
        max_length=100,
        blank=True,
        help_text=_("The languages they speak, separated by commas."),
    )
    availability = models.CharField(
        _("free for mentoring"), max_length=12, choices=Availability.choices, blank=True
    )
    sectors = models.ManyToManyField(
        "taxonomy.Sector", verbose_name=_("sectors of interest"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="training_learner_code")
        ]

    def __str__(self):
        return f"{self.code} {self.alias}"

    @property
    def is_minor(self):
        # A birth year only: count them a minor until the year they turn 18 is over.
        return timezone.localdate().year - self.birth_year <= ADULT_AGE

    def clean(self):
        this_year = timezone.localdate().year
        if self.birth_year and not (this_year - 35 <= self.birth_year <= this_year - 12):
            raise ValidationError({"birth_year": _("Learners are between 12 and 35 years old.")})
        if self.birth_year and self.is_minor and not self.guardian_consent:
            raise ValidationError(
                {"guardian_consent": _("A minor takes part only with their guardian's consent.")}
            )


class Enrolment(models.Model):
    """A learner's way through one cohort: referred → interviewed → enrolled → active →
    completed, or dropped with a reason. From enrolled on it holds one of the cohort's
    places."""

    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        INTERVIEWED = "interviewed", _("Interviewed")
        ENROLLED = "enrolled", _("Enrolled")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        DROPPED = "dropped", _("Dropped")

    PLACE_HOLDING = ("enrolled", "active", "completed")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REFERRED
    )
    drop_reason = models.CharField(_("reason for dropping out"), max_length=200, blank=True)
    at_risk_since = models.DateTimeField(_("warned at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["learner__code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "learner"], name="training_enrolment_once")
        ]

    def __str__(self):
        return f"{self.learner} in {self.cohort}"

    @property
    def holds_place(self):
        return self.status in self.PLACE_HOLDING


class Attendance(models.Model):
    """Whether an enrolled learner came to a session, as the trainer recorded it."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    ATTENDED = ("present", "late")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="training_attendance_once"
            )
        ]

    def __str__(self):
        return f"{self.enrolment.learner_id} {self.session_id}: {self.status}"


class AttendanceSheet(models.Model):
    """One sending of a session's attendance sheet, named by the id its page gave it. A sheet
    queued on a phone while offline may reach the server more than once (a retry after a
    lost answer, a second tab): the marks it carries are stored the first time only."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="sheets")
    client_id = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "client_id"], name="training_attendance_sheet_once"
            )
        ]

    def __str__(self):
        return f"{self.session_id}: {self.client_id}"


class Mentorship(models.Model):
    """A mentor from the programme's staff paired with a learner. A learner has at most one
    mentor at a time."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="mentorships")
    # Kept when the mentor's account goes: the learner's history with the programme stays.
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="training_mentorships",
    )
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="mentorships")
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["learner__code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner"],
                condition=Q(ended_on__isnull=True),
                name="training_one_current_mentor",
            )
        ]

    def __str__(self):
        return f"{self.mentor} → {self.learner}"


class Goal(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.title


class CheckIn(models.Model):
    """A meeting of mentor and mentee; its minutes count as the mentor's volunteer time."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="checkins")
    held_on = models.DateField(_("held on"))
    minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.mentorship_id} {self.held_on}"


def certificate_number():
    return secrets.token_hex(5).upper()


class Certificate(models.Model):
    """A certificate of completion of a cohort, printable from its page."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="certificate"
    )
    number = models.CharField(_("number"), max_length=12, unique=True, default=certificate_number)
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self):
        return self.number


class SkillLevel(models.Model):
    """A learner's digital-skill level in one DigComp area, at the start and at the end of a
    cohort (DigComp 2.2 proficiency levels 1 to 8)."""

    class Area(models.TextChoices):
        INFORMATION = "information", _("Information and data literacy")
        COMMUNICATION = "communication", _("Communication and collaboration")
        CONTENT = "content", _("Digital content creation")
        SAFETY = "safety", _("Safety")
        PROBLEM_SOLVING = "problem_solving", _("Problem solving")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="skills")
    area = models.CharField(_("DigComp area"), max_length=20, choices=Area.choices)
    before = models.PositiveSmallIntegerField(
        _("level before"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    after = models.PositiveSmallIntegerField(
        _("level after"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )

    class Meta:
        ordering = ["area"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "area"], name="training_skill_once")
        ]

    def __str__(self):
        return f"{self.area}: {self.before} → {self.after or '?'}"


class FollowUp(models.Model):
    """What became of a learner 3, 6 or 12 months after their cohort ended."""

    class Situation(models.TextChoices):
        WORKING = "working", _("Working")
        STUDYING = "studying", _("In further study or training")
        SEEKING = "seeking", _("Looking for work")
        OTHER = "other", _("Other")
        UNREACHABLE = "unreachable", _("Could not be reached")

    MONTHS = [(3, _("3 months")), (6, _("6 months")), (12, _("12 months"))]

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("after"), choices=MONTHS)
    situation = models.CharField(_("situation"), max_length=12, choices=Situation.choices)
    evidence = models.CharField(
        _("evidence"),
        max_length=200,
        blank=True,
        help_text=_("How it is known (a call, a contract seen, the school's word)."),
    )
    recorded_on = models.DateField(_("recorded on"), default=timezone.localdate)

    class Meta:
        ordering = ["months"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "months"], name="training_follow_up_once")
        ]

    def __str__(self):
        return f"{self.months}: {self.situation}"


class CohortOutcome(models.Model):
    """An outcome of a cohort the coordinator accepted, with its figure and evidence as they
    were when accepted. Only accepted outcomes are offered to the project's SROI map."""

    class Kind(models.TextChoices):
        COMPLETED = "completed", _("Learners who completed the cohort")
        SKILLS = "skills", _("Learners who gained a DigComp level")
        WORKING = "working", _("Learners working at a follow-up")
        STUDYING = "studying", _("Learners in further study at a follow-up")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("outcome"), max_length=12, choices=Kind.choices)
    quantity = models.PositiveIntegerField(_("learners"))
    evidence = models.CharField(_("evidence"), max_length=500)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted"), auto_now=True)

    class Meta:
        ordering = ["cohort_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "kind"], name="training_outcome_once")
        ]

    def __str__(self):
        return f"{self.cohort_id} {self.kind}: {self.quantity}"
