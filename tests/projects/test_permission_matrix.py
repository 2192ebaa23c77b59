"""Every cell of the project rows of the permission matrix in DESIGN.md, over HTTP.

Columns: anonymous, signed-in without organization, member of an organization, admin of an
organization, project coordinator, editor, superuser. "Own org's" and "if on that team" cells
are tested on both sides (own / other, on / off the team). The chat row (deleting others'
messages) belongs to the chat consumer's tests.
"""

import pytest

from projects.models import Participation, ProjectPage
from projects.services import participation_request, team_add

pytestmark = pytest.mark.django_db

LOGIN = "login"


def _client_for(client, world, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def _assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


ALL_ROLES = [
    "anonymous",
    "no_org",
    "partner_member",
    "other_member",
    "other_admin",
    "coordinator",
    "editor",
    "superuser",
]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_read_published_project_page(client, world, role):
    response = _client_for(client, world, role).get(world.project.url)
    _assert_outcome(response, 200)
    assert world.project.title in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 404),
        ("no_org", 404),
        ("lead_member", 200),  # member: own organization's draft
        ("other_member", 404),  # member: another organization's draft
        ("lead_admin", 200),  # admin: own organization's draft
        ("other_admin", 404),
        ("partner_member", 404),  # on another project's team, not this draft's
        ("coordinator", 200),
        ("editor", 200),
        ("superuser", 200),
    ],
)
def test_read_draft_project_page(client, world, role, expected):
    response = _client_for(client, world, role).get(world.draft.get_url())
    _assert_outcome(response, expected)
    if expected == 200:
        assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", LOGIN),
        ("no_org", 403),
        ("lead_member", 403),
        ("lead_admin", 200),
        ("editor", 200),
        ("superuser", 200),
    ],
)
def test_propose_project_form(client, world, role, expected):
    response = _client_for(client, world, role).get("/portal/projects/new/")
    _assert_outcome(response, expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", LOGIN),
        ("no_org", 403),
        ("lead_member", 403),
        ("lead_admin", 302),
        ("editor", 302),
        ("superuser", 302),
    ],
)
def test_propose_project_submit(client, world, role, expected):
    before = ProjectPage.objects.count()
    response = _client_for(client, world, role).post(
        "/portal/projects/new/",
        {
            "lead_organization": world.lead.pk,
            "title": "Repair cafés in every district",
            "summary": "Neighbours fix things together.",
            "status": "idea",
        },
    )
    _assert_outcome(response, expected)
    created = ProjectPage.objects.filter(title="Repair cafés in every district")
    if expected == 302:
        project = created.get()
        assert not project.live
        assert project.current_workflow_state is not None
    else:
        assert ProjectPage.objects.count() == before


INVITE_ROLES = [
    ("anonymous", LOGIN),
    ("no_org", 403),
    ("partner_member", 403),  # member of an organization, on the team
    ("other_admin", 403),  # admin of an organization
    ("lead_admin", 403),  # admin of the lead organization, not a coordinator
    ("coordinator", 302),
    ("editor", 403),
    ("superuser", 302),
]


@pytest.mark.parametrize(("role", "expected"), INVITE_ROLES)
def test_invite_partner(client, world, role, expected):
    response = _client_for(client, world, role).post(
        f"/portal/projects/{world.project.pk}/invite/", {"organization": world.other.pk}
    )
    _assert_outcome(response, expected)
    invited = Participation.objects.filter(
        project=world.project, organization=world.other, status="invited"
    ).exists()
    assert invited == (expected == 302)


@pytest.mark.parametrize("action", ["accept", "decline"])
@pytest.mark.parametrize(("role", "expected"), INVITE_ROLES)
def test_answer_join_request(client, world, role, expected, action):
    request = participation_request(
        project=world.project, organization=world.other, user=world.other_admin
    )
    response = _client_for(client, world, role).post(
        f"/portal/projects/participations/{request.pk}/{action}/"
    )
    _assert_outcome(response, expected)
    request.refresh_from_db()
    if expected == 302:
        assert request.status == ("active" if action == "accept" else "declined")
    else:
        assert request.status == "requested"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", LOGIN),
        ("no_org", 404),
        ("partner_member", 200),  # member, on that team
        ("lead_member", 404),  # member, not on that team
        ("other_member", 404),
        ("partner_admin", 404),  # admin, not on that team
        ("lead_admin_on_team", 200),  # admin, on that team
        ("other_admin", 404),
        ("coordinator", 200),
        ("editor", 404),
        ("superuser", 200),
    ],
)
def test_enter_workspace(client, world, role, expected):
    if role == "lead_admin_on_team":
        team_add(project=world.project, user=world.lead_admin, organization=world.lead)
        role = "lead_admin"
    response = _client_for(client, world, role).get(f"/portal/projects/{world.project.pk}/")
    _assert_outcome(response, expected)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", LOGIN),
        ("lead_admin", 404),
        ("editor", 404),
        ("coordinator", 200),
        ("superuser", 200),
    ],
)
def test_enter_draft_workspace(client, world, role, expected):
    response = _client_for(client, world, role).get(f"/portal/projects/{world.draft.pk}/")
    _assert_outcome(response, expected)


def test_unknown_workspace_is_404(client, world):
    client.force_login(world.superuser)
    assert client.get("/portal/projects/999999/").status_code == 404
