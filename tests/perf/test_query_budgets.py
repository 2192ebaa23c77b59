"""Query budgets for the list pages not pinned elsewhere: the same SQL count at 3 and 60 rows.

Pinned in their apps' tests: both directories and their exports, the project and partner pages,
search, the projects and organizations dashboard panels, the chat dashboard panel, the workspace,
the API listings, the home page and the cluster impact page. Here: an organization's manage page
(members, pending invitations), the public impact report and its downloads, a map's working copy
in the portal (outcomes), the sitemap and the new-projects feed.

Measured on PostgreSQL: manage page 17 (18 with the links to the cards members show; more with
the capability profile's form and the role confirmations), report 3 (downloads 2), working copy
10 (more with the inputs and outcome figures other apps offer), sitemap 9, feed 3; each budget
leaves a little room, far less than one query per extra row.
"""

import pytest
from django.urls import reverse

from impact.models import ImpactMap
from partners.services import invitation_create, membership_add
from tests.factories import UserFactory
from tests.home.builders import many_published_projects
from tests.impact.helpers import build_map
from tests.utils import approved_organization, approved_project

pytestmark = pytest.mark.django_db

SIZES = (3, 60)


def _same_budget(client, django_assert_max_num_queries, budget, build):
    """For each size, ``build(size)`` makes the data and returns (url, user or None, text that
    must show ``size`` times at least, or a (text, times) pair); the request (after a warm-up
    one) runs under ``budget`` and the counts at both sizes must be equal."""
    counts = []
    for size in SIZES:
        url, user, text = build(size)
        text, times = text if isinstance(text, tuple) else (text, size)
        client.logout()
        if user is not None:
            client.force_login(user)
        client.get(url)
        with django_assert_max_num_queries(budget) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode("utf-8-sig").count(text) >= times
        counts.append(len(captured))
    assert counts[0] == counts[1], f"queries at {SIZES}: {counts}"


def test_organization_manage_page_with_members_and_invitations(
    client, django_assert_max_num_queries
):
    def build(size):
        admin = UserFactory()
        organization = approved_organization(admin=admin, title=f"Entitat amb {size}")
        for n in range(size):
            membership_add(organization=organization, user=UserFactory())
            invitation_create(
                organization=organization, email=f"guest{size}-{n}@example.org", invited_by=admin
            )
        url = reverse("portal:organization_manage", args=[organization.pk])
        return url, admin, "@example.org"

    _same_budget(client, django_assert_max_num_queries, 24, build)


@pytest.mark.parametrize("download", [None, "csv", "json"])
def test_public_impact_report_with_outcomes(client, django_assert_max_num_queries, download):
    def build(size):
        coordinator = UserFactory()
        project = approved_project(coordinator=coordinator, title=f"Report with {size}")
        build_map(project, coordinator, outcomes=size, publish=True)
        if download:
            args = [project.pk, ImpactMap.Kind.FORECAST, download]
            url = reverse("impact:report_download", args=args)
        else:
            url = reverse("impact:report", args=[project.pk])
        return url, None, "Indicator "

    _same_budget(client, django_assert_max_num_queries, 4, build)


def test_impact_working_copy_with_outcomes(client, django_assert_max_num_queries):
    def build(size):
        coordinator = UserFactory()
        project = approved_project(coordinator=coordinator, title=f"Working copy {size}")
        build_map(project, coordinator, outcomes=size)
        url = reverse("portal:impact_map", args=[project.pk, ImpactMap.Kind.FORECAST])
        return url, coordinator, "Indicator "

    _same_budget(client, django_assert_max_num_queries, 15, build)


@pytest.mark.parametrize("url, budget", [("/sitemap.xml", 12), ("/feeds/projects/", 5)])
def test_sitemap_and_feed_with_projects(
    client, django_assert_max_num_queries, url, budget, settings
):
    settings.PAGECACHE_ENABLED = False
    lead = approved_organization(title="Lead")
    made = [0]

    def build(size):
        many_published_projects(size - made[0], lead=lead, title=f"Listed {size}")
        made[0] = size
        # The feed shows the newest 30.
        return url, None, ("/projects/listed-", size if "sitemap" in url else min(size, 30))

    _same_budget(client, django_assert_max_num_queries, budget, build)
