"""How knowledge plugs into the portal dashboard, project workspaces, the Wagtail admin, the
permission sync and the personal-data registry. Each hook only calls a selector or service."""

from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.audit import register_actions
from core.personal_data import PersonalData

from . import audit, notification_kinds, selectors, services
from .models import Community, KnowledgeItemPage
from .permissions import community_permissions_sync_all


class CommunityViewSet(SnippetViewSet):
    """Editors create and curate communities in the admin; members take part in the portal."""

    model = Community
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


@hooks.register("after_create_snippet")
def community_created(request, instance):
    if isinstance(instance, Community):
        services.community_setup(instance)


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
            "knowledge.Session",
        ),
        export=selectors.personal_data,
        forget=services.personal_data_forget,
        order=50,
    )


@hooks.register("register_notification_kinds")
def declare_notification_kinds():
    return notification_kinds.LABELS
