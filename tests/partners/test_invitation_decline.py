"""Declining an invitation to an organization: asked first on a page that works without
JavaScript, the link stops working, whoever invited is told; nobody else can decline it."""

import re

import pytest
from django.urls import reverse
from wagtail.models import PageLogEntry

from notifications.models import Notification
from partners import selectors
from partners.models import Invitation, Membership
from partners.services import invitation_accept, invitation_create
from tests.factories import UserFactory
from tests.utils import approved_organization

pytestmark = pytest.mark.django_db

DECLINED = "partners.invitation_declined"


@pytest.fixture
def invited():
    """An organization's admin (with a name) invited ``invitee`` by their address."""
    admin = UserFactory(first_name="Clara", last_name="Vidal")
    organization = approved_organization(admin=admin, title="Fundació Pont")
    invitee = UserFactory(first_name="Pau", last_name="Riera")
    invitation = invitation_create(
        organization=organization, email=invitee.email, invited_by=admin
    )
    return organization, admin, invitee, invitation


def _decline_url(invitation):
    return selectors.invitation_url(invitation, "organization_invitation_decline")


def _state(invitation):
    invitation.refresh_from_db()
    return (
        invitation.declined_at,
        Membership.objects.filter(organization=invitation.organization).count(),
        Notification.objects.filter(kind=DECLINED).count(),
    )


def test_the_invited_person_declines_after_a_confirmation(client, invited):
    organization, admin, invitee, invitation = invited
    client.force_login(invitee)
    before = _state(invitation)

    # One address, read once: a token made a second later differs (it carries its time).
    url = _decline_url(invitation)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Decline the invitation to join Fundació Pont?" in html
    assert "Clara Vidal, who invited you, is told" in html
    assert f'action="{url}"' in html and 'method="post"' in html
    assert _state(invitation) == before  # asking changes nothing

    response = client.post(_decline_url(invitation), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")
    assert "You declined the invitation to join Fundació Pont. Clara Vidal" in (
        response.content.decode()
    )
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    assert not organization.memberships.filter(user=invitee).exists()
    told = Notification.objects.get(user=admin, kind=DECLINED)
    assert told.title == "Pau Riera declined the invitation to join Fundació Pont"
    assert told.url == reverse("portal:organization_manage", args=[organization.pk])
    assert selectors.organization_invitations_pending(organization) == []
    entry = PageLogEntry.objects.filter(
        page_id=organization.pk, action="partners.invitation.decline"
    ).get()
    assert entry.user == invitee
    assert entry.message == f"The invitation to {invitee.email} was declined"
    # The link now says what happened, and joining through it is refused.
    accept = client.get(selectors.invitation_url(invitation))
    assert accept.status_code == 400 and "This invitation was declined" in accept.content.decode()
    with pytest.raises(Exception, match="declined"):
        invitation_accept(token=selectors.invitation_token(invitation), user=invitee)


def test_someone_without_an_account_declines_with_the_link(client, invited):
    organization, admin, _invitee, invitation = invited
    invitation_page = client.get(selectors.invitation_url(invitation)).content.decode()
    links = re.findall(r'"(/portal/organizations/invitations/[^"/]+/decline/)"', invitation_page)
    assert links and all(_names(link, invitation) for link in links)
    assert client.get(_decline_url(invitation)).status_code == 200

    response = client.post(_decline_url(invitation))
    assert response.status_code == 302 and response["Location"] == "/"
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    # Without an account, the address is who declined.
    told = Notification.objects.get(user=admin, kind=DECLINED)
    assert told.title.startswith(invitation.email)


def test_another_account_cannot_decline(client, invited):
    _organization, _admin, _invitee, invitation = invited
    client.force_login(UserFactory())
    before = _state(invitation)
    for response in (client.get(_decline_url(invitation)), client.post(_decline_url(invitation))):
        assert response.status_code == 400
        assert "Sign in with the account of the invited address" in response.content.decode()
    assert _state(invitation) == before


def test_a_used_or_withdrawn_or_forged_link_cannot_decline(client, invited):
    organization, admin, invitee, invitation = invited
    forged = reverse("portal:organization_invitation_decline", args=["not-a-token"])
    assert client.post(forged).status_code == 400
    invitation_accept(token=selectors.invitation_token(invitation), user=invitee)
    response = client.post(_decline_url(invitation))
    assert response.status_code == 400
    assert "already been used" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.declined_at is None
    assert organization.memberships.filter(user=invitee).exists()
    assert not Notification.objects.filter(kind=DECLINED).exists()


def test_declining_twice_is_refused(client, invited):
    _organization, _admin, invitee, invitation = invited
    client.force_login(invitee)
    client.post(_decline_url(invitation))
    first = Invitation.objects.get(pk=invitation.pk).declined_at
    response = client.post(_decline_url(invitation))
    assert response.status_code == 400
    assert Invitation.objects.get(pk=invitation.pk).declined_at == first
    assert Notification.objects.filter(kind=DECLINED).count() == 1


def test_the_dashboard_offers_to_decline_and_forgets_a_declined_invitation(client, invited):
    _organization, _admin, invitee, invitation = invited
    client.force_login(invitee)
    html = client.get(reverse("portal:dashboard")).content.decode()
    # The address is signed with a timestamp: the page's, made a second apart from one made
    # here, may differ in it; the invitation it names is what must match.
    links = re.findall(r'"(/portal/organizations/invitations/[^"/]+/decline/)"', html)
    assert links and all(_names(link, invitation) for link in links)
    assert 'aria-label="Decline the invitation of Fundació Pont"' in html
    client.post(links[0])
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert not re.findall(r"/portal/organizations/invitations/[^\"/]+/decline/", html)


def _payload(url):
    """The signed value of an invitation address, without its timestamp and signature."""
    return url.rstrip("/").split("/")[-2].split(":")[0]


def _names(link, invitation):
    """Whether the decline ``link`` is ``invitation``'s: the same signed payload."""
    return _payload(link) == _payload(_decline_url(invitation))


def test_the_organization_can_invite_the_address_again_after_a_decline(client, invited):
    organization, admin, invitee, invitation = invited
    client.force_login(invitee)
    client.post(_decline_url(invitation))
    again = invitation_create(organization=organization, email=invitee.email, invited_by=admin)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None  # it stays declined, not withdrawn
    assert selectors.organization_invitations_pending(organization) == [again]
