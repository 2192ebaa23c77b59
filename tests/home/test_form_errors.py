"""A form's errors are said once: whole-form errors in the summary at the top, field errors in
the summary (linked) and beside their field."""

import html

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_failed_sign_in_says_why_once(client):
    user = UserFactory(email="clara@example.org")
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "not-the-password"}
    )
    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    page = response.content.decode()
    assert page.count(html.escape(error)) == 1
    assert 'class="error-summary"' in page
    assert not response.wsgi_request.user.is_authenticated


def test_a_missing_field_is_named_in_the_summary_and_beside_the_field(client):
    response = client.post("/accounts/login/", {"login": "clara@example.org", "password": ""})
    page = response.content.decode()
    (error,) = response.context["form"].errors["password"]
    assert page.count(html.escape(error)) == 2
    assert 'href="#id_password"' in page
