"""The design pass: the home page's title is not doubled, organization logos in lists keep
their ratio in one box size (a placeholder of that size without one), SDG chips keep their
colours inside tag lists (their contrast is checked by axe in tests/e2e/test_accessibility.py)."""

import re

import pytest
from django.test import Client

from core.pagecache import cache_invalidate
from home.models import HomePage
from partners.services import organization_apply, organization_approve
from tests.factories import UserFactory
from tests.partners.helpers import png_upload
from tests.utils import approved_organization, editor

pytestmark = pytest.mark.django_db


def title_of(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_the_home_page_title_names_the_portal_once():
    home = HomePage.objects.get()
    home.title = "Social Cluster"
    home.save_revision().publish()
    assert title_of(Client().get("/").content.decode()) == "Social Cluster"
    home.title = "Welcome"
    home.save_revision().publish()
    assert title_of(Client().get("/").content.decode()) == "Welcome · Social Cluster"


def test_other_pages_keep_the_portal_name_after_theirs():
    assert title_of(Client().get("/projects/").content.decode()).endswith(" · Social Cluster")


def test_logos_in_lists_keep_their_ratio_and_missing_ones_have_a_placeholder():
    admin = UserFactory()
    with_logo = organization_apply(
        user=admin, title="Logo Coop", logo_file=png_upload(size=(300, 60))
    )
    organization_approve(organization=with_logo, user=editor())
    approved_organization(title="Sense Logo")
    cache_invalidate()
    for path in ("/partners/", "/"):
        html = Client().get(path).content.decode()
        assert 'class="logo-box logo-placeholder" aria-hidden="true">S</span>' in html, path
        box = re.search(r'<span class="logo-box"><img [^>]*></span>', html)
        assert box, path
        assert ".max-160x80." in box.group(0) or "max-160x80" in box.group(0), path
        assert "fill-" not in box.group(0), path


def test_sdg_chips_are_not_greyed_by_the_tag_lists():
    css = Client().get("/static/css/site.css")
    text = b"".join(css.streaming_content if css.streaming else [css.content]).decode()
    assert ".tags li:not(.sdg) { background: #eef0f3; }" in text
    assert not re.search(r"^\.tags li \{[^}]*background", text, re.M)


def test_directory_cards_name_their_sdgs_instead_of_numbers_with_tooltips():
    from projects.services import project_details_update
    from taxonomy.models import SustainableDevelopmentGoal
    from tests.utils import approved_project

    quality = SustainableDevelopmentGoal.objects.get(number=4)
    coordinator = UserFactory()
    project = approved_project(coordinator=coordinator)
    project_details_update(project=project, user=coordinator, sdgs=[quality])
    admin = UserFactory()
    organization = organization_apply(user=admin, title="Escola Oberta", sdgs=[quality])
    organization_approve(organization=organization, user=editor())
    cache_invalidate()
    for path in ("/projects/", "/partners/"):
        html = Client().get(path).content.decode()
        assert f'<li class="sdg sdg-4">4. {quality.name}</li>' in html, path
        assert f'title="{quality.name}"' not in html, path


def test_the_hero_button_does_not_take_the_hero_colour():
    css = Client().get("/static/css/site.css")
    text = b"".join(css.streaming_content if css.streaming else [css.content]).decode()
    assert ".hero .button:not(.secondary) { background: var(--accent);" in text


@pytest.mark.parametrize("language", ["", "/ca"])
def test_every_public_section_is_reachable_from_the_footer(language):
    """Volunteering, the calls for ventures, the cluster's figures (map, funding calls, partner
    search, events), training figures and the impact reports are linked from every page's
    footer, in the reader's language, and each link opens."""
    from django.urls import reverse
    from django.utils import translation

    client = Client()
    for start in (f"{language}/projects/", f"{language}/communities/"):
        html = client.get(start).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        links = re.findall(r'<li><a href="([^"]+)">', footer)
        code = language.strip("/") or "en"
        with translation.override(code):
            expected = [
                reverse(name)
                for name in (
                    "cluster_figures:figures",
                    "volunteers:role_list",
                    "calls:call_list",
                    "training:index",
                    "impact:cluster",
                )
            ]
        assert links == expected, (start, links)
    for link in expected:
        assert client.get(link).status_code == 200, link
