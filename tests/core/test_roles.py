"""The one definition of "editor" (core.roles), and what it lets a person see in the portal."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from core.roles import EDITORS_GROUP, is_editor
from home.permissions import EDITORS_GROUP as ADMIN_EDITORS_GROUP
from projects.services import project_propose
from tests.factories import UserFactory
from tests.utils import approved_organization

pytestmark = pytest.mark.django_db


def test_the_admin_and_the_portal_mean_the_same_group():
    assert ADMIN_EDITORS_GROUP == EDITORS_GROUP


@pytest.mark.parametrize(
    ("who", "expected"),
    [("moderator", True), ("superuser", True), ("stock_editors", False), ("nobody", False)],
)
def test_who_is_an_editor(who, expected):
    user = UserFactory(is_superuser=who == "superuser")
    if who == "moderator":
        user.groups.add(Group.objects.get_or_create(name=EDITORS_GROUP)[0])
    if who == "stock_editors":
        user.groups.add(Group.objects.get_or_create(name="Editors")[0])
    assert is_editor(user) is expected


def test_anonymous_is_not_an_editor():
    assert is_editor(AnonymousUser()) is False


@pytest.mark.parametrize(("group", "status"), [(EDITORS_GROUP, 200), ("Editors", 404)])
def test_only_the_editors_group_reads_a_draft_project(client, group, status):
    coordinator = UserFactory()
    lead = approved_organization(admin=coordinator)
    draft = project_propose(user=coordinator, lead_organization=lead, title="Barri Digital")
    reader = UserFactory()
    reader.groups.add(Group.objects.get_or_create(name=group)[0])
    client.force_login(reader)
    assert client.get(draft.url).status_code == status
