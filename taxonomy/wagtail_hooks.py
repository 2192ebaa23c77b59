"""The "Taxonomies" admin menu: sectors, regions, the 17 SDGs and the skills/resources tags.

One ``SnippetViewSetGroup`` gathers the four vocabularies. The tag listing has a "Merge" bulk
action for duplicates ("formació" / "formacio"), which calls ``taxonomy.services.tag_merge``.
"Proposed tags" lists the tags members typed that the vocabulary did not have, for editors to
approve (with their Spanish and Catalan names), merge or reject (``taxonomy.views``).
"""

from django import forms
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.personal_data import HOOK as PERSONAL_DATA_HOOK
from core.personal_data import PersonalData, when

from . import notification_kinds, services, tags
from .forms import TagMergeForm
from .models import Region, Sector, SustainableDevelopmentGoal, TagTranslation
from .views import TagProposalListView, TagReviewView, can_review_tags


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    menu_label = _("Sectors")
    list_display = ["name", "name_es", "name_ca", "slug"]
    search_fields = ["name", "name_es", "name_ca"]
    ordering = ["name"]
    panels = [FieldPanel("name"), FieldPanel("name_es"), FieldPanel("name_ca"), FieldPanel("slug")]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    list_display = ["name", "name_es", "name_ca", "slug"]
    search_fields = ["name", "name_es", "name_ca"]
    ordering = ["name"]
    panels = [FieldPanel("name"), FieldPanel("name_es"), FieldPanel("name_ca"), FieldPanel("slug")]


class FixedSetPermissionPolicy(ModelPermissionPolicy):
    """The 17 goals are a fixed set: their names and colours can change, nothing is added."""

    def user_has_permission(self, user, action):
        if action in ("add", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(
    SustainableDevelopmentGoal, FixedSetPermissionPolicy(SustainableDevelopmentGoal)
)


class SustainableDevelopmentGoalViewSet(SnippetViewSet):
    model = SustainableDevelopmentGoal
    icon = "globe"
    menu_label = _("SDGs")
    list_display = ["number", "name_en", "name_es", "name_ca", "colour"]
    search_fields = ["name_en", "name_es", "name_ca"]
    ordering = ["number"]
    list_per_page = 20
    panels = [
        FieldPanel("number", read_only=True),
        FieldPanel("name_en"),
        FieldPanel("name_es"),
        FieldPanel("name_ca"),
        FieldPanel("colour", widget=forms.TextInput(attrs={"type": "color"})),
    ]


class UsageColumn(Column):
    def get_value(self, instance):
        count = getattr(instance, "usage_count", 0)
        return ngettext("%(count)d item", "%(count)d items", count) % {"count": count}


class ReviewColumn(Column):
    def get_value(self, instance):
        row = getattr(instance, "translation", None)
        if row is not None and row.status == TagTranslation.Status.PROPOSED:
            return TagTranslation.Status.PROPOSED.label
        return TagTranslation.Status.APPROVED.label


class TagViewSet(SnippetViewSet):
    """The skills and resources vocabulary shared by partners' offers/seeks and projects' needs."""

    model = Tag
    icon = "tag"
    menu_label = _("Skills and resources")
    search_fields = ["name"]
    ordering = ["name"]
    list_display = [
        "name",
        "slug",
        UsageColumn("usage_count", label=_("Used by")),
        ReviewColumn("review", label=_("Review")),
    ]
    panels = [FieldPanel("name"), FieldPanel("slug")]

    def get_queryset(self, request):
        return services.annotate_usage(Tag.objects.select_related("translation"))


class TagTranslationViewSet(SnippetViewSet):
    """The Spanish and Catalan names of the tags, so the vocabulary reads in every language."""

    model = TagTranslation
    icon = "tag"
    menu_label = _("Tag names in Spanish and Catalan")
    search_fields = ["tag__name", "name_es", "name_ca"]
    ordering = ["tag__name"]
    list_display = ["tag", "name_es", "name_ca"]
    panels = [FieldPanel("tag"), FieldPanel("name_es"), FieldPanel("name_ca")]


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return can_review_tags(request.user)


class TagReviewViewSet(ViewSet):
    """Proposed tags: the list, and one screen per tag to approve, merge or reject it."""

    name = "tag_review"
    url_prefix = "taxonomy/proposed-tags"
    icon = "tag"
    menu_label = _("Proposed tags")

    @property
    def menu_item_class(self):
        return ReviewerMenuItem

    def get_urlpatterns(self):
        return [
            path("", TagProposalListView.as_view(), name="index"),
            path("<id:tag_id>/", TagReviewView.as_view(), name="review"),
        ]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (
        SectorViewSet,
        RegionViewSet,
        SustainableDevelopmentGoalViewSet,
        TagViewSet,
        TagReviewViewSet,
        TagTranslationViewSet,
    )
    menu_icon = "tag"
    menu_label = _("Taxonomies")
    menu_name = "taxonomies"
    menu_order = 250


register_snippet(TaxonomyViewSetGroup)


class MergeTagsBulkAction(SnippetBulkAction):
    """Select duplicate tags in the listing, choose the one to keep, merge the rest into it."""

    display_name = _("Merge")
    action_type = "merge"
    aria_label = _("Merge the selected tags into one")
    template_name = "taxonomy/admin/confirm_tag_merge.html"
    action_priority = 20
    models = [Tag]
    form_class = TagMergeForm

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission(
            self.request.user, "change"
        ) and self.permission_policy.user_has_permission(self.request.user, "delete")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["tags"] = self.get_actionable_objects()[0]
        return kwargs

    def get_execution_context(self):
        return {"target": self.cleaned_form.cleaned_data["target"]}

    @classmethod
    def execute_action(cls, objects, target=None, **kwargs):
        services.tag_merge(target=target, duplicates=objects)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return format_html(
            ngettext(
                "%(count)d tag merged into “{}”.",
                "%(count)d tags merged into “{}”.",
                num_parent_objects,
            )
            % {"count": num_parent_objects},
            self.cleaned_form.cleaned_data["target"].name,
        )


hooks.register("register_bulk_action", MergeTagsBulkAction)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def vocabulary_shown_afresh(request, instances):
    """A renamed or translated sector, region or tag shows on public pages at once."""
    items = instances if isinstance(instances, list | tuple) else [instances]
    if any(isinstance(item, Sector | Region | Tag | TagTranslation) for item in items):
        tags.tags_changed()
        # Search finds pages by these names in every language (taxonomy.search).
        services.vocabulary_reindex(items)


@hooks.register("register_notification_kinds")
def declare_notification_kinds():
    return notification_kinds.LABELS


def _proposed_tags_export(user):
    rows = TagTranslation.objects.filter(proposed_by=user).select_related("tag")
    return [
        {"tag": row.tag.name, "status": row.status, "proposed_at": when(row.proposed_at)}
        for row in rows.order_by("proposed_at", "pk")
    ]


def _proposed_tags_forget(user, context):
    # The tag stays (others may use it); who proposed it is forgotten.
    TagTranslation.objects.filter(proposed_by=user).update(proposed_by=None)


@hooks.register(PERSONAL_DATA_HOOK)
def proposed_tags_personal_data():
    return PersonalData(
        section="proposed_tags",
        export=_proposed_tags_export,
        forget=_proposed_tags_forget,
        models=("taxonomy.TagTranslation",),
    )
