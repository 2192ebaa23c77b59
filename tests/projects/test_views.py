"""Portal views: forms, messages, redirects; bad input gives a clear message, nothing changes."""

import pytest

from projects.models import Participation, ProjectPage, TeamMembership
from projects.services import participation_invite, participation_request
from taxonomy.models import SustainableDevelopmentGoal

pytestmark = pytest.mark.django_db


def form_data(world, **overrides):
    data = {
        "lead_organization": world.lead.pk,
        "title": "Repair cafés",
        "summary": "Neighbours fix things together.",
        "description": "First paragraph.\n\nSecond <b>paragraph</b>.",
        "status": "forming",
        "sdgs": [SustainableDevelopmentGoal.objects.get(number=n).pk for n in (11, 12)],
        "start_date": "2026-03-01",
        "end_date": "2026-12-31",
        "needs": "volunteers, tools, meeting rooms",
    }
    data.update(overrides)
    return data


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_propose_creates_a_draft_in_review(client, world):
    client.force_login(world.lead_admin)
    response = client.post("/portal/projects/new/", form_data(world))
    project = ProjectPage.objects.get(title="Repair cafés")
    assert response.status_code == 302
    assert response["Location"] == f"/portal/projects/{project.pk}/"
    assert not project.live
    assert project.status == "forming"
    assert project.proposer == world.lead_admin
    assert project.current_workflow_state.workflow.name == "Cluster review"
    assert sorted(t.name for t in project.needs.all()) == ["meeting rooms", "tools", "volunteers"]
    assert sorted(s.number for s in project.sdgs.all()) == [11, 12]
    html = "".join(str(block) for block in project.body)
    assert "&lt;b&gt;paragraph&lt;/b&gt;" in html  # typed text stays text
    row = TeamMembership.objects.get(project=project)
    assert (row.user, row.is_coordinator) == (world.lead_admin, True)


