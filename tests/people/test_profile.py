"""People's names and profiles: sign-up with a name, the profile page, the cards people show."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.images import get_image_model

from people.models import Profile
from people.services import profile_update
from tests.factories import PASSWORD, UserFactory
from tests.partners.helpers import png_upload
from tests.utils import project_with_partner_on_team

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup(client, **extra):
    data = {
        "first_name": "Núria",
        "last_name": "Serra",
        "email": "nuria@example.org",
        "username": "neus",
        "password1": "Un-bon-secret-2026",
        "password2": "Un-bon-secret-2026",
        "consent": "on",
        **extra,
    }
    return client.post("/accounts/signup/", data)


# --- Sign-up and e-mail confirmation ---------------------------------------------------------


def test_sign_up_asks_for_a_name_and_the_portal_shows_it(client, mailoutbox):
    html = client.get("/accounts/signup/").content.decode()
    assert 'name="first_name"' in html and 'name="last_name"' in html
    assert signup(client).status_code == 302
    user = User.objects.get(username="neus")
    assert (user.first_name, user.last_name) == ("Núria", "Serra")
    client.force_login(user)
    html = client.get("/portal/").content.decode()
    assert "Núria Serra" in html
    assert '<summary class="who">Núria Serra</summary>' in html


def test_account_emails_name_the_portal_not_its_host(client, mailoutbox):
    signup(client)
    mail = mailoutbox[-1]
    assert mail.subject.startswith("[Social Cluster] ")
    assert "Social Cluster" in mail.body
    assert "testserver" not in mail.subject


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_sign_up_without_a_name_is_refused_with_a_message(client, field):
    response = signup(client, **{field: "   "})
    assert response.status_code == 200
    assert "Please write your name as people should see it." in response.content.decode()
    assert not User.objects.filter(username="neus").exists()


def test_confirming_the_email_signs_in_and_lands_on_the_profile(client, mailoutbox):
    signup(client)
    link = re.search(r"/accounts/confirm-email/[^\s]+", mailoutbox[-1].body).group(0)
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:profile")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.wsgi_request.user.username == "neus"


def test_confirming_in_another_browser_asks_to_sign_in(client, mailoutbox):
    from django.test import Client

    signup(client)
    link = re.search(r"/accounts/confirm-email/[^\s]+", mailoutbox[-1].body).group(0)
    response = Client().post(link)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- The profile page -----------------------------------------------------------------------


def test_profile_needs_sign_in(client):
    for name in ("portal:profile", "portal:profile_edit"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_profile_permitted_shows_name_organizations_projects_and_settings(client):
    project, organization, member = project_with_partner_on_team()
    client.force_login(member)
    html = client.get(reverse("portal:profile")).content.decode()
    assert member.get_full_name() in html
    assert organization.title in html
    assert project.title in html
    for name in ("account_change_password", "account_email", "privacy:privacy"):
        assert f'href="{reverse(name)}"' in html


def test_profile_of_a_newcomer_offers_next_steps(client):
    client.force_login(UserFactory(first_name="", last_name=""))
    html = client.get(reverse("portal:profile")).content.decode()
    assert "Your profile is 0% complete" in html
    assert f'href="{reverse("portal:organization_apply")}"' in html
    assert "Browse projects" in html
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert f'href="{reverse("portal:profile_edit")}"' in dashboard


def test_header_menu_links_profile_password_and_email(client):
    client.force_login(UserFactory())
    html = client.get(reverse("portal:dashboard")).content.decode()
    menu = html.split('class="account-menu"')[1].split("</details>")[0]
    for name in ("portal:profile", "account_change_password", "account_email"):
        assert f'href="{reverse(name)}"' in menu


def test_profile_edit_saves_name_photo_and_details(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("portal:profile_edit"),
        {
            "first_name": " Clara ",
            "last_name": "Vidal",
            "languages": "Catalan, Spanish",
            "skills": "facilitation, data analysis",
            "bio": "I coordinate volunteers.",
            "shown": "on",
            "photo": png_upload("me.png", size=(300, 200)),
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:profile")
    user.refresh_from_db()
    assert user.get_full_name() == "Clara Vidal"
    profile = Profile.objects.get(user=user)
    assert profile.skill_list() == ["facilitation", "data analysis"]
    assert profile.shown and profile.photo is not None
    html = client.get(reverse("portal:profile")).content.decode()
    assert "% complete" not in html  # complete: no nudge
    assert "data analysis" in html and "<img" in html


def test_profile_edit_refuses_a_file_that_is_not_a_picture(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    user = UserFactory(first_name="Ona", last_name="Puig")
    client.force_login(user)
    images = get_image_model().objects.count()
    response = client.post(
        reverse("portal:profile_edit"),
        {
            "first_name": "Changed",
            "last_name": "Name",
            "photo": SimpleUploadedFile("me.png", b"not an image", content_type="image/png"),
        },
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    user.refresh_from_db()
    assert user.get_full_name() == "Ona Puig"
    assert not Profile.objects.filter(user=user).exists()
    assert get_image_model().objects.count() == images


def test_profile_edit_refuses_a_blank_name(client):
    user = UserFactory(first_name="Ona", last_name="Puig")
    client.force_login(user)
    response = client.post(reverse("portal:profile_edit"), {"first_name": " ", "last_name": "X"})
    assert response.status_code == 200
    assert "Please write your name as people should see it." in response.content.decode()
    user.refresh_from_db()
    assert user.get_full_name() == "Ona Puig"


def test_a_new_photo_replaces_and_deletes_the_old_one():
    user = UserFactory()
    first = profile_update(user=user, photo_file=png_upload("a.png")).photo
    second = profile_update(user=user, photo_file=png_upload("b.png")).photo
    assert not get_image_model().objects.filter(pk=first.pk).exists()
    profile_update(user=user, remove_photo=True)
    assert not get_image_model().objects.filter(pk=second.pk).exists()


# --- Cards ----------------------------------------------------------------------------------


def test_card_permitted_when_its_owner_shows_it(client):
    person = UserFactory(first_name="Clara", last_name="Vidal")
    profile_update(user=person, bio="I coordinate volunteers.", shown=True)
    client.force_login(UserFactory())
    response = client.get(reverse("portal:person", args=[person.pk]))
    assert response.status_code == 200
    assert "I coordinate volunteers." in response.content.decode()


def test_card_denied_when_hidden_or_missing(client):
    person = UserFactory()
    profile_update(user=person, bio="Private", shown=False)
    client.force_login(UserFactory())
    assert client.get(reverse("portal:person", args=[person.pk])).status_code == 404
    assert client.get(reverse("portal:person", args=[999999])).status_code == 404


def test_card_denied_to_anonymous_visitors(client):
    person = UserFactory()
    profile_update(user=person, shown=True)
    response = client.get(reverse("portal:person", args=[person.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_owner_sees_their_hidden_card(client):
    person = UserFactory()
    client.force_login(person)
    response = client.get(reverse("portal:person", args=[person.pk]))
    assert response.status_code == 200
    assert "Only you see this card" in response.content.decode()


# --- Personal data --------------------------------------------------------------------------


def test_export_has_the_profile_and_deletion_removes_it_with_the_photo(client):
    user = UserFactory(username="zoe_q")
    profile = profile_update(
        user=user, bio="Quixotic bio", skills="juggling", photo_file=png_upload()
    )
    photo_pk = profile.photo.pk
    client.force_login(user)
    export = client.post(reverse("privacy:export"))
    assert "Quixotic bio" in export.content.decode()
    response = client.post(reverse("privacy:delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not Profile.objects.filter(user_id=user.pk).exists()
    assert not get_image_model().objects.filter(pk=photo_pk).exists()


def test_profile_page_queries_do_not_grow_with_organizations_and_projects(
    client, django_assert_max_num_queries
):
    from partners.services import membership_add
    from tests.utils import approved_organization

    project, organization, member = project_with_partner_on_team()
    client.force_login(member)
    client.get(reverse("portal:profile"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("portal:profile"))
    for _ in range(4):
        membership_add(organization=approved_organization(), user=member)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("portal:profile"))
