"""Matchmaking: open offers that answer a project's needs (in its workspace, for its
coordinators) and what an organization seeks (on its admins' dashboard), each with its
reasons; requests, expired listings and one's own offers are not matches."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resources import matchmaking
from resources.permissions import viewer_for
from tests.factories import UserFactory
from tests.utils import approved_organization, approved_project

from .conftest import make_listing

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def project(cluster):
    coordinator = UserFactory(username="coordinator")
    page = approved_project(
        coordinator=coordinator,
        title="Youth media lab",
        needs=["projector", "van"],
    )
    page.coordinator = coordinator
    return page


def test_offers_matching_a_projects_needs_rank_with_reasons(cluster, project):
    projector = make_listing(cluster, title="Projector", kind="equipment", tags=["projector"])
    both = make_listing(
        cluster,
        title="Van with projector",
        kind="vehicle",
        tags=["projector", "van"],
    )
    make_listing(cluster, title="Chairs", kind="equipment", tags=["chairs"])
    make_listing(cluster, title="We need a projector", type="request", tags=["projector"])
    make_listing(
        cluster,
        title="Old projector",
        tags=["projector"],
        expires_on=timezone.localdate() + timedelta(days=1),
    )
    from resources.models import Listing

    Listing.objects.filter(title="Old projector").update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    matches = matchmaking.listings_for_project(viewer_for(project.coordinator), project)
    assert [m.listing for m in matches] == [both, projector]
    assert matches[0].tags == ["projector", "van"]
    assert matches[0].score == 20 and matches[1].score == 10


def test_the_workspace_shows_them_to_coordinators(cluster, project):
    make_listing(cluster, title="Projector", kind="equipment", tags=["projector"])
    url = reverse("portal:project_workspace", args=[project.pk])
    page = client_for(project.coordinator).get(url).content.decode()
    assert "Shared resources for the project" in page
    assert "Projector" in page and "offers projector" in page


def test_an_organizations_seeks_match_other_organizations_offers(cluster):
    admin = UserFactory(username="seeker")
    approved_organization(admin=admin, title="Seeker org", seeks=["van"])
    van = make_listing(cluster, title="Van", kind="vehicle", tags=["van"])
    make_listing(cluster, title="Room", tags=["room"])
    viewer = viewer_for(admin)
    found = matchmaking.listings_for_organizations(viewer, viewer.admin_ids)
    assert [m.listing for m in found] == [van]
    page = client_for(admin).get(reverse("portal:dashboard")).content.decode()
    assert "Offers for what your organizations seek" in page and "offers van" in page


def test_ones_own_offers_are_not_matches(cluster):
    services_org = approved_organization(admin=cluster.owner_admin, title="Second", seeks=["van"])
    make_listing(cluster, title="Our van", kind="vehicle", tags=["van"])
    viewer = viewer_for(cluster.owner_admin)
    assert services_org.pk in viewer.admin_ids
    assert matchmaking.listings_for_organizations(viewer, viewer.admin_ids) == []


def test_matching_costs_the_same_for_3_and_30_offers(cluster, django_assert_max_num_queries):
    admin = UserFactory(username="seeker")
    approved_organization(admin=admin, title="Seeker org", seeks=["van"])
    viewer = viewer_for(admin)
    for count in (3, 30):
        for number in range(count - (3 if count == 30 else 0)):
            make_listing(cluster, title=f"Van {count}-{number}", tags=["van"])
        with django_assert_max_num_queries(4):
            found = matchmaking.listings_for_organizations(viewer, viewer.admin_ids, limit=50)
        assert len(found) == count
