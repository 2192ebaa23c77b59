"""Who may open each door of the CRM: every view permitted and denied, other organizations'
admins, portal editors and superusers refused, and access ending with the membership."""

import pytest
from django.urls import reverse

from crm import services
from crm.models import Contact, ContactImport, CrmRole
from crm.permissions import access_for
from partners.models import Membership
from partners.services import membership_leave, membership_remove

pytestmark = pytest.mark.django_db

LIST_DOORS = [
    ("crm_contact_list", "viewer"),
    ("crm_contact_create", "crm_editor"),
    ("crm_duplicates", "crm_editor"),
    ("crm_import", "crm_editor"),
    ("crm_export", "exporter"),
    ("crm_retention", "crm_editor"),
    ("crm_roles", "admin"),
]
CONTACT_DOORS = [
    ("crm_contact_detail", "viewer"),
    ("crm_contact_edit", "crm_editor"),
    ("crm_contact_data", "exporter"),
]

# Who is the least that may, and who may not, per needed access.
DENIED = {
    "viewer": ["plain", "admin", "other_admin", "no_org", "editor", "superuser"],
    "crm_editor": ["viewer", "plain", "admin", "other_admin", "no_org", "editor", "superuser"],
    "exporter": ["viewer", "crm_editor", "plain", "other_admin", "editor", "superuser"],
    "admin": ["viewer", "crm_editor", "exporter", "plain", "other_admin", "editor", "superuser"],
}


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(("name", "least"), LIST_DOORS)
def test_book_doors_permitted(client, crm, name, least):
    url = reverse(f"portal:{name}", args=[crm.org.pk])
    assert _get(client, getattr(crm, least), url).status_code == 200


@pytest.mark.parametrize(("name", "least"), LIST_DOORS)
def test_book_doors_denied(client, crm, name, least):
    url = reverse(f"portal:{name}", args=[crm.org.pk])
    for role in DENIED[least]:
        assert _get(client, getattr(crm, role), url).status_code == 403, role
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(("name", "least"), CONTACT_DOORS)
def test_contact_doors_permitted(client, crm, name, least):
    url = reverse(f"portal:{name}", args=[crm.org.pk, crm.contact.pk])
    assert _get(client, getattr(crm, least), url).status_code == 200


@pytest.mark.parametrize(("name", "least"), CONTACT_DOORS)
def test_contact_doors_denied(client, crm, name, least):
    url = reverse(f"portal:{name}", args=[crm.org.pk, crm.contact.pk])
    for role in DENIED[least]:
        assert _get(client, getattr(crm, role), url).status_code == 403, role


def _pending_import(crm):
    return ContactImport.objects.create(
        book=crm.book, by=crm.crm_editor, file_name="a.csv", header=["name"], mapping=["name"]
    )


def test_import_detail_permitted_and_denied(client, crm):
    url = reverse("portal:crm_import_detail", args=[crm.org.pk, _pending_import(crm).pk])
    assert _get(client, crm.crm_editor, url).status_code == 200
    for role in DENIED["crm_editor"]:
        assert _get(client, getattr(crm, role), url).status_code == 403, role
        client.force_login(getattr(crm, role))
        assert client.post(url, {"discard": "1"}).status_code == 403, role
    assert ContactImport.objects.count() == 1


def test_another_books_import_is_not_found(client, crm):
    theirs = ContactImport.objects.create(
        book=services.book_get_or_create(crm.other), file_name="b.csv", header=["name"]
    )
    url = reverse("portal:crm_import_detail", args=[crm.org.pk, theirs.pk])
    assert _get(client, crm.crm_editor, url).status_code == 404
    url = reverse("portal:crm_import_detail", args=[crm.other.pk, _pending_import(crm).pk])
    assert _get(client, crm.other_admin, url).status_code == 404


