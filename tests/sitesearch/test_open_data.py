"""Sitemap, robots.txt, the Atom feed of new projects, and meta / Open Graph tags."""

import re
import xml.etree.ElementTree as ET

import pytest

from projects.services import project_propose
from tests.factories import UserFactory
from tests.home.builders import published_projects, standard_page
from tests.utils import approved_organization

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_lists_live_pages_only(client):
    coordinator = UserFactory()
    lead = approved_organization(admin=coordinator, title="Fundació Pont")
    published_projects(1, lead=lead, coordinator=coordinator, title="Digital skills")
    project_propose(user=coordinator, lead_organization=lead, title="Draft plan")
    standard_page("About")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = {el.text for el in ET.fromstring(response.content).iter(f"{SITEMAP}loc")}
    # Page URLs come from the Wagtail Site record (Settings > Sites), here "localhost". Partner
    # and project pages are served in every language; the others are English only until
    # an editor translates them.
    assert locations == {
        "http://localhost/",
        "http://localhost/partners/",
        "http://localhost/projects/",
        "http://localhost/knowledge/",  # the knowledge base exists from installation
        "http://localhost/about/",
        *(
            f"http://localhost{prefix}/{path}/"
            for prefix in ("", "/es", "/ca")
            for path in ("partners/fundacio-pont", "projects/digital-skills")
        ),
    }


XHTML = "{http://www.w3.org/1999/xhtml}"


def _sitemap(client, **headers):
    response = client.get("/sitemap.xml", **headers)
    assert response.status_code == 200
    return {
        url.find(f"{SITEMAP}loc").text: {
            link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")
        }
        for url in ET.fromstring(response.content).iter(f"{SITEMAP}url")
    }


def test_sitemap_lists_every_language_with_hreflang_alternates(client):
    from wagtail.models import Locale

    from home.models import HomePage

    coordinator = UserFactory()
    lead = approved_organization(admin=coordinator, title="Fundació Pont")
    home = HomePage.objects.get()
    about = standard_page("About")
    spanish = home.copy_for_translation(Locale.objects.get(language_code="es"))
    spanish.save_revision().publish()
    catalan = about.copy_for_translation(Locale.objects.get(language_code="ca"), copy_parents=True)
    catalan.title = "Qui som"
    catalan.save_revision().publish()
    # The same sitemap whatever language the crawler's browser asks for.
    entries = _sitemap(client, HTTP_ACCEPT_LANGUAGE="ca")
    assert entries == _sitemap(client, HTTP_ACCEPT_LANGUAGE="en")

    home_versions = {
        "en": "http://localhost/",
        "es": "http://localhost/es/",
        "ca": "http://localhost/ca/",
        "x-default": "http://localhost/",
    }
    for language in ("en", "es", "ca"):
        assert entries[home_versions[language]] == home_versions
    about_url = catalan.get_full_url()
    assert about_url.startswith("http://localhost/ca/")
    assert (
        entries[about_url]
        == entries["http://localhost/about/"]
        == {
            "en": "http://localhost/about/",
            "ca": about_url,
            "x-default": "http://localhost/about/",
        }
    )
    partner = lead.get_full_url()
    versions = {
        "en": partner,
        "es": partner.replace("localhost/", "localhost/es/"),
        "ca": partner.replace("localhost/", "localhost/ca/"),
        "x-default": partner,
    }
    for language in ("en", "es", "ca"):
        assert entries[versions[language]] == versions
    # A page with one version has no alternates.
    assert entries["http://localhost/projects/"] == {}


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_private_areas(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/portal/", "/accounts/", "/search/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_atom_feed_of_new_projects(client):
    coordinator = UserFactory()
    lead = approved_organization(admin=coordinator, title="Fundació Pont")
    published_projects(
        2, lead=lead, coordinator=coordinator, title="Coding club", summary="Teens code."
    )
    project_propose(user=coordinator, lead_organization=lead, title="Secret draft")
    response = client.get("/feeds/projects/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Coding club 2", "Coding club 1"]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == "http://testserver/projects/coding-club-2/"
    assert first.find(f"{ATOM}summary").text == "Teens code."
    assert first.find(f"{ATOM}author/{ATOM}name").text == "Fundació Pont"
    assert b"Secret draft" not in response.content


def _meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def test_every_page_has_a_description_and_open_graph_tags(client):
    project = published_projects(1, title="Digital skills", summary="Coding clubs for teens.")[0]
    about = standard_page("About", intro="Who we are.")
    about.search_description = "The cluster, its partners and how it works."
    about.save_revision().publish()
    # Pages' canonical URLs come from the Wagtail Site record; other views' from the request.
    cases = {
        "/": ("Social Cluster", "NGOs, foundations", "http://localhost/"),
        project.url: (
            "Digital skills",
            "Coding clubs for teens.",
            "http://localhost/projects/digital-skills/",
        ),
        "/about/": (
            "About",
            "The cluster, its partners and how it works.",
            "http://localhost/about/",
        ),
        "/search/": ("Social Cluster", "NGOs, foundations", "http://testserver/search/"),
        "/accounts/login/": (
            "Social Cluster",
            "NGOs, foundations",
            "http://testserver/accounts/login/",
        ),
    }
    for path, (title, description, url) in cases.items():
        html = client.get(path + "?utm=x").content.decode()
        assert _meta(html, "property", "og:title") == title, path
        assert _meta(html, "name", "description").startswith(description), path
        assert _meta(html, "property", "og:description").startswith(description), path
        assert _meta(html, "property", "og:url") == url, path
        assert f'<link rel="canonical" href="{url}">' in html, path
        assert 'type="application/atom+xml"' in html


def test_og_image_comes_from_the_home_hero(client):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from home.models import HomePage

    image = get_image_model().objects.create(title="Hero", file=get_test_image_file())
    home = HomePage.objects.get()
    home.hero_image = image
    home.save_revision().publish()
    html = client.get("/").content.decode()
    og_image = _meta(html, "property", "og:image")
    assert og_image.startswith("http://testserver/media/images/")
    assert _meta(html, "name", "twitter:card") == "summary_large_image"