def test_propose_lead_choices_are_the_organizations_one_administers(client, world):
    client.force_login(world.lead_admin)
    html = client.get("/portal/projects/new/").content.decode()
    assert world.lead.title in html
    assert world.other.title not in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"start_date": "2026-05-01", "end_date": "2026-04-30"},
            "end_date",
            "The end date cannot be before the start date.",
        ),
        (
            {"lead_organization": "other"},
            "lead_organization",
            "You can only propose projects for an organization you administer.",
        ),
        ({"sdgs": ["999999"]}, "sdgs", "999999 is not one of the available choices."),
        ({"title": ""}, "title", "This field is required."),
        ({"status": "dreaming"}, "status", "Select a valid choice."),
    ],
)
def test_propose_bad_input(client, world, overrides, field, message):
    if overrides.get("lead_organization") == "other":
        overrides["lead_organization"] = world.other.pk
    client.force_login(world.lead_admin)
    before = ProjectPage.objects.count()
    response = client.post("/portal/projects/new/", form_data(world, **overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert ProjectPage.objects.count() == before


def test_propose_refuses_people_who_administer_no_organization(client, world):
    client.force_login(world.partner_member)
    response = client.get("/portal/projects/new/")
    assert response.status_code == 403
    assert "Only an admin of an approved organization" in response.content.decode()


def test_editor_proposes_on_behalf_of_an_organization(client, world):
    client.force_login(world.editor)
    response = client.post("/portal/projects/new/", form_data(world))
    project = ProjectPage.objects.get(title="Repair cafés")
    assert response["Location"] == project.url
    coordinators = set(
        TeamMembership.objects.filter(project=project, is_coordinator=True).values_list(
            "user__username", flat=True
        )
    )
    assert coordinators == {"coordinator", "lead_admin"}


def test_ask_to_join_form_only_for_admins_not_yet_involved(client, world):
    url = world.project.url
    assert "Ask to join" not in client.get(url).content.decode()
    for user in (world.no_org, world.other_member, world.partner_admin, world.coordinator):
        client.force_login(user)
        assert "Ask to join" not in client.get(url).content.decode(), user
    client.force_login(world.other_admin)
    assert "Ask to join" in client.get(url).content.decode()


def test_ask_to_join_from_the_project_page(client, world, mailoutbox):
    client.force_login(world.other_admin)
    response = client.post(
        f"/portal/projects/{world.project.pk}/request/",
        {"organization": world.other.pk, "message": "We have rooms.", "next": world.project.url},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == world.project.url
    assert "Your request was sent" in " ".join(messages_of(response))
    participation = Participation.objects.get(project=world.project, organization=world.other)
    assert (participation.status, participation.message) == ("requested", "We have rooms.")
    assert "is waiting for the coordinators" in response.content.decode()
    assert "Ask to join" not in response.content.decode()


def test_ask_to_join_for_an_organization_already_involved(client, world):
    participation_request(project=world.project, organization=world.other, user=world.other_admin)
    client.force_login(world.other_admin)
    before = list(Participation.objects.values_list("pk", "status", "message"))
    response = client.post(
        f"/portal/projects/{world.project.pk}/request/",
        {"organization": world.other.pk, "message": "Again"},
        follow=True,
    )
    assert "Your organization is already involved in this project." in messages_of(response)
    assert list(Participation.objects.values_list("pk", "status", "message")) == before


def test_ask_to_join_for_someone_elses_organization(client, world):
    client.force_login(world.other_admin)
    response = client.post(
        f"/portal/projects/{world.project.pk}/request/",
        {"organization": world.lead.pk},
        follow=True,
    )
    assert "You can only ask to join for an organization you administer." in messages_of(response)
    assert not Participation.objects.filter(project=world.project, status="requested").exists()


def test_ask_to_join_needs_an_organization(client, world):
    client.force_login(world.no_org)
    response = client.post(
        f"/portal/projects/{world.project.pk}/request/", {"organization": world.other.pk}
    )
    assert response.status_code == 403


def test_ask_to_join_a_draft_is_404(client, world):
    client.force_login(world.other_admin)
    response = client.post(
        f"/portal/projects/{world.draft.pk}/request/", {"organization": world.other.pk}
    )
    assert response.status_code == 404


def test_accepting_twice_over_http(client, world):
    invitation = participation_invite(
        project=world.project, organization=world.other, user=world.coordinator
    )
    client.force_login(world.other_admin)
    first = client.post(f"/portal/projects/participations/{invitation.pk}/accept/", follow=True)
    assert "is now a partner" in " ".join(messages_of(first))
    second = client.post(f"/portal/projects/participations/{invitation.pk}/accept/", follow=True)
    assert "This invitation or request has already been answered." in messages_of(second)
    invitation.refresh_from_db()
    assert invitation.status == "active"


def test_invitation_answered_from_the_dashboard(client, world):
    invitation = participation_invite(
        project=world.project, organization=world.other, user=world.coordinator
    )
    client.force_login(world.other_admin)
    dashboard = client.get("/portal/").content.decode()
    assert f"/portal/projects/participations/{invitation.pk}/decline/" in dashboard
    response = client.post(
        f"/portal/projects/participations/{invitation.pk}/decline/", {"next": "/portal/"}
    )
    assert response["Location"] == "/portal/"
    invitation.refresh_from_db()
    assert invitation.status == "declined"


def test_unsafe_next_is_ignored(client, world):
    invitation = participation_invite(
        project=world.project, organization=world.other, user=world.coordinator
    )
    client.force_login(world.other_admin)
    response = client.post(
        f"/portal/projects/participations/{invitation.pk}/accept/",
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == "/portal/"


def test_team_add_from_the_workspace(client, world):
    client.force_login(world.coordinator)
    membership = world.partner.memberships.get(user=world.partner_admin)
    response = client.post(
        f"/portal/projects/{world.project.pk}/team/add/",
        {"membership": membership.pk, "is_coordinator": "on"},
        follow=True,
    )
    assert "joined the team" in " ".join(messages_of(response))
    row = TeamMembership.objects.get(project=world.project, user=world.partner_admin)
    assert row.is_coordinator


def test_team_add_someone_outside_the_active_partners(client, world):
    client.force_login(world.coordinator)
    membership = world.other.memberships.get(user=world.other_member)
    before = list(TeamMembership.objects.values_list("pk", flat=True))
    response = client.post(
        f"/portal/projects/{world.project.pk}/team/add/",
        {"membership": membership.pk},
        follow=True,
    )
    assert "Only people of the project's active partners can join its team." in messages_of(
        response
    )
    assert list(TeamMembership.objects.values_list("pk", flat=True)) == before


def test_team_remove_and_coordinator_from_the_workspace(client, world):
    client.force_login(world.coordinator)
    base = f"/portal/projects/{world.project.pk}/team/{world.partner_member.pk}"
    client.post(f"{base}/coordinator/", {"is_coordinator": "1"})
    assert TeamMembership.objects.get(
        project=world.project, user=world.partner_member
    ).is_coordinator
    response = client.post(f"{base}/remove/", follow=True)
    name = world.partner_member.get_full_name()
    assert f"You took {name} off the team." in " ".join(messages_of(response))
    assert not TeamMembership.objects.filter(
        project=world.project, user=world.partner_member
    ).exists()
    last = client.post(
        f"/portal/projects/{world.project.pk}/team/{world.coordinator.pk}/remove/", follow=True
    )
    assert (
        "A project needs at least one coordinator: make someone else coordinator first."
        in messages_of(last)
    )


def test_team_actions_are_for_coordinators(client, world):
    client.force_login(world.partner_member)
    response = client.post(
        f"/portal/projects/{world.project.pk}/team/{world.coordinator.pk}/remove/"
    )
    assert response.status_code == 403
    assert TeamMembership.objects.filter(project=world.project, user=world.coordinator).exists()


def test_partner_leaves_from_the_project_page(client, world):
    client.force_login(world.partner_admin)
    page = client.get(world.project.url).content.decode()
    participation = Participation.objects.get(project=world.project, organization=world.partner)
    assert f"/portal/projects/participations/{participation.pk}/leave/" in page
    response = client.post(
        f"/portal/projects/participations/{participation.pk}/leave/",
        {"next": world.project.url},
    )
    assert response["Location"] == world.project.url
    participation.refresh_from_db()
    assert participation.status == "left"
    assert not TeamMembership.objects.filter(
        project=world.project, organization=world.partner
    ).exists()


def test_lead_cannot_leave_over_http(client, world):
    lead = Participation.objects.get(project=world.project, organization=world.lead)
    client.force_login(world.coordinator)
    response = client.post(f"/portal/projects/participations/{lead.pk}/leave/", follow=True)
    assert "The lead organization cannot leave its own project." in messages_of(response)
    lead.refresh_from_db()
    assert lead.status == "active"


def test_member_cannot_take_the_organization_out(client, world):
    participation = Participation.objects.get(project=world.project, organization=world.partner)
    client.force_login(world.partner_member)
    response = client.post(f"/portal/projects/participations/{participation.pk}/leave/")
    assert response.status_code == 403
    participation.refresh_from_db()
    assert participation.status == "active"


def test_coordinator_removes_a_partner_over_http(client, world):
    participation = Participation.objects.get(project=world.project, organization=world.partner)
    client.force_login(world.coordinator)
    client.post(f"/portal/projects/participations/{participation.pk}/remove/")
    participation.refresh_from_db()
    assert participation.status == "left"
    assert not TeamMembership.objects.filter(
        project=world.project, user=world.partner_member
    ).exists()


def test_invite_from_matchmaking_results(client, world):
    world.other.offers.add("mentoring")
    world.other.save_revision().publish()
    project = world.project
    project.needs.add("mentoring")
    project.save_revision().publish()
    client.force_login(world.coordinator)
    html = client.get(f"/portal/projects/{project.pk}/").content.decode()
    assert "Organizations that offer what you need" in html
    assert world.other.title in html.split("Organizations that offer what you need")[1]
    client.post(f"/portal/projects/{project.pk}/invite/", {"organization": world.other.pk})
    assert Participation.objects.get(project=project, organization=world.other).status == (
        "invited"
    )


def test_workspace_hook_panels_are_rendered(client, world):
    from django.utils.html import format_html
    from wagtail import hooks

    def panel(request, project):
        # Hooks return rendered, safe HTML (render_to_string / format_html), as for /portal/.
        return format_html("<section id='hooked'>panel for {}</section>", project.pk)

    with hooks.register_temporarily("project_workspace_panels", panel):
        client.force_login(world.coordinator)
        html = client.get(f"/portal/projects/{world.project.pk}/").content.decode()
    assert f"<section id='hooked'>panel for {world.project.pk}</section>" in html


def test_workspace_shows_pending_answers(client, world):
    participation_request(
        project=world.project, organization=world.other, user=world.other_admin, message="Hi!"
    )
    client.force_login(world.coordinator)
    html = client.get(f"/portal/projects/{world.project.pk}/").content.decode()
    assert "Requests to join" in html
    assert "Hi!" in html
    request = Participation.objects.get(project=world.project, organization=world.other)
    assert f"/portal/projects/participations/{request.pk}/accept/" in html
    # A plain team member sees the request but cannot answer it.
    client.force_login(world.partner_member)
    html = client.get(f"/portal/projects/{world.project.pk}/").content.decode()
    assert "Requests to join" in html
    assert f"/portal/projects/participations/{request.pk}/accept/" not in html