def test_other_organizations_admin_gets_403_on_our_book(client, crm):
    url = reverse("portal:crm_contact_detail", args=[crm.org.pk, crm.contact.pk])
    response = _get(client, crm.other_admin, url)
    assert response.status_code == 403
    assert b"Anna" not in response.content


def test_other_organizations_admin_gets_404_through_their_own_book(client, crm):
    """Their own CRM does not know our contact: same answer as a contact that never was."""
    for name in ("crm_contact_detail", "crm_contact_edit", "crm_contact_data"):
        url = reverse(f"portal:{name}", args=[crm.other.pk, crm.contact.pk])
        assert _get(client, crm.other_admin, url).status_code == 404


def test_merging_another_books_contact_is_404_and_changes_nothing(client, crm):
    client.force_login(crm.other_admin)
    url = reverse("portal:crm_merge", args=[crm.other.pk])
    response = client.post(url, {"keep": crm.other_contact.pk, "other": crm.contact.pk})
    assert response.status_code == 404
    assert Contact.objects.filter(pk=crm.contact.pk).exists()


POSTS = [
    (
        "crm_contact_consent",
        {
            "purpose": "newsletter",
            "channel": "email",
            "status": "granted",
            "legal_basis": "consent",
        },
    ),
    ("crm_contact_withdraw", {"purpose": "newsletter", "channel": "email"}),
    ("crm_contact_interaction", {"kind": "call", "summary": "Called"}),
    ("crm_contact_anonymise", {}),
    ("crm_contact_relationship", {"kind": "household", "other": "SIBLING"}),
]


def _state(contact):
    contact.refresh_from_db()
    return (
        contact.relationships.count(),
        contact.name,
        contact.anonymised_at,
        contact.consents.count(),
        contact.interactions.count(),
    )


def _data(crm, data):
    if data.get("other") == "SIBLING":
        sibling = services.contact_create(book=crm.book, name="Sibling")
        return {**data, "other": sibling.pk}
    return data


@pytest.mark.parametrize(("name", "data"), POSTS)
def test_contact_posts_permitted(client, crm, name, data):
    data = _data(crm, data)
    before = _state(crm.contact)
    client.force_login(crm.crm_editor)
    response = client.post(reverse(f"portal:{name}", args=[crm.org.pk, crm.contact.pk]), data)
    assert response.status_code == 302
    assert _state(crm.contact) != before


@pytest.mark.parametrize(("name", "data"), POSTS)
def test_contact_posts_denied(client, crm, name, data):
    data = _data(crm, data)
    before = _state(crm.contact)
    url = reverse(f"portal:{name}", args=[crm.org.pk, crm.contact.pk])
    for role in ("viewer", "plain", "admin", "other_admin", "no_org", "editor", "superuser"):
        client.force_login(getattr(crm, role))
        assert client.post(url, data).status_code == 403, role
    client.logout()
    assert client.post(url, data).status_code == 302
    assert _state(crm.contact) == before
    assert client.get(url).status_code == 302  # POST only: anonymous first meet the sign-in


def test_merge_permitted_and_denied(client, crm):
    twin = services.contact_create(book=crm.book, name="Anna Puig")
    url = reverse("portal:crm_merge", args=[crm.org.pk])
    data = {"keep": crm.contact.pk, "other": twin.pk}
    for role in ("viewer", "plain", "admin", "other_admin", "editor", "superuser"):
        client.force_login(getattr(crm, role))
        assert client.post(url, data).status_code == 403, role
    assert Contact.objects.filter(pk=twin.pk).exists()
    client.force_login(crm.crm_editor)
    assert client.post(url, data).status_code == 302
    assert not Contact.objects.filter(pk=twin.pk).exists()


def test_admin_gives_and_takes_roles(client, crm):
    client.force_login(crm.admin)
    url = reverse("portal:crm_roles", args=[crm.org.pk])
    client.post(url, {"user": crm.plain.pk, "role": "viewer"})
    assert access_for(crm.plain, crm.org).view
    client.post(url, {"user": crm.plain.pk, "role": ""})
    assert not access_for(crm.plain, crm.org).view
    # Someone outside the organization is not a choice: nothing stored.
    response = client.post(url, {"user": crm.no_org.pk, "role": "viewer"})
    assert response.status_code == 200
    assert not CrmRole.objects.filter(user=crm.no_org).exists()


