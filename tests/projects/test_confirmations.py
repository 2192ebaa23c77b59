"""Destructive actions ask first, on a page that needs no JavaScript: the list's button opens
the confirmation (GET changes nothing), whose form POSTs the action; refusals stay refusals."""

import re

import pytest

from partners.models import Invitation, Membership
from partners.services import invitation_create
from projects.models import Participation, TeamMembership
from tests.factories import UserFactory
from tests.utils import project_with_partner_on_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    coordinator = UserFactory(first_name="Clara", last_name="Vidal")
    member = UserFactory(first_name="Pau", last_name="Riera")
    project, partner, member = project_with_partner_on_team(coordinator=coordinator, member=member)
    partner_admin = partner.memberships.get(role="admin").user
    return project, partner, coordinator, member, partner_admin


def state():
    return (
        list(Membership.objects.order_by("pk").values_list("pk", "role")),
        list(Participation.objects.order_by("pk").values_list("pk", "status")),
        list(TeamMembership.objects.order_by("pk").values_list("pk", "is_coordinator")),
        list(Invitation.objects.order_by("pk").values_list("pk", "revoked_at")),
    )


def confirmation_form(html, url):
    """The confirmation page's one form: it posts to ``url`` with a CSRF token, no script."""
    assert "<script>" not in html and "onclick" not in html
    form = re.search(
        r'<form method="post" action="([^"]+)" class="actions">(.*?)</form>', html, re.S
    )
    assert form and form.group(1) == url
    assert "csrfmiddlewaretoken" in form.group(2)
    return form.group(2)


def cases(project, partner, member):
    participation = Participation.objects.get(project=project, organization=partner)
    base = f"/portal/projects/{project.pk}/team/{member.pk}"
    return {
        "team_remove": (f"{base}/remove/", "Remove Pau Riera from the team?"),
        "team_coordinator": (f"{base}/coordinator/", "Make Pau Riera a coordinator?"),
        "partner_remove": (
            f"/portal/projects/participations/{participation.pk}/remove/",
            f"Remove {partner.title} from",
        ),
    }


@pytest.mark.parametrize("case", ["team_remove", "team_coordinator", "partner_remove"])
def test_coordinator_is_asked_first_permitted(client, team, case):
    project, partner, coordinator, member, _ = team
    url, title = cases(project, partner, member)[case]
    client.force_login(coordinator)
    workspace = client.get(f"/portal/projects/{project.pk}/").content.decode()
    assert f'href="{url}"' in workspace  # the list's button leads to the question
    before = state()
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert title in html
    assert f'href="/portal/projects/{project.pk}/"' in html  # cancel goes back
    fields = confirmation_form(html, url)
    assert state() == before  # asking changed nothing
    data = dict(re.findall(r'name="(\w+)" value="([^"]*)"', fields))
    client.post(url, data)
    assert state() != before


@pytest.mark.parametrize("case", ["team_remove", "team_coordinator", "partner_remove"])
def test_others_get_no_confirmation_denied(client, team, case):
    project, partner, _, member, partner_admin = team
    url, _ = cases(project, partner, member)[case]
    client.force_login(member)  # on the team, not a coordinator
    assert client.get(url).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert client.get(url.replace(str(project.pk), "999999", 1)).status_code in (403, 404)


def test_removing_says_who_did_what(client, team):
    project, partner, coordinator, member, _ = team
    client.force_login(coordinator)
    response = client.post(f"/portal/projects/{project.pk}/team/{member.pk}/remove/", follow=True)
    said = " ".join(str(m) for m in response.context["messages"])
    assert "You took Pau Riera off the team." in said
    assert "left the team" not in said


def test_partner_admin_is_asked_before_leaving_permitted(client, team):
    project, partner, _, _, partner_admin = team
    participation = Participation.objects.get(project=project, organization=partner)
    url = f"/portal/projects/participations/{participation.pk}/leave/"
    client.force_login(partner_admin)
    before = state()
    html = client.get(url + f"?next={project.url}").content.decode()
    assert f"Take {partner.title} out of" in html
    fields = confirmation_form(html, url)
    assert f'name="next" value="{project.url}"' in fields
    assert state() == before
    response = client.post(url, {"next": project.url})
    assert response["Location"] == project.url
    participation.refresh_from_db()
    assert participation.status == "left"


def test_leaving_is_for_the_partner_admin_denied(client, team):
    project, partner, coordinator, member, _ = team
    participation = Participation.objects.get(project=project, organization=partner)
    client.force_login(member)
    assert (
        client.get(f"/portal/projects/participations/{participation.pk}/leave/").status_code == 403
    )


