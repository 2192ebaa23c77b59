"""A small cluster for the CRM tests: an organization whose admin gives CRM roles to three of
its members (viewer, editor, exporter) and keeps one without a role; another organization whose
admin has every CRM role in their own; a person in no organization and a portal editor."""

from dataclasses import dataclass

import pytest

from crm import services
from partners.services import membership_add
from tests.factories import UserFactory
from tests.utils import approved_organization, editor


@dataclass
class Crm:
    org: object
    admin: object
    viewer: object
    crm_editor: object
    exporter: object
    plain: object
    other: object
    other_admin: object
    no_org: object
    editor: object
    superuser: object
    book: object
    contact: object
    other_contact: object


@pytest.fixture
def crm(db):
    admin = UserFactory(username="crm_admin")
    org = approved_organization(admin=admin, title="Our association")
    people = {}
    for name in ("viewer", "crm_editor", "exporter", "plain"):
        people[name] = UserFactory(username=name)
        membership_add(organization=org, user=people[name])
    for name, role in (("viewer", "viewer"), ("crm_editor", "editor"), ("exporter", "exporter")):
        services.crm_role_set(organization=org, user=people[name], role=role, by=admin)
    other_admin = UserFactory(username="crm_other_admin")
    other = approved_organization(admin=other_admin, title="Other association")
    services.crm_role_set(organization=other, user=other_admin, role="exporter", by=other_admin)
    book = services.book_get_or_create(org)
    contact = services.contact_create(
        book=book, name="Anna Puig", emails=["anna@example.org"], phones=["+34 600 000 001"]
    )
    other_contact = services.contact_create(
        book=services.book_get_or_create(other), name="Bernat Soler", emails=["b@example.org"]
    )
    return Crm(
        org=org,
        admin=admin,
        viewer=people["viewer"],
        crm_editor=people["crm_editor"],
        exporter=people["exporter"],
        plain=people["plain"],
        other=other,
        other_admin=other_admin,
        no_org=UserFactory(username="crm_no_org"),
        editor=editor(),
        superuser=UserFactory(username="crm_super", is_superuser=True, is_staff=True),
        book=book,
        contact=contact,
        other_contact=other_contact,
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded files waiting for their column mapping go to a folder of their own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
