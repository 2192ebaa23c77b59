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
