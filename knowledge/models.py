"""Communities of practice and what their members share: knowledge items, questions and
answers, "was this useful?" votes and sessions.

A community is a plain model with its own pages at /communities/; who may take part is decided by
``CommunityMembership`` rows, turned into guardian object permissions on the community by
``knowledge.permissions``. Knowledge items are Wagtail pages under the knowledge base
(/knowledge/), each belonging to one community, so revisions, moderation, search and the API
apply to them; each community reviews its own items through its own Wagtail workflow.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.models.pages import PagePermissionTester
from wagtail.search import index

from core.blocks import PARAGRAPH_FEATURES, HeadingBlock, QuoteBlock
from core.i18n_content import LocaleFallbackMixin
from taxonomy.serializers import SustainableDevelopmentGoalSerializer

# An item not reviewed for this long says it may be out of date.
REVIEW_AFTER = datetime.timedelta(days=365)


class Community(models.Model):
    """A community of practice: a topic, its charter, its facilitators and members."""

    class Joining(models.TextChoices):
        OPEN = "open", _("Open: anyone signed in joins at once")
        APPROVAL = "approval", _("By approval: a facilitator accepts each request")

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    charter = models.TextField(_("charter"), blank=True, max_length=5000)
    joining = models.CharField(
        _("joining"), max_length=10, choices=Joining.choices, default=Joining.OPEN
    )
    members_only_default = models.BooleanField(
        _("new questions and items are for members only"),
        default=False,
        help_text=_("Public by default; a community may keep its content among its members."),
    )
    sectors = models.ManyToManyField("taxonomy.Sector", blank=True, verbose_name=_("sectors"))
    sdgs = models.ManyToManyField(
        "taxonomy.SustainableDevelopmentGoal", blank=True, verbose_name=_("SDGs")
    )
    workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("review workflow"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("charter"),
        FieldPanel("joining"),
        FieldPanel("members_only_default"),
        FieldPanel("sectors"),
        FieldPanel("sdgs"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("community of practice")
        verbose_name_plural = _("communities of practice")
        permissions = [
            ("view_community_content", _("Can read the community's members-only content")),
            ("take_part", _("Can ask, answer and propose knowledge in the community")),
            ("facilitate", _("Can review, accept members and hold sessions in the community")),
        ]

    def __str__(self):
        return self.name


class CommunityUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Community, on_delete=models.CASCADE)


class CommunityGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Community, on_delete=models.CASCADE)


class CommunityMembership(models.Model):
    """A person in a community, as a member or a facilitator, perhaps for an organization."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        FACILITATOR = "facilitator", _("Facilitator")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACTIVE = "active", _("Active")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships"
    )
    organization = models.ForeignKey(
        "partners.PartnerPage",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_memberships",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"], name="unique_community_membership"
            )
        ]
        indexes = [models.Index(fields=["community", "status"])]
        ordering = ["community_id", "-role", "user_id"]
        verbose_name = _("community membership")
        verbose_name_plural = _("community memberships")

    def __str__(self):
        return f"{self.user} in {self.community} ({self.role}, {self.status})"


class CommunityFollow(models.Model):
    """Someone who wants the community's news in their notification centre."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_follows"
    )
    created_at = models.DateTimeField(_("followed"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "user"], name="unique_community_follow")
        ]
        verbose_name = _("community follow")
        verbose_name_plural = _("community follows")


class KnowledgeBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, label=_("Paragraph"))
    quote = QuoteBlock()
    document = DocumentChooserBlock(label=_("Document"))
    embed = EmbedBlock(label=_("Embed"), max_width=800)


class KnowledgeIndexPage(LocaleFallbackMixin, Page):
    """The knowledge base at /knowledge/: the published items, newest first."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["knowledge.KnowledgeItemPage"]
    max_count = 1

    class Meta:
        verbose_name = _("knowledge base")

    def get_context(self, request, *args, **kwargs):
        from .selectors import item_directory

        context = super().get_context(request, *args, **kwargs)
        context["items"] = item_directory(request.GET.get("page"), locale_id=self.locale_id)
        return context


