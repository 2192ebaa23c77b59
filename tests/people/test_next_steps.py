"""No dead ends: what a person meets before they can act says what to do next."""

import pytest
from django.urls import reverse

from partners.models import PartnerPage
from partners.services import organization_apply
from tests.factories import UserFactory
from tests.utils import approved_organization

pytestmark = pytest.mark.django_db


def test_pending_organization_is_not_offered_a_proposal_it_would_be_refused(client):
    admin = UserFactory()
    organization_apply(user=admin, title="Fundació en Espera")
    client.force_login(admin)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert f'href="{reverse("portal:project_new")}"' not in html
    assert "once an editor approves your organization" in html


def test_approved_organization_is_offered_a_proposal(client):
    admin = UserFactory()
    approved_organization(admin=admin)
    client.force_login(admin)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert f'href="{reverse("portal:project_new")}"' in html


def test_refused_proposal_says_what_to_do_next(client):
    client.force_login(UserFactory())
    response = client.get(reverse("portal:project_new"))
    assert response.status_code == 403
    html = response.content.decode()
    assert f'href="{reverse("portal:organization_apply")}"' in html
    assert f'href="{reverse("portal:dashboard")}"' in html


def test_a_website_without_https_is_accepted_not_left_to_the_browser(client):
    user = UserFactory()
    client.force_login(user)
    form = client.get(reverse("portal:organization_apply")).content.decode()
    assert 'type="url"' not in form
    response = client.post(
        reverse("portal:organization_apply"),
        {
            "title": "Fundació Web",
            "kind": "foundation",
            "summary": "Web.",
            "website": "fundacioweb.org",
        },
    )
    assert response.status_code == 302
    assert PartnerPage.objects.get(title="Fundació Web").website == "https://fundacioweb.org"


@pytest.mark.parametrize(
    "template", ["400.html", "403.html", "403_csrf.html", "404.html", "429.html", "500.html"]
)
def test_every_error_page_has_a_way_back(template, rf):
    from django.template.loader import render_to_string

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = render_to_string(template, request=None if template == "500.html" else request)
    assert 'href="/"' in html


def test_empty_notifications_say_what_arrives_there_and_where_to_go(client):
    client.force_login(UserFactory())
    html = client.get(reverse("portal:notification_list")).content.decode()
    assert "You have no notifications yet." in html
    assert f'href="{reverse("portal:dashboard")}"' in html


def test_empty_resources_page_points_to_the_directory(client):
    client.force_login(UserFactory())
    html = client.get(reverse("resources:resources_mine")).content.decode()
    assert f'href="{reverse("resources:resource_directory")}"' in html