def test_roles_post_denied(client, crm):
    url = reverse("portal:crm_roles", args=[crm.org.pk])
    for role in ("exporter", "other_admin", "editor", "superuser"):
        client.force_login(getattr(crm, role))
        assert client.post(url, {"user": crm.plain.pk, "role": "exporter"}).status_code == 403
    assert not CrmRole.objects.filter(user=crm.plain).exists()


def test_only_members_may_hold_a_role(crm):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.crm_role_set(organization=crm.org, user=crm.other_admin, role="viewer")


def test_removed_member_loses_crm_access(client, crm, django_capture_on_commit_callbacks):
    url = reverse("portal:crm_contact_list", args=[crm.org.pk])
    assert _get(client, crm.exporter, url).status_code == 200
    membership = Membership.objects.get(organization=crm.org, user=crm.exporter)
    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(membership=membership, user=crm.admin)
    assert not CrmRole.objects.filter(user=crm.exporter).exists()
    assert not crm.exporter.groups.filter(name__startswith="crm-").exists()
    assert _get(client, crm.exporter, url).status_code == 403


def test_member_who_leaves_loses_crm_access(client, crm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        membership_leave(organization=crm.org, user=crm.viewer)
    assert not CrmRole.objects.filter(user=crm.viewer).exists()
    url = reverse("portal:crm_contact_list", args=[crm.org.pk])
    assert _get(client, crm.viewer, url).status_code == 403


def test_a_stale_grant_gives_nothing_without_the_membership(crm):
    """Even if a grant outlived the membership (say a receiver failed), access needs both."""
    Membership.objects.filter(organization=crm.org, user=crm.viewer).delete()
    assert CrmRole.objects.filter(user=crm.viewer).exists()
    assert access_for(crm.viewer, crm.org) == access_for(crm.no_org, crm.org)


def test_unknown_contact_is_404(client, crm):
    client.force_login(crm.viewer)
    url = reverse("portal:crm_contact_detail", args=[crm.org.pk, 2**31 - 1])
    assert client.get(url).status_code == 404


def test_segments_permitted_and_denied(client, crm):
    url = reverse("portal:crm_segments", args=[crm.org.pk])
    data = {"name": "Newsletter", "purpose": "newsletter", "channel": "email"}
    for role in ("viewer", "plain", "admin", "other_admin", "editor", "superuser"):
        client.force_login(getattr(crm, role))
        assert client.post(url, data).status_code == 403, role
    assert not crm.book.segments.exists()
    assert client.get(url).status_code == 403  # superuser, last
    client.force_login(crm.viewer)
    assert client.get(url).status_code == 200
    client.force_login(crm.crm_editor)
    response = client.post(url, data)
    segment = crm.book.segments.get()
    assert response.status_code == 302
    detail = reverse("portal:crm_segment_detail", args=[crm.org.pk, segment.pk])
    client.force_login(crm.viewer)
    assert client.get(detail).status_code == 200
    for role in ("plain", "other_admin", "editor", "superuser"):
        client.force_login(getattr(crm, role))
        assert client.get(detail).status_code == 403, role
    client.force_login(crm.other_admin)
    own_url = reverse("portal:crm_segment_detail", args=[crm.other.pk, segment.pk])
    assert client.get(own_url).status_code == 404


def test_relationship_to_another_books_contact_is_refused(client, crm):
    client.force_login(crm.crm_editor)
    url = reverse("portal:crm_contact_relationship", args=[crm.org.pk, crm.contact.pk])
    client.post(url, {"kind": "household", "other": crm.other_contact.pk})
    assert not crm.contact.relationships.exists()
