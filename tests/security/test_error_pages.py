"""Error pages: our own templates, in the visitor's language, never a stack trace."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation
from django.views import defaults

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _default_language():
    """A request through the client leaves its language active in this thread (Django's
    LocaleMiddleware never deactivates it); the views called directly below must not inherit
    the Spanish of the 404 test."""
    translation.activate("en")
    yield
    translation.deactivate()


def test_404_is_our_page_in_the_visitors_language(client):
    # A Spanish browser is sent to the Spanish URL first, where the page is not found either.
    response = client.get("/no-such-page/", headers={"accept-language": "es"}, follow=True)
    assert response.redirect_chain == [("/es/no-such-page/", 302)]
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert 'class="site-header"' in html and "no-such-page" not in html.split("<main")[1]


def test_403_page(rf):
    request = rf.get("/portal/organizations/1/")
    request.user = UserFactory()
    response = defaults.permission_denied(request, PermissionDenied("internal detail"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have permission to do this" in html
    assert "internal detail" not in html


def test_400_page(rf):
    response = defaults.bad_request(rf.get("/"), Exception("internal detail"))
    assert response.status_code == 400
    assert "could not understand this request" in response.content.decode()


def test_500_page_has_no_stack_trace(rf):
    response = defaults.server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Traceback" not in html


def test_csrf_failure_page_is_friendly():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "x", "password": "y"})
    assert response.status_code == 403
    assert "This form had expired" in response.content.decode()


def _links(html):
    import re

    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.findall(r'href="([^"]*)"', main)


@pytest.mark.parametrize("language", ["ca", "es"])
@pytest.mark.parametrize("template", ["400", "403", "403_csrf", "429", "500"])
def test_error_pages_link_in_the_visitors_language(rf, language, template):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/portal/")
    request.user = AnonymousUser()
    with translation.override(language):
        html = render_to_string(f"{template}.html", request=None if template == "500" else request)
    links = _links(html)
    assert f"/{language}/" in links
    assert "/" not in links


@pytest.mark.parametrize("language", ["ca", "es"])
def test_404_page_links_home_and_directories_in_its_language(client, language):
    response = client.get(f"/{language}/no-such-page/")
    assert response.status_code == 404
    links = _links(response.content.decode())
    assert {f"/{language}/", f"/{language}/projects/", f"/{language}/partners/"} <= set(links)
    assert not {"/", "/projects/", "/partners/"} & set(links)


def test_404_of_an_unprefixed_path_links_in_the_chosen_language(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ca"
    # Not a page GET (the redirect to /ca/ leaves those), yet answered in Catalan.
    response = client.post("/no-such-page/")
    assert response.status_code == 404
    assert "/ca/projects/" in _links(response.content.decode())
