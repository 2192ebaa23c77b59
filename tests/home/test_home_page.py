import pytest
from django.test import Client
from wagtail.models import Site

from home.models import HomePage, HomePageFeaturedProject
from projects.models import ProjectPage
from projects.services import project_propose
from taxonomy.models import SustainableDevelopmentGoal
from tests.factories import UserFactory
from tests.home.builders import (
    many_published_partners,
    many_published_projects,
    published_projects,
    standard_page,
)
from tests.utils import approved_organization, project_with_partner_on_team

pytestmark = pytest.mark.django_db


def _publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_editable_hero_and_body(client):
    about = standard_page("About the cluster")
    home = HomePage.objects.get()
    home.hero_heading = "Together for social innovation"
    home.intro = "<p>Organizations sharing people and know-how.</p>"
    home.hero_cta_label = "Learn more"
    home.hero_cta_page = about
    home.body = [
        ("call_to_action", {"title": "Join us", "button_label": "How to join", "page": about}),
        (
            "key_figures",
            {"heading": "In figures", "figures": [{"value": "85%", "label": "hired"}]},
        ),
    ]
    _publish(home)
    html = client.get("/").content.decode()
    assert '<h1 id="hero-title">Together for social innovation</h1>' in html
    assert "Organizations sharing people and know-how." in html
    assert '<a class="button" href="/about-the-cluster/">Learn more</a>' in html
    assert "<h2>Join us</h2>" in html
    assert "<strong>85%</strong> hired" in html


def test_featured_projects_in_editors_order_live_only(client):
    coordinator = UserFactory()
    first, second = published_projects(2, coordinator=coordinator, title="Featured")
    lead = first.lead_organization
    draft = project_propose(user=coordinator, lead_organization=lead, title="Draft featured")
    home = HomePage.objects.get()
    for order, project in enumerate([second, draft, first]):
        HomePageFeaturedProject.objects.create(page=home, project=project, sort_order=order)
    response = client.get("/")
    assert [p.title for p in response.context["featured_projects"]] == [
        "Featured 2",
        "Featured 1",
    ]
    assert "Draft featured" not in response.content.decode()


def test_key_figures_count_live_partners_active_projects_and_people(client):
    project, partner, member = project_with_partner_on_team()
    ProjectPage.objects.filter(pk=project.pk).update(status=ProjectPage.Status.ACTIVE)
    published_projects(1, title="Still an idea")  # another lead org, one more coordinator
    coordinator = UserFactory()
    lead = approved_organization(admin=coordinator)
    project_propose(user=coordinator, lead_organization=lead, title="A draft")  # not counted
    from partners.services import organization_apply

    organization_apply(user=UserFactory(), title="Pending org")  # a draft: not counted
    figures = client.get("/").context["key_figures"]
    # Partners: the project's lead, its partner, the idea's lead, the draft's lead.
    assert figures == {"partners": 4, "active_projects": 1, "people": 3}


def test_latest_projects_and_partners_are_live_and_newest_first(client):
    published_projects(3, title="Recent")
    organization_apply_user = UserFactory()
    from partners.services import organization_apply

    organization_apply(user=organization_apply_user, title="Unapproved org")
    context = client.get("/").context
    assert [p.title for p in context["latest_projects"]] == ["Recent 3", "Recent 2", "Recent 1"]
    assert "Unapproved org" not in [p.title for p in context["latest_partners"]]


@pytest.mark.parametrize("count", [3, 60])
def test_home_page_query_count_is_constant(count, django_assert_max_num_queries):
    lead = approved_organization(title="Lead")
    goals = list(SustainableDevelopmentGoal.objects.filter(number__in=[4, 8]))
    projects = many_published_projects(count, lead=lead, sdgs=goals, summary="Summary")
    many_published_partners(count, summary="A partner")
    home = HomePage.objects.get()
    for order, project in enumerate(projects[:6]):
        HomePageFeaturedProject.objects.create(page=home, project=project, sort_order=order)
    client = Client()
    # Warm Wagtail's site-root cache, as any running server has (not the anonymous page
    # cache: a cached page would run no query at all).
    Site.get_site_root_paths()
    # 16: with Wagtail's i18n, routing looks up the active locale and the head lists the
    # home page's translations (hreflang), one query each whatever the number of rows; one more
    # finds the directories in the page's language for its links.
    with django_assert_max_num_queries(17):
        response = client.get("/")
    assert response.status_code == 200
    assert len(response.context["featured_projects"]) == min(6, count)
    assert len(response.context["latest_partners"]) == 6 if count > 6 else count + 1