def test_organization_actions_ask_first_permitted(client, team):
    _, partner, _, member, partner_admin = team
    invitation = invitation_create(
        organization=partner, email="guest@example.org", invited_by=partner_admin
    )
    membership = Membership.objects.get(organization=partner, user=member)
    manage = f"/portal/organizations/{partner.pk}/"
    urls = {
        f"{manage}members/{membership.pk}/remove/": f"Remove Pau Riera from {partner.title}?",
        f"{manage}invitations/{invitation.pk}/revoke/": "Withdraw the invitation to guest@",
    }
    client.force_login(partner_admin)
    page = client.get(manage).content.decode()
    before = state()
    for url, title in urls.items():
        assert f'href="{url}"' in page
        html = client.get(url).content.decode()
        assert title in html
        confirmation_form(html, url)
    assert state() == before
    client.force_login(member)
    leave = f"{manage}leave/"
    assert f'href="{leave}"' in client.get(manage).content.decode()
    html = client.get(leave).content.decode()
    assert f"Leave {partner.title}?" in html
    confirmation_form(html, leave)
    assert state() == before
    client.post(leave)
    assert not Membership.objects.filter(organization=partner, user=member).exists()


def test_organization_actions_are_for_its_admins_denied(client, team):
    _, partner, _, member, partner_admin = team
    invitation = invitation_create(
        organization=partner, email="guest@example.org", invited_by=partner_admin
    )
    membership = Membership.objects.get(organization=partner, user=partner_admin)
    manage = f"/portal/organizations/{partner.pk}/"
    client.force_login(member)
    for url in (
        f"{manage}members/{membership.pk}/remove/",
        f"{manage}invitations/{invitation.pk}/revoke/",
    ):
        assert client.get(url).status_code == 403
    client.force_login(UserFactory())
    assert client.get(f"{manage}leave/").status_code in (403, 404)


def test_changing_a_members_role_asks_first_permitted(client, team):
    _, partner, _, member, partner_admin = team
    membership = Membership.objects.get(organization=partner, user=member)
    manage = f"/portal/organizations/{partner.pk}/"
    url = f"{manage}members/{membership.pk}/role/"
    client.force_login(partner_admin)
    page = client.get(manage).content.decode()
    # The role's menu and button lead to the question (a GET form), not to the change.
    assert re.search(rf'<form method="get" action="{url}" class="inline role-form">', page)
    before = state()
    html = client.get(url, {"role": "admin"}).content.decode()
    assert f"Make Pau Riera admin of {partner.title}?" in html
    assert f'href="{manage}"' in html  # cancel goes back
    fields = confirmation_form(html, url)
    assert 'name="role" value="admin"' in fields
    assert state() == before
    response = client.post(url, {"role": "admin"}, follow=True)
    said = " ".join(str(m) for m in response.context["messages"])
    assert "Pau Riera is now admin." in said
    membership.refresh_from_db()
    assert membership.role == "admin"


def test_changing_a_role_to_the_same_or_to_nothing_asks_nothing(client, team):
    _, partner, _, member, partner_admin = team
    membership = Membership.objects.get(organization=partner, user=member)
    url = f"/portal/organizations/{partner.pk}/members/{membership.pk}/role/"
    client.force_login(partner_admin)
    before = state()
    response = client.get(url, {"role": "member"}, follow=True)
    assert "Pau Riera is already member." in response.content.decode()
    response = client.get(url, {"role": "owner"}, follow=True)
    assert "Choose a role: admin or member." in response.content.decode()
    assert state() == before


def test_changing_a_role_is_for_the_organizations_admins_denied(client, team):
    _, partner, _, member, partner_admin = team
    membership = Membership.objects.get(organization=partner, user=partner_admin)
    url = f"/portal/organizations/{partner.pk}/members/{membership.pk}/role/"
    before = state()
    for someone in (member, UserFactory()):
        client.force_login(someone)
        assert client.get(url, {"role": "member"}).status_code == 403
    assert state() == before


@pytest.fixture
def invited(team):
    from partners.services import membership_add
    from projects.services import participation_invite
    from tests.utils import approved_organization

    project, _, coordinator, _, _ = team
    guest_admin = UserFactory(first_name="Bea", last_name="Roca")
    guest = approved_organization(admin=guest_admin, title="Coop Digital")
    guest_member = UserFactory()
    membership_add(organization=guest, user=guest_member)
    participation = participation_invite(project=project, organization=guest, user=coordinator)
    return participation, guest_admin, guest_member


def test_declining_an_invitation_asks_first_permitted(client, team, invited):
    participation, guest_admin, _ = invited
    url = f"/portal/projects/participations/{participation.pk}/decline/"
    client.force_login(guest_admin)
    dashboard = client.get("/portal/").content.decode()
    assert f'href="{url}?next=/portal/"' in dashboard  # the list's Decline leads to the question
    before = state()
    html = client.get(url, {"next": "/portal/"}).content.decode()
    assert f"Decline the invitation to “{participation.project.title}”?" in html
    assert 'href="/portal/"' in html  # cancel goes back
    fields = confirmation_form(html, url)
    assert 'name="next" value="/portal/"' in fields
    assert state() == before
    response = client.post(url, {"next": "/portal/"})
    assert response["Location"] == "/portal/"
    participation.refresh_from_db()
    assert participation.status == "declined"


def test_declining_is_for_the_invited_organizations_admins_denied(client, team, invited):
    participation, _, guest_member = invited
    _, _, coordinator, member, _ = team
    url = f"/portal/projects/participations/{participation.pk}/decline/"
    before = state()
    for someone in (guest_member, member, coordinator):
        client.force_login(someone)
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert state() == before
