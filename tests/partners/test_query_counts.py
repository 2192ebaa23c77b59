"""The same number of SQL queries for 3 and for 60 rows: directory, exports, partner page,
dashboard panel. Each page is requested once first, so that logo renditions exist (creating
a rendition is a one-off write, not part of the page's budget)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from partners import capabilities
from partners.models import PartnerPage
from partners.services import (
    invitation_create,
    membership_add,
    organization_apply,
    organization_approve,
)
from taxonomy.models import Region, Sector, SustainableDevelopmentGoal
from tests.factories import UserFactory
from tests.partners.helpers import png_upload
from tests.utils import editor

pytestmark = pytest.mark.django_db

# Measured (SQLite and PostgreSQL): directory 21-23, exports 16, partner page 14 (20 signed
# in), dashboard 5-6. Each bound leaves a little room (other apps' hook panels add their own
# queries) but less than one query per extra row would need: 12 cards against 3, 60 export
# rows against 3, 30 tags against 2, 60 dashboard rows against 6. Signed-in pages count the
# person's unread notifications once, for the site navigation.
DIRECTORY_QUERIES = 28
# 21: the capability terms' names (``partners.capabilities.terms``), read once from the page
# cache's memo, which this first request finds cold; constant in rows.
EXPORT_QUERIES = 21
# The capability profile adds two (its values and the territories served), whatever their number.
PARTNER_PAGE_QUERIES = 27
# 10, 1 for the unread-notifications badge, 1 for the knowledge panel (the person's
# communities), 1 for the resources panel (bookings waiting for my answer), 1 for the profile
# panel (what it still lacks), 1 for the person's open tasks (workspace), 1 for the
# training panel, 1 for the shared offers that answer the organizations' seeks (resources) and
# 1 for the volunteer roles of the organizations the person administers (volunteers); constant
# in rows.
DASHBOARD_QUERIES = 18


@pytest.fixture(scope="module")
def scale(module_db):
    """Region "small" holds 3 organizations, region "big" 60; two people with 6 and 60
    organizations on their dashboard; a profile with little and one with a lot."""
    reviewer = editor()
    sectors = [Sector.objects.create(name=f"Sector {n}", slug=f"sector-{n}") for n in range(16)]
    sdgs = list(SustainableDevelopmentGoal.objects.all())
    few_person, many_person = UserFactory(username="few"), UserFactory(username="many")
    inviter = UserFactory()
    organizations = {}
    for region_slug, size in (("small", 3), ("big", 60)):
        region = Region.objects.create(name=region_slug.title(), slug=region_slug)
        organizations[region_slug] = []
        for n in range(size):
            organization = organization_apply(
                user=inviter,
                title=f"Entitat {region_slug} {n}",
                kind="ngo" if n % 2 else "foundation",
                summary="Working together for social inclusion.",
                region=region,
                sectors=sectors[n % 3 : n % 3 + 2],
                sdgs=sdgs[n % 5 : n % 5 + 3],
                offers=[f"skill {n}", "mentoring"],
                seeks=["volunteers", f"resource {n}"],
                capabilities={
                    "service": ["training", "care"][: 1 + n % 2],
                    "target_group": ["youth"],
                    "language": ["ca", "es"],
                },
                territories=[region],
                staff_band="1-9",
                logo_file=png_upload(colour="#c5192d" if n % 2 else "#0b5d6b"),
                submit=False,  # published directly below: the review is not what is measured
            )
            organizations[region_slug].append(
                organization_approve(organization=organization, user=reviewer)
            )
    # "few" is in the 3 small ones and invited by 3 others; "many" is in 30 and invited by 30.
    big = organizations["big"]
    for person, joined, inviting in (
        (few_person, organizations["small"], big[:3]),
        (many_person, big[:30], big[30:]),
    ):
        for organization in joined:
            membership_add(organization=organization, user=person)
        for organization in inviting:
            invitation_create(organization=organization, email=person.email, invited_by=inviter)
    # One profile with a little, one with a lot.
    rich = organization_apply(
        user=inviter,
        title="Entitat plena",
        kind="cooperative",
        summary="Everything filled in.",
        sectors=sectors,
        sdgs=sdgs,
        offers=[f"offer {n}" for n in range(30)],
        seeks=[f"need {n}" for n in range(30)],
        capabilities={facet: list(capabilities.terms()[facet]) for facet in capabilities.FACETS},
        territories=list(Region.objects.all()),
        staff_band="250+",
        volunteer_band="250+",
        logo_file=png_upload(),
    )
    organization_approve(organization=rich, user=reviewer)
    return {
        "few": few_person.pk,
        "many": many_person.pk,
        "small_page": organizations["small"][0].url,
        "rich_page": PartnerPage.objects.get(pk=rich.pk).url,
    }


@pytest.mark.parametrize("region", ["small", "big"])
@pytest.mark.parametrize(
    "extra",
    [
        "",
        "&q=inclusion",
        "&kind=ngo&offers=mentoring&sdg=3",
        "&service=training&language=ca&served=big&served=small&staff=1-9&target_group=youth",
    ],
)
def test_directory_queries_do_not_grow_with_rows(
    client, scale, django_assert_max_num_queries, region, extra, settings
):
    # What rendering costs, not what the anonymous page cache saves.
    settings.PAGECACHE_ENABLED = False
    url = f"/partners/?region={region}{extra}"
    client.get(url)
    with django_assert_max_num_queries(DIRECTORY_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    shown = len(response.context["organizations"])
    assert shown >= (1 if region == "small" else 12) or extra


@pytest.mark.parametrize("region", ["small", "big"])
@pytest.mark.parametrize("export_format", ["json", "csv"])
def test_export_queries_do_not_grow_with_rows(
    client, scale, django_assert_max_num_queries, region, export_format
):
    url = f"/partners/?region={region}&format={export_format}"
    with django_assert_max_num_queries(EXPORT_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").count("Entitat ") == (
        3 if region == "small" else 60
    )


@pytest.mark.parametrize("page", ["small_page", "rich_page"])
@pytest.mark.parametrize("who", ["anonymous", "many"])
def test_partner_page_queries_do_not_grow(client, scale, django_assert_max_num_queries, page, who):
    if who != "anonymous":
        client.force_login(get_user_model().objects.get(pk=scale[who]))
    client.get(scale[page])
    with django_assert_max_num_queries(PARTNER_PAGE_QUERIES):
        response = client.get(scale[page])
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["few", "many"])
def test_dashboard_panel_queries_do_not_grow(client, scale, django_assert_max_num_queries, who):
    client.force_login(get_user_model().objects.get(pk=scale[who]))
    # Like the other pages: once first, so the process's one-off lookups (content types of
    # the panels' permission checks) are not counted as the page's.
    client.get(reverse("portal:dashboard"))
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("portal:dashboard"))
    html = response.content.decode()
    expected = 3 if who == "few" else 30
    assert html.count('<li class="card">') >= expected
    assert html.count("See the invitation") == expected
