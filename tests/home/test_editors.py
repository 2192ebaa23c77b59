"""The editors' group (Moderators) in the Wagtail admin: moderate, publish, revert — no more."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, WorkflowState
from wagtail.test.utils.form_data import querydict_from_html

from home.permissions import EDITORS_GROUP, PAGE_PERMISSIONS
from partners.models import PartnerPage
from partners.services import organization_apply
from projects.models import ProjectPage
from projects.services import project_propose
from tests.factories import UserFactory
from tests.home.builders import standard_page
from tests.utils import approved_organization, editor

pytestmark = pytest.mark.django_db


def _task_state(page):
    return page.current_workflow_state.current_task_state


def _workflow_action(client, page, action, **data):
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, action, _task_state(page).pk)
    )
    return client.post(url, data)


def test_editors_group_rights_are_on_the_home_page_only():
    group = Group.objects.get(name=EDITORS_GROUP)
    grants = GroupPagePermission.objects.filter(group=group).select_related("page", "permission")
    assert {grant.page.url_path for grant in grants} == {"/home/"}
    assert sorted(grant.permission.codename for grant in grants) == sorted(PAGE_PERMISSIONS)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "access_admin" in codenames
    assert not {"add_user", "change_user", "add_group", "change_group", "change_site"} & codenames
    assert not any(code.startswith("delete_page") for code in codenames)


def test_editor_approves_an_organization_through_the_workflow(client):
    organization = organization_apply(user=UserFactory(), title="Cooperativa Teixit")
    assert not organization.live
    client.force_login(editor())
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    response = _workflow_action(client, organization, "approve", comment="Welcome!")
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=organization.pk)
    assert state.status == WorkflowState.STATUS_APPROVED


def test_editor_rejects_a_project_through_the_workflow(client):
    coordinator = UserFactory()
    lead = approved_organization(admin=coordinator)
    project = project_propose(user=coordinator, lead_organization=lead, title="Vague idea")
    client.force_login(editor())
    response = _workflow_action(client, project, "reject", comment="Please add a budget.")
    assert response.status_code == 302
    project = ProjectPage.objects.get(pk=project.pk)
    assert not project.live
    state = project.workflow_states.get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.get_comment() == "Please add a budget."


@pytest.mark.parametrize("who", ["applicant", "stranger", "wagtail_editors_group"])
def test_non_editor_cannot_moderate(client, who):
    applicant = UserFactory()
    organization = organization_apply(user=applicant, title="Associació Arrel")
    user = applicant if who == "applicant" else UserFactory()
    if who == "wagtail_editors_group":
        # Wagtail's stock "Editors" group reaches the admin, but is not the review task's group.
        user.groups.add(Group.objects.get_or_create(name="Editors")[0])
    client.force_login(user)
    response = _workflow_action(client, organization, "approve")
    assert response.status_code in (302, 403)
    if response.status_code == 302:  # to the login page, or the admin home with an error
        assert response.url.split("?")[0] in (reverse("wagtailadmin_login"), "/admin/")
    assert not PartnerPage.objects.get(pk=organization.pk).live
    assert _task_state(organization).status == "in_progress"


def _edit_form(client, page, url=None):
    response = client.get(url or reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    # The StreamField's inputs are drawn by JavaScript; an empty body posts a zero count.
    data.setdefault("body-count", "0")
    return data


def test_editor_publishes_and_reverts_a_page(client):
    page = standard_page("About the cluster", intro="First version.")
    first_revision = page.latest_revision
    client.force_login(editor())

    data = _edit_form(client, page)
    data["intro"] = "A bad edit."
    data["action-publish"] = "publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.intro == "A bad edit."

    revert_url = reverse("wagtailadmin_pages:revisions_revert", args=(page.pk, first_revision.pk))
    data = _edit_form(client, page, url=revert_url)
    assert data["intro"].strip() == "First version."
    data["action-publish"] = "publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.intro == "First version."
    assert page.live and not page.has_unpublished_changes


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailusers_users:index",
        "wagtailusers_groups:index",
        "wagtailsites:index",
        "wagtailadmin_workflows:index",
        "wagtailadmin_workflows:task_index",
        "wagtailredirects:index",
    ],
)
def test_editor_cannot_manage_users_groups_sites_or_workflows(client, url_name):
    client.force_login(editor())
    response = client.get(reverse(url_name))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response.url == reverse("wagtailadmin_home")


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailsnippets_taxonomy_sector:list",
        "wagtailsnippets_taggit_tag:list",
        "wagtailsnippets_partners_capabilityterm:list",
        "wagtailsearchpromotions:index",
        "wagtailsnippets_impact_financialproxy:list",
        "wagtailsnippets_impact_priceindex:list",
        "wagtailimages:index",
    ],
)
def test_editor_curates_taxonomies_promotions_proxies_and_images(client, url_name):
    client.force_login(editor())
    assert client.get(reverse(url_name)).status_code == 200


def test_editor_cannot_delete_pages_or_use_django_admin(client):
    page = standard_page("Keep me")
    client.force_login(editor())
    delete_url = reverse("wagtailadmin_pages:delete", args=(page.pk,))
    assert client.get(delete_url).status_code == 302
    assert client.post(delete_url).status_code == 302
    bulk_url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete")) + f"?id={page.pk}"
    )
    assert client.post(bulk_url).status_code == 302
    assert Page.objects.filter(pk=page.pk).exists()
    response = client.get("/django-admin/")
    assert response.status_code == 302 and "login" in response.url


def test_editor_cannot_copy_organizations(client):
    organization = approved_organization(title="Only one of me")
    client.force_login(editor())
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=(organization.pk,)),
        {"new_title": "Copy", "new_slug": "copy", "new_parent_page": organization.get_parent().pk},
    )
    assert response.status_code == 302
    assert not PartnerPage.objects.filter(slug="copy").exists()


def test_superuser_may_still_delete_pages(client):
    page = standard_page("Delete me")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(reverse("wagtailadmin_pages:delete", args=(page.pk,)))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()


def test_editor_dashboard_shows_recent_activity(client):
    from tests.utils import project_with_partner_on_team

    project, partner, member = project_with_partner_on_team()
    member.first_name, member.last_name = "Marta", "Puig"
    member.save()
    client.force_login(editor())
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Recent portal activity" in html
    assert "Marta Puig" in html
    assert partner.title in html and project.title in html
    assert member.email not in html


INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"(?:text/template|application/json)\")[^>]*>"
)


@pytest.mark.parametrize("which", ["home", "standard"])
def test_page_editors_start_without_inline_scripts(client, which):
    """The admin's CSP blocks inline scripts: the choosers must start from static JS."""
    from home.models import HomePage

    page = HomePage.objects.get() if which == "home" else standard_page("About")
    client.force_login(editor())
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert INLINE_SCRIPT.findall(html) == []
    if which == "home":
        assert html.count("data-cluster-chooser=") == 3  # hero image, button page, template
        assert "/static/js/admin-choosers.js" in html