class KnowledgeItemPage(LocaleFallbackMixin, Page):
    """A guide, case study, tool, policy or recording shared by a community.

    Members propose items (drafts in the community's workflow); its facilitators review them,
    editors see everything. ``members_only`` items carry a Wagtail view restriction to the
    community's groups (``knowledge.permissions``), so search, the API and the sitemap leave
    them out for everyone else.
    """

    class Kind(models.TextChoices):
        GUIDE = "guide", _("Guide")
        CASE_STUDY = "case_study", _("Case study")
        TOOL = "tool", _("Tool or template")
        POLICY = "policy", _("Policy")
        RECORDING = "recording", _("Recording")

    class Licence(models.TextChoices):
        CC_BY = "cc-by-4.0", "CC BY 4.0"
        CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
        CC0 = "cc0-1.0", "CC0 1.0"
        ALL_RIGHTS = "all-rights-reserved", _("All rights reserved")

    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.GUIDE)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = StreamField(KnowledgeBodyBlock(), blank=True, verbose_name=_("body"))
    licence = models.CharField(
        _("licence"), max_length=24, choices=Licence.choices, default=Licence.CC_BY
    )
    language = models.CharField(
        _("written in"),
        max_length=7,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    author_organizations = ParentalManyToManyField(
        "partners.PartnerPage", blank=True, verbose_name=_("author organizations")
    )
    related_projects = ParentalManyToManyField(
        "projects.ProjectPage",
        blank=True,
        verbose_name=_("related projects"),
        related_name="knowledge_items",
    )
    sdgs = ParentalManyToManyField(
        "taxonomy.SustainableDevelopmentGoal", blank=True, verbose_name=_("SDGs")
    )
    last_reviewed = models.DateField(_("last reviewed"), default=datetime.date.today)
    # Page.owner is the item's owner: who proposed it, or whom an editor made responsible.
    members_only = models.BooleanField(_("for the community's members only"), default=False)
    is_template = models.BooleanField(
        _("offer as a template"),
        default=False,
        help_text=_("Members can start a new item from this one."),
    )
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    useful_count = models.PositiveIntegerField(_("found it useful"), default=0, editable=False)
    not_useful_count = models.PositiveIntegerField(
        _("did not find it useful"), default=0, editable=False
    )

    content_panels = Page.content_panels + [
        FieldPanel("community"),
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("licence"),
                FieldPanel("language"),
                FieldPanel("author_organizations"),
                FieldPanel("related_projects"),
                FieldPanel("sdgs"),
                FieldPanel("last_reviewed"),
                FieldPanel("members_only"),
                FieldPanel("is_template"),
            ],
            heading=_("About this item"),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("community", [index.SearchField("name")]),
        index.FilterField("kind"),
        index.FilterField("community"),
    ]

    api_fields = [
        APIField("kind"),
        APIField("summary"),
        APIField("body"),
        APIField("licence"),
        APIField("language"),
        APIField("last_reviewed"),
        APIField(
            "sdgs", serializer=SustainableDevelopmentGoalSerializer(many=True, read_only=True)
        ),
    ]

    parent_page_types = ["knowledge.KnowledgeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("knowledge item")
        verbose_name_plural = _("knowledge items")

    def permissions_for_user(self, user):
        """Wagtail's permissions on the item, plus publishing for the community's facilitators:
        approving the last task of the community's workflow publishes the item as them."""
        return FacilitatorPagePermissionTester(user, self)

    def get_workflow(self):
        """The community's own review workflow, when it has one (Wagtail asks pages for it)."""
        if self.community_id and self.community.workflow_id and self.community.workflow.active:
            return self.community.workflow
        return super().get_workflow()

    @property
    def may_be_out_of_date(self):
        return self.last_reviewed < timezone.localdate() - REVIEW_AFTER

    def get_context(self, request, *args, **kwargs):
        from .selectors import item_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(item_page_context(request.user, self))
        return context

    def serve(self, request, *args, **kwargs):
        from .services import item_viewed

        if request.method == "GET" and not getattr(request, "is_preview", False):
            item_viewed(item=self)
        return super().serve(request, *args, **kwargs)


class FacilitatorPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, where the item's community's facilitators' group may also publish."""

    def can_publish(self):
        if super().can_publish():
            return True
        if not self.user.is_active or not self.page.community_id:
            return False
        from .permissions import group_name

        return self.user.groups.filter(
            name=group_name(self.page.community_id, "facilitators")
        ).exists()


class UsefulVote(models.Model):
    """One person's answer to "was this useful?" about one item (one vote each, changeable)."""

    item = models.ForeignKey(KnowledgeItemPage, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="useful_votes"
    )
    useful = models.BooleanField(_("useful"))
    created_at = models.DateTimeField(_("voted"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="unique_useful_vote")]
        verbose_name = _("useful vote")
        verbose_name_plural = _("useful votes")


class Question(models.Model):
    """A question asked in a community; its asker or a facilitator accepts one answer."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_questions",
    )
    title = models.CharField(_("question"), max_length=200)
    body = models.TextField(_("details"), blank=True, max_length=10000)
    members_only = models.BooleanField(_("for the community's members only"), default=False)
    accepted_answer = models.OneToOneField(
        "knowledge.Answer",
        verbose_name=_("accepted answer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "-created_at"])]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.title


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_answers",
    )
    body = models.TextField(_("answer"), max_length=10000)
    promoted_to = models.ForeignKey(
        KnowledgeItemPage,
        verbose_name=_("promoted to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return f"Answer {self.pk} to {self.question_id}"


class AnswerComment(models.Model):
    """A short remark on an answer (a follow-up, a correction), as BookStack's per-page
    comments; members of the community comment."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("commented by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_comments",
    )
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("commented"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment on an answer")
        verbose_name_plural = _("comments on answers")

    def __str__(self):
        return f"Comment {self.pk} on answer {self.answer_id}"


class Session(models.Model):
    """An online or in-person meeting of a community, in its iCalendar feed."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(
        _("online link"), blank=True, validators=[URLValidator(schemes=["https", "http"])]
    )
    materials = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("materials"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recording = models.ForeignKey(
        KnowledgeItemPage,
        verbose_name=_("recording"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_sessions",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["community", "starts_at"])]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})
        if not self.location and not self.link:
            raise ValidationError(_("Give a place, an online link, or both."))
