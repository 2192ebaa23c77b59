"""Page types, the Wagtail review workflow, admin and partner-page panels, permission sync."""

import pytest
from django.core import mail
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from notifications.models import Notification
from projects.models import ProjectIndexPage, ProjectPage
from projects.permissions import group_name
from projects.services import project_propose
from tests.factories import UserFactory
from tests.projects.builders import add_partner, published_project
from tests.utils import approved_organization

pytestmark = pytest.mark.django_db


class TestPageTypes(WagtailPageTestCase):
    def test_tree_rules(self):
        self.assertCanCreateAt(HomePage, ProjectIndexPage)
        self.assertCanCreateAt(ProjectIndexPage, ProjectPage)
        self.assertCanNotCreateAt(HomePage, ProjectPage)
        self.assertAllowedSubpageTypes(ProjectIndexPage, {ProjectPage})
        self.assertAllowedSubpageTypes(ProjectPage, set())
        self.assertAllowedParentPageTypes(ProjectPage, {ProjectIndexPage})

    def test_pages_render(self):
        from tests.base_content import ensure_base_content

        ensure_base_content()
        coordinator = UserFactory()
        project = published_project(coordinator, approved_organization(admin=coordinator))
        self.assertPageIsRenderable(project)
        self.assertPageIsRenderable(ProjectIndexPage.objects.get())


def test_editor_approves_in_the_wagtail_admin(client, django_capture_on_commit_callbacks):
    """The real workflow action an editor clicks, and the proposer hears about it."""
    from django.contrib.auth.models import Group

    clara = UserFactory()
    lead = approved_organization(admin=clara)
    project = project_propose(user=clara, lead_organization=lead, title="Coding club")
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Moderators"))
    _give_admin_access(editor)
    client.force_login(editor)
    task_state = project.current_workflow_state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/pages/workflow/action/{project.pk}/approve/{task_state.pk}/",
            {"comment": "Welcome aboard"},
        )
    assert response.status_code in (200, 302)
    project.refresh_from_db()
    assert project.live
    note = Notification.objects.get(user=clara, kind="projects.approved")
    assert "Welcome aboard" in note.body
    assert note.url == f"/portal/projects/{project.pk}/"
    # One e-mail, ours with the portal link: not also Wagtail's, which links into the admin.
    to_clara = [message for message in mail.outbox if clara.email in message.to]
    assert len(to_clara) == 1, [message.subject for message in to_clara]
    assert "/admin/" not in to_clara[0].body


def test_editor_rejects_in_the_wagtail_admin(client, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group

    clara = UserFactory()
    lead = approved_organization(admin=clara)
    project = project_propose(user=clara, lead_organization=lead, title="Vague idea")
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Moderators"))
    _give_admin_access(editor)
    client.force_login(editor)
    task_state = project.current_workflow_state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/pages/workflow/action/{project.pk}/reject/{task_state.pk}/",
            {"comment": "Who is it for?"},
        )
    project.refresh_from_db()
    assert not project.live
    note = Notification.objects.get(user=clara, kind="projects.rejected")
    assert "Who is it for?" in note.body
    to_clara = [message for message in mail.outbox if clara.email in message.to]
    assert len(to_clara) == 1, [message.subject for message in to_clara]


def _give_admin_access(user):
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))


def test_admin_dashboard_lists_projects_awaiting_review(client):
    clara = UserFactory(first_name="Clara", last_name="Vidal")
    lead = approved_organization(admin=clara, title="Fundació Pas a Pas")
    project_propose(user=clara, lead_organization=lead, title="Waiting project")
    published_project(clara, lead, title="Already published")
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert "Projects awaiting review" in html
    section = html.split("Projects awaiting review")[1]
    assert "Waiting project" in section
    assert "Fundació Pas a Pas" in section
    assert "Already published" not in section


def test_admin_dashboard_panel_only_for_editors(rf):
    from projects.wagtail_hooks import add_projects_awaiting_review_panel

    panels = []
    request = rf.get("/admin/")
    request.user = UserFactory(is_staff=True)
    add_projects_awaiting_review_panel(request, panels)
    assert panels == []


def test_partner_page_lists_its_published_projects(client):
    clara = UserFactory()
    lead = approved_organization(admin=clara, title="Fundació Pas a Pas")
    led = published_project(clara, lead, title="Led project")
    other_admin = UserFactory()
    other_lead = approved_organization(admin=other_admin, title="Another lead")
    partnered = published_project(other_admin, other_lead, title="Partnered project")
    add_partner(partnered, lead, other_admin)
    published_project(other_admin, other_lead, title="Unrelated project")
    project_propose(user=clara, lead_organization=lead, title="Draft project")
    html = client.get(lead.url).content.decode()
    assert 'id="partner-projects-heading"' in html
    assert f'href="{led.url}"' in html and f'href="{partnered.url}"' in html
    assert "Unrelated project" not in html
    assert "Draft project" not in html


def test_partner_page_lists_its_projects_a_page_at_a_time(client):
    clara = UserFactory()
    lead = approved_organization(admin=clara, title="Fundació Pas a Pas")
    titles = [f"Project {n:02}" for n in range(14)]
    for title in titles:
        published_project(clara, lead, title=title)
    first = client.get(lead.url).content.decode()
    assert first.count('<li class="card">') == 12
    assert "Projects 1–12 of 14, newest first." in first
    assert 'href="?page=2#partner-projects"' in first
    second = client.get(lead.url + "?page=2").content.decode()
    assert second.count('<li class="card">') == 2
    # Newest first: the two published first are on the second page, and nothing is lost.
    assert "Project 00" in second and "Project 01" in second
    assert "Project 00" not in first and "Project 13" in first
    assert 'href="?page=1#partner-projects"' in second
    # A page number out of range shows the last page, never an error.
    assert client.get(lead.url + "?page=99").content.decode().count('<li class="card">') == 2


def test_partner_page_without_projects_has_no_section(client):
    organization = approved_organization()
    assert "partner-projects-heading" not in client.get(organization.url).content.decode()


def test_permission_sync_hook_reports_and_repairs_drift():
    from django.contrib.auth.models import Group
    from wagtail import hooks

    (sync,) = [
        fn
        for fn in hooks.get_hooks("register_permission_sync")
        if fn.__module__.startswith("projects")
    ]
    clara = UserFactory()
    project = published_project(clara, approved_organization(admin=clara))
    assert sync(False) == []
    team = Group.objects.get(name=group_name(project.pk, "team"))
    team.user_set.clear()
    stranger = UserFactory()
    Group.objects.get(name=group_name(project.pk, "coordinators")).user_set.add(stranger)
    drift = sync(False)
    assert any(f"user {clara.pk} missing from {team.name}" in line for line in drift)
    assert any(f"user {stranger.pk} should not be in" in line for line in drift)
    assert sync(fix=True) == drift
    assert sync(False) == []


def test_draft_pages_stay_out_of_shared_caches(client):
    clara = UserFactory()
    project = project_propose(
        user=clara, lead_organization=approved_organization(admin=clara), title="Draft"
    )
    client.force_login(clara)
    response = client.get(project.get_url())
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "waiting for the editors" in response.content.decode()


def test_unknown_child_of_projects_is_404(client):
    assert client.get("/projects/no-such-project/").status_code == 404
    assert Page.objects.filter(slug="no-such-project").count() == 0
