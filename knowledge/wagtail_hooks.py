"""How knowledge plugs into the portal dashboard, project workspaces, the Wagtail admin, the
permission sync and the personal-data registry. Each hook only calls a selector or service."""

from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from core.audit import register_actions
from core.pagecache import cache_invalidate
from core.personal_data import PersonalData

from . import audit, notification_kinds, selectors, services
from .forms import CommunityAdminForm
from .models import Community, KnowledgeItemPage
from .permissions import community_permissions_sync_all


class _NameFacilitator:
    """After saving, the person in the form's "Name a facilitator" becomes one."""

    def save_instance(self):
        instance = super().save_instance()
        person = self.form.cleaned_data.get("facilitator")
        if person is not None:
            services.facilitator_name(community=instance, person=person, by=self.request.user)
        return instance


class CommunityCreateView(_NameFacilitator, CreateView):
    pass


class CommunityEditView(_NameFacilitator, EditView):
    pass


class CommunityViewSet(SnippetViewSet):
    """Editors create and curate communities in the admin; members take part in the portal."""

    model = Community
    add_view_class = CommunityCreateView
    edit_view_class = CommunityEditView
    # "facilitator" is no field of the model: the form's, turned into a membership.
    edit_handler = ObjectList(
        [*Community.panels, FieldPanel("facilitator")], base_form_class=CommunityAdminForm
    )
    icon = "group"
    menu_label = _("Communities")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "joining", "created_at"]
    search_fields = ["name", "summary"]


register_snippet(CommunityViewSet)


@hooks.register("before_serve_page", order=-10)
def members_only_items(page, request, serve_args, serve_kwargs):
    """Members-only items answer 404 to whoever may not read them (their existence is private),
    before Wagtail's own view restriction would send a signed-in outsider to sign in again."""
    if isinstance(page, KnowledgeItemPage) and page.members_only:
        if not selectors.community_access(request.user, page.community).can_read_private:
            raise Http404


@hooks.register("before_serve_document")
def community_only_materials(document, request):
    """A session's materials in a community that keeps its content among its members are
    served to them (and the editors) only; everyone else gets 404, as for its other content."""
    community = selectors.materials_community(document)
    if community is not None and community.members_only_default:
        if not selectors.community_access(request.user, community).can_read_private:
            raise Http404


@hooks.register("after_create_snippet")
def community_created(request, instance):
    if isinstance(instance, Community):
        services.community_setup(instance)
        cache_invalidate()


@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def community_changed(request, instance):
    """The community's public pages show what editors change in the admin."""
    instances = instance if isinstance(instance, list | tuple) else [instance]
    if any(isinstance(one, Community) for one in instances):
        cache_invalidate()


@hooks.register("training_materials")
def training_materials(project):
    """The knowledge base's public items, for training sessions (``training.session_links``)."""
    return selectors.training_materials(project)


@hooks.register("portal_dashboard_panels", order=40)
def communities_dashboard_panel(request):
    memberships = selectors.community_memberships_of(request.user)
    return render_to_string(
        "knowledge/includes/dashboard_panel.html",
        {"memberships": memberships},
        request=request,
    )


@hooks.register("project_workspace_panels", order=60)
def case_studies_panel(request, project):
    """A project's case studies, and where its team proposes one with its impact linked."""
    return render_to_string(
        "knowledge/includes/workspace_panel.html",
        {
            "project": project,
            "case_studies": selectors.project_case_studies(project),
            "memberships": [
                m
                for m in selectors.community_memberships_of(request.user)
                if m.status == m.Status.ACTIVE
            ],
        },
        request=request,
    )


@hooks.register("register_permission_sync")
def sync_community_permissions(fix=False):
    return community_permissions_sync_all(fix=fix)


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    register_actions(actions, audit.ACTIONS, roles=audit.ROLES)


@hooks.register("register_personal_data")
def personal_data():
    return PersonalData(
        section="knowledge",
        models=(
            "knowledge.Community",
            # Guardian's per-user rows on a community go with the account.
            "knowledge.CommunityUserObjectPermission",
            "knowledge.CommunityMembership",
            "knowledge.CommunityFollow",
            "knowledge.UsefulVote",
            "knowledge.Question",
            "knowledge.Answer",
            "knowledge.AnswerComment",
            "knowledge.Session",
        ),
        export=selectors.personal_data,
        forget=services.personal_data_forget,
        order=50,
    )


@hooks.register("register_notification_kinds")
def declare_notification_kinds():
    return notification_kinds.LABELS
