"""How partners plugs into the portal dashboard, the Wagtail admin, the permission sync, the
page cache, the personal data export and deletion, and what its page models ask of the modules
above them (``core.page_hooks``)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core import pagecache
from core.audit import register_actions
from core.personal_data import HOOK, PersonalData
from core.roles import is_editor

from . import (
    audit,
    capabilities,
    directory,
    notification_kinds,
    permissions,
    personal_data,
    selectors,
)
from .models import CapabilityTerm, Membership

# The directory page and its open-data export (PartnerIndexPage.get_context and .serve).
hooks.register("partners_directory_context", directory.directory_context)
hooks.register("partners_directory_export", directory.directory_export)


@hooks.register(pagecache.QUERY_PARAMS_HOOK)
def directory_cache_params():
    return directory.PAGECACHE_PARAMS


@hooks.register("partners_page_context")
def partner_page_context(request, organization):
    """What PartnerPage.get_context adds for the visitor: a link to manage it, if they may."""
    if not request.user.is_authenticated:
        return {}
    access = selectors.organization_access(request.user, organization)
    if access.member or access.edit:
        return {"manage_url": reverse("portal:organization_manage", args=[organization.pk])}
    return {}


@hooks.register("portal_dashboard_panels", order=10)
def my_organizations_panel(request):
    """/portal/: my organizations (and their review state), invitations for me, apply link."""
    return render_to_string(
        "partners/includes/dashboard_panel.html",
        {
            "memberships": selectors.memberships_of_user(request.user),
            "invitations": selectors.invitations_for_user(request.user),
        },
        request=request,
    )


class OrganizationsAwaitingReviewPanel(Component):
    """The Wagtail admin dashboard's list of applications waiting for an editor."""

    name = "organizations_awaiting_review"
    template_name = "partners/admin/awaiting_review_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["organizations"] = selectors.organizations_awaiting_review()
        return context


@hooks.register("construct_homepage_panels")
def add_awaiting_review_panel(request, panels):
    if is_editor(request.user):
        panels.append(OrganizationsAwaitingReviewPanel())


@hooks.register("register_permission_sync")
def sync_partner_permissions(fix):
    """Called by ``manage.py sync_permissions``: the drift found (and repaired when ``fix``)."""
    return permissions.permissions_sync(fix=fix)


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    """Membership and invitation entries of the audit trail (``partners.audit``)."""
    register_actions(actions, audit.ACTIONS, roles=Membership.Role)


@hooks.register("register_notification_kinds")
def declare_notification_kinds():
    return notification_kinds.LABELS


@hooks.register(HOOK)
def memberships_personal_data():
    return PersonalData(
        section="memberships",
        export=personal_data.memberships_export,
        forget=personal_data.memberships_forget,
        refuse=personal_data.memberships_refusal,
        # The permission rows follow the memberships (revoked by the service).
        models=("partners.Membership", "partners.PartnerPageUserObjectPermission"),
        order=20,
    )


@hooks.register(HOOK)
def invitations_personal_data():
    return PersonalData(
        section="invitations",
        export=personal_data.invitations_export,
        forget=personal_data.invitations_forget,
        models=("partners.Invitation",),
        order=20,
    )


@hooks.register(HOOK)
def applications_personal_data():
    # ``applicant`` (and Wagtail's page owner) empty themselves with the account.
    return PersonalData(
        section="organization_applications",
        export=personal_data.applications_export,
        models=("partners.PartnerPage",),
    )


# --- The capability vocabularies (Taxonomies in the admin) ------------------------------------


class CapabilityTermForm(WagtailAdminModelForm):
    """A term's vocabulary and code are fixed once it is saved: profiles, links and open data
    name it by them. Its names, order and retirement stay editable."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("facet", "code"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed once the term is saved.")


@hooks.register("before_delete_snippet")
def capability_terms_in_use_are_kept(request, instances):
    """A term an organization has, in its published profile or in a draft of it, is retired
    instead of deleted: profiles, links and open data keep the code. One nobody has (added by
    mistake) may go."""
    terms = [item for item in instances if isinstance(item, CapabilityTerm)]
    used = [term for term in terms if selectors.capability_term_in_use(term)]
    if not used:
        return None
    messages.error(
        request,
        ngettext(
            "“%(names)s” is on an organization's profile: retire it instead, so the profiles "
            "that have it keep it.",
            "“%(names)s” are on organizations' profiles: retire them instead, so the profiles "
            "that have them keep them.",
            len(used),
        )
        % {"names": "”, “".join(term.name for term in used)},
    )
    if len(terms) == 1:
        return redirect("wagtailsnippets_partners_capabilityterm:edit", terms[0].pk)
    return redirect("wagtailsnippets_partners_capabilityterm:list")


class CapabilityTermViewSet(SnippetViewSet):
    """Services, target groups, languages and quality labels of the capability profiles, with
    their names in English, Spanish and Catalan (``partners.capabilities``)."""

    model = CapabilityTerm
    icon = "list-ul"
    menu_label = _("Capability vocabularies")
    menu_name = "capability-vocabularies"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["name", "name_es", "name_ca", "code", "facet", "sort_order", "retired"]
    list_filter = ["facet", "retired"]
    search_fields = ["name", "name_es", "name_ca", "code"]
    ordering = ["facet", "sort_order", "name"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("facet"),
            FieldPanel("code"),
            FieldPanel("name"),
            FieldPanel("name_es"),
            FieldPanel("name_ca"),
            FieldPanel("sort_order"),
            FieldPanel("retired"),
        ],
        base_form_class=CapabilityTermForm,
    )


register_snippet(CapabilityTermViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def capability_terms_shown_afresh(request, instances):
    """A new, renamed, reordered or retired term shows in forms, filters and pages at once."""
    items = instances if isinstance(instances, list | tuple) else [instances]
    if any(isinstance(item, CapabilityTerm) for item in items):
        capabilities.terms_changed()
