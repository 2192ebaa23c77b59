"""Each page type renders in each content language."""

import pytest

from tests.home.builders import standard_page
from tests.home.i18n import PAGE_STRINGS, PREFIX, SKIP_LINK, english_url, page_html
from tests.utils import approved_project, rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pages(django_db_setup, django_db_blocker):
    """Built once for the module: the tests only read the pages."""
    with rolled_back(django_db_blocker):
        yield _pages()


def _pages():
    project = approved_project(summary="A summary", body=[("paragraph", "<p>Body</p>")])
    organization = project.lead_organization
    organization = type(organization).objects.get(pk=organization.pk)
    from partners.services import organization_update

    organization = organization_update(
        organization=organization,
        user=organization.memberships.get().user,
        description=[("paragraph", "<p>We help.</p>")],
    )
    return {
        "partner": english_url(organization),
        "project": english_url(project),
        "partner_index": "/partners/",
        "project_index": "/projects/",
        "home": "/",
        "standard": english_url(standard_page("About the cluster")),
    }


@pytest.mark.parametrize("language", ["en", "es", "ca"])
@pytest.mark.parametrize("kind", list(PAGE_STRINGS))
def test_each_page_type_renders_in_each_language(client, pages, kind, language):
    html = page_html(client.get(PREFIX[language] + pages[kind]))
    assert f'<html lang="{language}">' in html
    assert SKIP_LINK[language] in html
    assert PAGE_STRINGS[kind][language] in html
