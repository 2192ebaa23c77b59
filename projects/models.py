from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from core import opendata, page_hooks
from core.admin_forms import ProfileTextsPageForm, translations_panel
from core.blocks import BodyBlock
from core.choosers import ScriptlessPageChooserPanel, ScriptlessSnippetChooserPanel
from core.i18n_content import LocaleFallbackMixin, ProfileTextsMixin
from core.serializers import PublicPageField
from core.validators import SingleLineFieldsMixin
from taxonomy.search import TAG_NAMES, TRANSLATED_NAMES
from taxonomy.serializers import (
    RegionSerializer,
    SectorSerializer,
    SustainableDevelopmentGoalSerializer,
    TagNamesField,
)


class ProjectIndexPage(LocaleFallbackMixin, Page):
    """The project directory at /projects/: search and filters over published ProjectPages."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["projects.ProjectPage"]
    max_count = 1

    class Meta:
        verbose_name = _("project directory")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_hooks.call("projects_directory_context", request))
        return context

    def serve(self, request, *args, **kwargs):
        """``?format=csv`` or ``?format=json`` exports the filtered directory as open data
        (``projects.directory``); any other format is refused with a 400."""
        export_format = opendata.requested_format(request)
        if export_format:
            return page_hooks.call("projects_directory_export", request, export_format)
        return super().serve(request, *args, **kwargs)


class ProjectNeedTag(TaggedItemBase):
    content_object = ParentalKey(
        "projects.ProjectPage", on_delete=models.CASCADE, related_name="need_items"
    )


class ProjectPage(SingleLineFieldsMixin, LocaleFallbackMixin, ProfileTextsMixin, Page):
    """A cluster project, led by one partner organization and run with others.

    Proposals are drafts in the moderation workflow until an editor approves them. Who may
    enter the workspace is decided by ``TeamMembership`` rows, turned into guardian object
    permissions by ``projects.services``.
    """

    # Its public texts in other languages (core.i18n_content.ProfileTextsMixin): the body is the
    # description.
    TEXT_FIELDS = {"summary": "summary", "description": "body"}

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IDEA
    )
    lead_organization = models.ForeignKey(
        "partners.PartnerPage",
        verbose_name=_("lead organization"),
        null=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("description"))
    sdgs = ParentalManyToManyField(
        "taxonomy.SustainableDevelopmentGoal", blank=True, verbose_name=_("SDGs")
    )
    sectors = ParentalManyToManyField("taxonomy.Sector", blank=True, verbose_name=_("sectors"))
    region = models.ForeignKey(
        "taxonomy.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    needs = ClusterTaggableManager(
        through=ProjectNeedTag, blank=True, related_name="needed_by", verbose_name=_("needs")
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    base_form_class = ProfileTextsPageForm
    content_panels = Page.content_panels + [
        FieldPanel("status"),
        ScriptlessPageChooserPanel("lead_organization", "partners.PartnerPage"),
        FieldPanel("original_language"),
        FieldPanel("summary"),
        FieldPanel("body"),
        translations_panel(),
        MultiFieldPanel(
            [
                FieldPanel("sdgs"),
                FieldPanel("sectors"),
                ScriptlessSnippetChooserPanel("region"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
            ],
            heading=_("Scope"),
        ),
        FieldPanel("needs"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("translated_texts"),
        index.RelatedFields("needs", TAG_NAMES),
        index.RelatedFields("sectors", TRANSLATED_NAMES),
        index.RelatedFields("region", TRANSLATED_NAMES),
        index.RelatedFields("lead_organization", [index.SearchField("title")]),
        index.FilterField("status"),
        index.FilterField("region"),
        index.FilterField("lead_organization"),
    ]

    # Public fields only: no proposer, no team, no participations, no chat.
    api_fields = [
        APIField("status"),
        APIField("summary"),
        APIField("body"),
        APIField("original_language"),
        APIField("text_translations"),
        APIField("lead_organization", serializer=PublicPageField()),
        APIField(
            "sdgs", serializer=SustainableDevelopmentGoalSerializer(many=True, read_only=True)
        ),
        APIField("sectors", serializer=SectorSerializer(many=True, read_only=True)),
        APIField("region", serializer=RegionSerializer(read_only=True)),
        APIField("start_date"),
        APIField("end_date"),
        APIField("needs", serializer=TagNamesField()),
    ]

    parent_page_types = ["projects.ProjectIndexPage"]
    # The summary is a short paragraph (a text area); every other text field is one line.
    multi_line_fields = ("summary",)
    subpage_types = []

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        # The directory's status filter; the other filters go through foreign keys and M2M
        # tables, which have their own indexes.
        indexes = [models.Index(fields=["status"], name="projects_page_status_idx")]
        permissions = [
            ("view_project_draft", _("Can see the project while it is a draft")),
            ("enter_workspace", _("Can enter the project workspace and chat")),
            ("coordinate_project", _("Can manage partners, team and chat of the project")),
        ]

    def route(self, request, path_components):
        """Let the team, editors and superusers see a draft at its URL; 404 for everyone else.

        Wagtail only routes live pages; a project waiting for review must still be readable by
        those the permission matrix allows, and by no one else (its existence is private).
        """
        if path_components or self.live:
            return super().route(request, path_components)
        if page_hooks.call("projects_can_view_project", request.user, self):
            return RouteResult(self)
        raise Http404

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(page_hooks.call("projects_page_context", request.user, self))
        # Apps above add public sections (news…) without projects importing them.
        context["page_panels"] = [
            html for fn in hooks.get_hooks("project_page_panels") if (html := fn(request, self))
        ]
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not self.live:
            # A draft shown to its team must never land in a shared cache.
            add_never_cache_headers(response)
            response["Cache-Control"] += ", private"
        return response

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class ProjectPageUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ProjectPage, on_delete=models.CASCADE)


class ProjectPageGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ProjectPage, on_delete=models.CASCADE)


class Participation(SingleLineFieldsMixin, models.Model):
    """An organization's part in a project: lead or partner, and where the relation stands."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        PARTNER = "partner", _("Partner")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        REQUESTED = "requested", _("Requested")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")

    project = models.ForeignKey(
        ProjectPage, on_delete=models.CASCADE, related_name="participations"
    )
    organization = models.ForeignKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.PARTNER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    message = models.TextField(_("message"), blank=True, max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization"], name="unique_participation"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["project", "status"]),
        ]
        ordering = ["project_id", "-role", "organization_id"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self):
        return f"{self.organization} in {self.project} ({self.status})"


class TeamMembership(SingleLineFieldsMixin, models.Model):
    """A person on a project's team, through one of the project's active organizations."""

    project = models.ForeignKey(ProjectPage, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    organization = models.ForeignKey(
        "partners.PartnerPage", on_delete=models.CASCADE, related_name="team_memberships"
    )
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="unique_team_membership")
        ]
        ordering = ["project_id", "-is_coordinator", "user_id"]
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")

    def __str__(self):
        return f"{self.user} on {self.project}"
