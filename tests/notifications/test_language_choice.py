"""A person chooses the portal's language (and their e-mails') on their preferences page, which
the header's account menu links, as it links the notification preferences."""

import pytest
from django.conf import settings
from django.urls import reverse

from notifications.kinds import notification_kinds
from notifications.models import LanguagePreference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("portal:notification_preferences")


def form_data(**changes):
    data = {f"kind__{kind}": "digest" for kind in notification_kinds()}
    data.update(frequency="daily", hour="8", time_zone="Europe/Madrid")
    data.update(changes)
    return data


def test_the_account_menu_links_language_and_notification_preferences(client):
    client.force_login(UserFactory())
    html = client.get(reverse("portal:dashboard")).content.decode()
    menu = html.split('class="account-menu"')[1].split("</details>")[0]
    assert f'href="{PREFERENCES}#language"' in menu
    assert f'href="{PREFERENCES}"' in menu
    assert 'id="language"' in client.get(PREFERENCES).content.decode()


def test_choosing_a_language_keeps_it_and_speaks_it_permitted(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(PREFERENCES, form_data(language="ca"))
    assert response.status_code == 302
    assert LanguagePreference.objects.get(user=user).language == "ca"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ca"
    page = client.get(PREFERENCES)
    assert page["Content-Language"] == "ca"
    assert page.context["form"]["language"].initial == "ca"


def test_an_unknown_language_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(PREFERENCES, form_data(language="tlh"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not LanguagePreference.objects.filter(user=user).exists()


def test_choosing_needs_sign_in_denied(client):
    response = client.post(PREFERENCES, form_data(language="ca"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not LanguagePreference.objects.exists()
