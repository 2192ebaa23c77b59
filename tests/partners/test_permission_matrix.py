"""The organization rows of the permission matrix in DESIGN.md, one case per cell.

Roles are taken relative to the organization under test: ``member`` and ``admin`` are its own
people, ``other_admin`` runs another organization, ``coordinator`` coordinates a project led
by yet another organization. Each cell checks the HTTP outcome and, for writes, that the change
happened (permitted) or that nothing changed (denied).
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from partners import selectors
from partners.models import Invitation, Membership, PartnerPage
from partners.services import membership_add, organization_apply
from tests.factories import UserFactory
from tests.utils import approved_organization, approved_project, editor

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "no_org",
    "member",
    "admin",
    "other_admin",
    "coordinator",
    "editor",
    "superuser",
]


@pytest.fixture(scope="module")
def world(module_db):
    published_admin, published_member = UserFactory(), UserFactory()
    published = approved_organization(admin=published_admin, title="Fundació Oberta")
    membership_add(organization=published, user=published_member)
    draft_admin, draft_member = UserFactory(), UserFactory()
    draft = organization_apply(user=draft_admin, title="Associació en Revisió")
    membership_add(organization=draft, user=draft_member)
    other_admin = UserFactory()
    approved_organization(admin=other_admin, title="Cooperativa Veïna")
    coordinator = UserFactory()
    approved_project(coordinator=coordinator)
    return {
        "published": published.pk,
        "draft": draft.pk,
        "users": {
            "no_org": UserFactory().pk,
            "published": {"member": published_member.pk, "admin": published_admin.pk},
            "draft": {"member": draft_member.pk, "admin": draft_admin.pk},
            "other_admin": other_admin.pk,
            "coordinator": coordinator.pk,
            "editor": editor().pk,
            "superuser": UserFactory(is_superuser=True, is_staff=True).pk,
        },
    }


def _user(world, role, target):
    if role == "anonymous":
        return None
    users = world["users"]
    pk = users[target][role] if role in ("member", "admin") else users[role]
    return get_user_model().objects.get(pk=pk)


def _client_as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _anonymous_user():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# --- read published partner pages: yes for everyone -----------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_read_published_partner_page(client, world, role):
    organization = PartnerPage.objects.get(pk=world["published"])
    user = _user(world, role, "published")
    response = _client_as(client, user).get(organization.url)
    assert response.status_code == 200
    assert "Fundació Oberta" in response.content.decode()
    assert selectors.can_view_organization(user or _anonymous_user(), organization)


# --- read a draft (unapproved) page: own org's members and admins, editors, superusers ------

READ_DRAFT = {
    "anonymous": "login",
    "no_org": 404,
    "member": 200,
    "admin": 200,
    "other_admin": 404,
    "coordinator": 404,
    "editor": 200,
    "superuser": 200,
}


@pytest.mark.parametrize(("role", "expected"), READ_DRAFT.items())
def test_read_draft_organization(client, world, role, expected):
    organization = PartnerPage.objects.get(pk=world["draft"])
    user = _user(world, role, "draft")
    client = _client_as(client, user)
    for name in ("organization_preview", "organization_manage"):
        response = client.get(reverse(f"portal:{name}", args=[organization.pk]))
        if expected == "login":
            _assert_login_redirect(response)
        else:
            assert response.status_code == expected, name
    if expected == 200:
        assert "Associació en Revisió" in response.content.decode()
    assert selectors.can_view_organization(user or _anonymous_user(), organization) is (
        expected == 200
    )


@pytest.mark.parametrize("role", ROLES)
def test_draft_is_never_served_at_its_public_address(client, world, role):
    organization = PartnerPage.objects.get(pk=world["draft"])
    response = _client_as(client, _user(world, role, "draft")).get(
        f"/partners/{organization.slug}/"
    )
    assert response.status_code == 404


# --- apply to register an organization: anyone signed in ------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_apply_to_register_an_organization(client, world, role):
    user = _user(world, role, "published")
    client = _client_as(client, user)
    url = reverse("portal:organization_apply")
    before = PartnerPage.objects.count()
    page = client.get(url)
    response = client.post(url, {"title": f"Nova entitat {role}", "kind": "ngo", "summary": "S"})
    if role == "anonymous":
        _assert_login_redirect(page)
        _assert_login_redirect(response)
        assert PartnerPage.objects.count() == before
        return
    assert page.status_code == 200
    organization = PartnerPage.objects.get(title=f"Nova entitat {role}")
    assert response.status_code == 302
    assert response.url == reverse("portal:organization_manage", args=[organization.pk])
    assert not organization.live
    assert Membership.objects.get(organization=organization).user == user


# --- edit organization profile: own org's admins, editors, superusers -----------------------

EDIT = {
    "anonymous": "login",
    "no_org": 403,
    "member": 403,
    "admin": "ok",
    "other_admin": 403,
    "coordinator": 403,
    "editor": "ok",
    "superuser": "ok",
}


@pytest.mark.parametrize(("role", "expected"), EDIT.items())
def test_edit_organization_profile(client, world, role, expected):
    organization = PartnerPage.objects.get(pk=world["published"])
    user = _user(world, role, "published")
    revisions = organization.revisions.count()
    response = _client_as(client, user).post(
        reverse("portal:organization_manage", args=[organization.pk]),
        {"title": "Fundació Oberta", "kind": "foundation", "summary": f"Edited by {role}"},
    )
    organization.refresh_from_db()
    if expected == "ok":
        assert response.status_code == 302
        assert organization.summary == f"Edited by {role}"
        assert organization.live and organization.kind == "foundation"
        assert organization.revisions.count() == revisions + 1
    else:
        if expected == "login":
            _assert_login_redirect(response)
        else:
            assert response.status_code == expected
        assert organization.summary != f"Edited by {role}"
        assert organization.revisions.count() == revisions
    assert selectors.can_edit_organization(user or _anonymous_user(), organization) is (
        expected == "ok"
    )


# --- invite / remove members, change roles: own org's admins, superusers (not editors) -----

MANAGE = {
    "anonymous": "login",
    "no_org": 403,
    "member": 403,
    "admin": "ok",
    "other_admin": 403,
    "coordinator": 403,
    "editor": 403,
    "superuser": "ok",
}


@pytest.mark.parametrize(("role", "expected"), MANAGE.items())
def test_invite_members(
    client, world, role, expected, mailoutbox, django_capture_on_commit_callbacks
):
    organization = PartnerPage.objects.get(pk=world["published"])
    user = _user(world, role, "published")
    with django_capture_on_commit_callbacks(execute=True):
        response = _client_as(client, user).post(
            reverse("portal:organization_invite", args=[organization.pk]),
            {"email": "new.colleague@example.org", "role": "member"},
        )
    invited = Invitation.objects.filter(
        organization=organization, email="new.colleague@example.org"
    )
    if expected == "ok":
        assert response.status_code == 302
        assert invited.count() == 1
        assert [m.to for m in mailoutbox] == [["new.colleague@example.org"]]
    else:
        if expected == "login":
            _assert_login_redirect(response)
        else:
            assert response.status_code == expected
        assert not invited.exists()
        assert mailoutbox == []


@pytest.mark.parametrize(("role", "expected"), MANAGE.items())
def test_change_member_role(client, world, role, expected):
    organization = PartnerPage.objects.get(pk=world["published"])
    user = _user(world, role, "published")
    membership = Membership.objects.get(
        organization=organization, user_id=world["users"]["published"]["member"]
    )
    response = _client_as(client, user).post(
        reverse("portal:organization_member_role", args=[organization.pk, membership.pk]),
        {"role": "admin"},
    )
    membership.refresh_from_db()
    if expected == "ok":
        assert response.status_code == 302
        assert membership.role == "admin"
        assert selectors.can_manage_members(
            get_user_model().objects.get(pk=membership.user_id), organization
        )
    else:
        if expected == "login":
            _assert_login_redirect(response)
        else:
            assert response.status_code == expected
        assert membership.role == "member"


@pytest.mark.parametrize(("role", "expected"), MANAGE.items())
def test_remove_member(client, world, role, expected):
    organization = PartnerPage.objects.get(pk=world["published"])
    user = _user(world, role, "published")
    member_id = world["users"]["published"]["member"]
    membership = Membership.objects.get(organization=organization, user_id=member_id)
    url = reverse("portal:organization_member_remove", args=[organization.pk, membership.pk])
    response = _client_as(client, user).post(url)
    still_member = Membership.objects.filter(organization=organization, user_id=member_id)
    if expected == "ok":
        assert response.status_code == 302
        assert not still_member.exists()
        removed = get_user_model().objects.get(pk=member_id)
        assert not removed.has_perm("partners.view_partner_draft", organization)
        assert not removed.groups.filter(name__startswith=f"partner-{organization.pk}-").exists()
    else:
        if expected == "login":
            _assert_login_redirect(response)
        else:
            assert response.status_code == expected
        assert still_member.exists()
    assert selectors.can_manage_members(user or _anonymous_user(), organization) is (
        expected == "ok"
    )


# --- propose a project as lead organization: own org's admins, editors, superusers ----------

PROPOSE = {
    "anonymous": False,
    "no_org": False,
    "member": False,
    "admin": True,
    "other_admin": False,
    "coordinator": False,
    "editor": True,
    "superuser": True,
}


@pytest.mark.parametrize(("role", "expected"), PROPOSE.items())
def test_propose_project_as_lead_organization(world, role, expected):
    organization = PartnerPage.objects.get(pk=world["published"])
    user = _user(world, role, "published") or _anonymous_user()
    assert selectors.can_propose_project(user, organization) is expected
    assert (organization.pk in selectors.organization_ids_administered(user)) is (role == "admin")
