"""What a project team keeps in its workspace: documents (with folders and versions), tasks and
milestones, meetings.

Every file is a Wagtail document in the project's own collection, so editors find it in the
admin; the portal serves it only through a permission-checked view (``views.document_file``).
Team access is a guardian grant on each ``ProjectDocument`` to the project's team group,
made in ``services``: leaving the team ends it at once.
"""

from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from wagtail.models import Collection

from projects.models import ProjectPage


class DocumentSpace(models.Model):
    """The Wagtail collection that holds one project's files."""

    project = models.OneToOneField(
        ProjectPage, on_delete=models.CASCADE, related_name="document_space"
    )
    collection = models.OneToOneField(Collection, on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return str(self.collection)


class Folder(models.Model):
    project = models.ForeignKey(ProjectPage, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="workspace_folder_unique")
        ]

    def __str__(self):
        return self.name


class ProjectDocument(models.Model):
    """One document of a project; its file is its latest version's."""

    project = models.ForeignKey(ProjectPage, on_delete=models.CASCADE, related_name="+")
    folder = models.ForeignKey(
        Folder, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    current = models.ForeignKey(
        "DocumentVersion", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    download_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]
        permissions = [("read_document", "Can read the document")]

    def __str__(self):
        return self.title


class ProjectDocumentUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ProjectDocument, on_delete=models.CASCADE)


class ProjectDocumentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ProjectDocument, on_delete=models.CASCADE)


class DocumentVersion(models.Model):
    """One uploaded file of a document, kept when a newer one arrives."""

    document = models.ForeignKey(
        ProjectDocument, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    file = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.PROTECT, related_name="workspace_version"
    )
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="workspace_version_unique")
        ]

    def __str__(self):
        return f"{self.filename} (v{self.number})"

    @property
    def previewable(self):
        return self.content_type.startswith("image/") or self.content_type == "application/pdf"

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class Milestone(models.Model):
    project = models.ForeignKey(ProjectPage, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("date"))

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.title


class Task(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        DOING = "doing", _("Doing")
        DONE = "done", _("Done")

    project = models.ForeignKey(ProjectPage, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="workspace_tasks"
    )
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.TODO
    )
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    overdue_notified = models.BooleanField(default=False)

    class Meta:
        ordering = [models.F("due_on").asc(nulls_last=True), "pk"]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self):
        return (
            self.status != self.Status.DONE
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )


class Meeting(models.Model):
    project = models.ForeignKey(ProjectPage, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Madrid")
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_document = models.ForeignKey(
        ProjectDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="workspace_meeting_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A meeting must end after it starts.")})
        if self.time_zone not in available_timezones():
            raise ValidationError({"time_zone": _("Choose a time zone from the list.")})


class Attendance(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        MAYBE = "maybe", _("Maybe")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workspace_attendances"
    )
    answer = models.CharField(max_length=10, choices=Answer.choices)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="workspace_attendance_unique")
        ]

    def __str__(self):
        return f"{self.user} → {self.meeting}: {self.answer}"


class ProjectUpdate(models.Model):
    """News a project's coordinators post on its public page and in the site's feed."""

    project = models.ForeignKey(ProjectPage, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title
