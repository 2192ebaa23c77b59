"""seed_scale at a small size: counts, consistency with the services' rules, routable pages."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Min
from django.test import Client
from wagtail.models import Page

from chat.models import ChatRoom, Message, ReadMarker
from partners.models import Membership, PartnerIndexPage, PartnerPage
from partners.permissions import organization_permissions_sync
from partners.selectors import can_edit_organization
from projects.models import Participation, ProjectIndexPage, ProjectPage, TeamMembership
from projects.permissions import project_permissions_sync
from projects.selectors import can_coordinate, can_enter_workspace
from scale.seed import BENCH_PROJECT_SLUG, USERNAME_PREFIX

pytestmark = pytest.mark.django_db

SIZE = {"organizations": 12, "projects": 25, "users": 80, "messages": 900, "big_room": 500}


@pytest.fixture
def seeded():
    call_command(
        "seed_scale",
        force=True,
        stdout=open("/dev/null", "w"),  # noqa: SIM115
        **SIZE,
    )


def test_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_scale", organizations=1, projects=1, users=1, messages=0)


def test_refuses_a_database_that_already_has_scale_data(seeded):
    with pytest.raises(CommandError, match="fresh database"):
        call_command("seed_scale", force=True, **SIZE)


def test_counts(seeded):
    assert PartnerPage.objects.count() == SIZE["organizations"]
    assert ProjectPage.objects.count() == SIZE["projects"]
    assert (
        get_user_model().objects.filter(username__startswith=USERNAME_PREFIX).count()
        == SIZE["users"]
    )
    assert Message.objects.count() == SIZE["messages"]
    assert Message.objects.filter(project__slug=BENCH_PROJECT_SLUG).count() == SIZE["big_room"]
    # Everyone belongs somewhere; every organization has an admin.
    assert Membership.objects.values("user").distinct().count() == SIZE["users"]
    assert not PartnerPage.objects.exclude(memberships__role=Membership.Role.ADMIN).exists()
    # Every project has its lead as an active participation, and a coordinator.
    assert Participation.objects.filter(role="lead", status="active").count() == SIZE["projects"]
    assert TeamMembership.objects.filter(is_coordinator=True).count() == SIZE["projects"]
    assert ReadMarker.objects.exists()


def test_tree_is_consistent(seeded):
    assert all(not problems for problems in Page.find_problems())
    assert PartnerIndexPage.objects.get().numchild == SIZE["organizations"]
    assert ProjectIndexPage.objects.get().numchild == SIZE["projects"]
    # Wagtail's own add_child keeps working after the bulk insert.
    from partners.services import organization_apply
    from tests.factories import UserFactory

    later = organization_apply(user=UserFactory(), title="Added afterwards")
    assert later.get_parent().pk == PartnerIndexPage.objects.get().pk
    assert all(not problems for problems in Page.find_problems())


def test_chat_seqs_are_contiguous_and_match_last_seq(seeded):
    per_project = Message.objects.values("project").annotate(
        low=Min("seq"), high=Max("seq"), count=Count("id")
    )
    rooms = dict(ChatRoom.objects.values_list("project_id", "last_seq"))
    assert per_project
    for row in per_project:
        assert row["low"] == 1
        assert row["high"] == row["count"]
        assert rooms[row["project"]] == row["high"]
    # Authors are on the team of the project they write in.
    teams = set(TeamMembership.objects.values_list("project_id", "user_id"))
    assert set(Message.objects.values_list("project_id", "author_id")) <= teams


def test_permissions_match_the_permissions_modules(seeded):
    for organization in PartnerPage.objects.all()[:6]:
        assert organization_permissions_sync(organization) == []
    for project in ProjectPage.objects.all()[:10]:
        assert project_permissions_sync(project) == []
    # And the selectors agree with the rows.
    User = get_user_model()
    admin = Membership.objects.filter(role="admin").select_related("organization").first()
    assert can_edit_organization(User.objects.get(pk=admin.user_id), admin.organization)
    coordinator = TeamMembership.objects.filter(is_coordinator=True).first()
    user = User.objects.get(pk=coordinator.user_id)
    assert can_coordinate(user, coordinator.project)
    member = TeamMembership.objects.filter(is_coordinator=False).first()
    assert can_enter_workspace(User.objects.get(pk=member.user_id), member.project)
    outsider = User.objects.exclude(team_memberships__project=member.project).first()
    assert not can_enter_workspace(outsider, member.project)


def test_pages_are_routable(seeded):
    client = Client()
    for model in (PartnerPage, ProjectPage):
        for page in model.objects.live()[:3]:
            response = client.get(page.url)
            assert response.status_code == 200, page.url
            assert page.title in response.content.decode()
    draft = ProjectPage.objects.filter(live=False).first()
    assert client.get(draft.get_url()).status_code == 404
    bench = ProjectPage.objects.get(slug=BENCH_PROJECT_SLUG)
    assert bench.url == f"/projects/{BENCH_PROJECT_SLUG}/"


def test_seeded_people_can_sign_in(seeded):
    from scale.seed import PASSWORD

    client = Client()
    response = client.post(
        "/accounts/login/", {"login": f"{USERNAME_PREFIX}000001", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/portal/").status_code == 200
