"""The public API's list answers in a constant number of queries, whatever the rows."""

import pytest
from django.test import Client

from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from tests.home.builders import many_published_partners, many_published_projects
from tests.utils import approved_organization

pytestmark = pytest.mark.django_db

API = "/api/v2/pages/"


@pytest.mark.parametrize("count", [3, 60])
def test_list_query_counts_are_constant(count, django_assert_max_num_queries):
    region = Region.objects.create(name="Osona", slug="osona")
    sector = Sector.objects.create(name="Culture", slug="culture")
    goals = list(SustainableDevelopmentGoal.objects.filter(number__in=[1, 2]))
    lead = approved_organization(title="Lead")
    projects = many_published_projects(count, lead=lead, sdgs=goals, region=region)
    for project in projects:
        project.sectors.set([sector])
        project.needs.set(["Rooms"])
        project.save()
    many_published_partners(count, region=region)
    client = Client()
    client.get(API)  # warm Wagtail's site-root cache, as any running server has
    for params in (
        {"type": "projects.ProjectPage", "fields": "*", "limit": 20},
        {"type": "partners.PartnerPage", "fields": "*", "limit": 20},
        {"limit": 20},
    ):
        # 13: with Wagtail's i18n the API lists every locale's pages under the site root's
        # translations, which it looks up (three times) on each request whatever the number of
        # rows. 15: a partner's capability profile adds its values and its territories served,
        # one prefetch each.
        with django_assert_max_num_queries(15):
            response = client.get(API, params)
        assert response.status_code == 200
    assert response.json()["meta"]["total_count"] == 2 * count + 1
