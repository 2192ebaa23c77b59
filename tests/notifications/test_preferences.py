"""Preferences per person and kind, and the one-click unsubscribe link of every e-mail.

The page lists every declared kind with its current choice and the digest's frequency, hour
and time zone; bad input is refused with a message and changes nothing. The unsubscribe link
works without signing in (GET asks, POST does, as RFC 8058's mail programs do) and a link that
was not signed here, or was altered, is refused.
"""

import pytest
from django.test import Client
from django.urls import reverse

from notifications.kinds import notification_kinds
from notifications.models import Channel, DigestSettings, KindPreference
from notifications.unsubscribe import DIGEST, unsubscribe_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PREFERENCES = reverse("portal:notification_preferences")


@pytest.fixture
def marta():
    return UserFactory(username="marta", email="marta@example.org")


def form_data(**changes):
    data = {f"kind__{kind}": "digest" for kind in notification_kinds()}
    data.update(frequency="weekly", hour="7", time_zone="America/Bogota")
    data.update(changes)
    return data


def unsubscribe_url(user, kind):
    return reverse("portal:notification_unsubscribe", args=[unsubscribe_token(user.pk, kind)])


# --- The preferences page ---------------------------------------------------------------------


def test_the_page_shows_every_kind_with_its_default(client, marta):
    client.force_login(marta)
    response = client.get(PREFERENCES)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["kind__projects.invitation"].initial == Channel.EMAIL
    assert form["kind__knowledge.item"].initial == Channel.DIGEST
    assert form["frequency"].initial == "daily" and form["time_zone"].initial == "Europe/Madrid"


def test_saving_keeps_each_choice(client, marta):
    client.force_login(marta)
    response = client.post(PREFERENCES, form_data(**{"kind__projects.invitation": "off"}))
    assert response.status_code == 302
    assert KindPreference.objects.get(user=marta, kind="projects.invitation").channel == "off"
    settings_row = DigestSettings.objects.get(user=marta)
    assert (settings_row.frequency, settings_row.hour, settings_row.time_zone) == (
        "weekly",
        7,
        "America/Bogota",
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"kind__projects.invitation": "carrier-pigeon"},
        {"hour": "25"},
        {"time_zone": "Mars/Olympus"},
        {"frequency": "hourly"},
    ],
)
def test_bad_input_is_refused_and_changes_nothing(client, marta, bad):
    client.force_login(marta)
    response = client.post(PREFERENCES, form_data(**bad))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not KindPreference.objects.exists()
    assert not DigestSettings.objects.exists()


def test_each_person_changes_only_their_own(client, marta):
    pau = UserFactory(username="pau")
    client.force_login(pau)
    client.post(PREFERENCES, form_data())
    assert not KindPreference.objects.filter(user=marta).exists()
    assert KindPreference.objects.filter(user=pau).count() == len(notification_kinds())


# --- Unsubscribe --------------------------------------------------------------------------------


def test_the_link_asks_first_then_unsubscribes_without_a_sign_in(client, marta):
    url = unsubscribe_url(marta, "projects.invitation")
    response = client.get(url)
    assert response.status_code == 200 and b"Invitation to a project" in response.content
    assert not KindPreference.objects.exists()  # a link checker's GET changes nothing
    response = client.post(url)
    assert response.status_code == 200
    preference = KindPreference.objects.get(user=marta, kind="projects.invitation")
    assert preference.channel == Channel.APP


def test_a_mail_programs_one_click_post_needs_no_csrf_token(marta):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        unsubscribe_url(marta, DIGEST),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert DigestSettings.objects.get(user=marta).frequency == "off"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "W1sxLCJwcm9qZWN0cy5pbnZpdGF0aW9uIl0" + token[token.index(":") :],
        lambda token: "nonsense",
    ],
)
def test_a_tampered_link_is_refused(client, marta, tamper):
    token = tamper(unsubscribe_token(marta.pk, "projects.invitation"))
    url = reverse("portal:notification_unsubscribe", args=[token])
    assert client.get(url).status_code == 400
    assert client.post(url).status_code == 400
    assert not KindPreference.objects.exists()


def test_a_link_for_an_undeclared_kind_is_refused(client, marta):
    url = unsubscribe_url(marta, "projects.nothing")
    assert client.post(url).status_code == 400
    assert not KindPreference.objects.exists()


def test_a_link_signed_for_another_purpose_is_refused(client, marta):
    from django.core import signing

    token = signing.dumps([marta.pk, "projects.invitation"], compress=True)
    url = reverse("portal:notification_unsubscribe", args=[token])
    assert client.post(url).status_code == 400
