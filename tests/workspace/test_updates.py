import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.services import project_texts_update, team_set_coordinator
from tests.workspace.builders import png
from workspace import services
from workspace.models import ProjectUpdate

ROLES = ("member", "coordinator", "partner_admin", "outsider", "editor", "superuser")
TEAM_READS = {
    None: "login",
    "member": 200,
    "coordinator": 200,
    "partner_admin": 404,
    "outsider": 404,
    "editor": 404,
    "superuser": 200,
}


def _outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return "login"
    return response.status_code


def _speak(world, *languages):
    """The project's page gets translations in ``languages`` (its original is English)."""
    world.project = project_texts_update(
        project=world.project,
        user=world.coordinator,
        original_language="en",
        text_translations={code: {"summary": f"Summary ({code})"} for code in languages},
    )
    return world.project


def _post(world, **kwargs):
    fields = {"title": "We started", "body": "First workshop done.", "language": "en"}
    fields.update(kwargs)
    return services.update_publish(project=world.project, user=world.coordinator, **fields)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_updates_page_for_the_team_form_for_coordinators(world, client_for, role):
    client = client_for(getattr(world, role) if role else None)
    url = reverse("portal:project_updates", args=[world.project.pk])
    response = client.get(url)
    assert _outcome(response) == TEAM_READS[role]
    if response.status_code == 200:
        assert (response.context["form"] is not None) == (role != "member")


def test_coordinator_posts_news_shown_on_the_public_page_and_feed(world, client_for, client):
    _speak(world, "ca")
    response = client_for(world.coordinator).post(
        reverse("portal:project_update_create", args=[world.project.pk]),
        {"title": "Hem començat", "body": "Primer taller.", "language": "ca", "image": png()},
    )
    assert response.status_code == 302
    update = ProjectUpdate.objects.get()
    assert update.image is not None
    _post(world, title="Newer news")
    client.logout()
    page = client.get(world.project.url).content.decode()
    assert page.index("Newer news") < page.index("Hem començat")
    assert 'lang="ca"' in page
    feed = client.get(reverse("project_updates_feed")).content.decode()
    assert "Hem començat" in feed


def test_news_by_a_plain_member_is_refused(world, client_for):
    url = reverse("portal:project_update_create", args=[world.project.pk])
    data = {"title": "X", "body": "Y", "language": "en"}
    assert client_for(world.member).post(url, data).status_code == 403
    assert client_for(world.outsider).post(url, data).status_code == 404
    assert not ProjectUpdate.objects.exists()


def test_bad_news_refused_with_a_message_and_nothing_stored(world, client_for):
    client = client_for(world.coordinator)
    url = reverse("portal:project_update_create", args=[world.project.pk])
    fake = SimpleUploadedFile("photo.png", b"<?php evil(); ?>", content_type="image/png")
    response = client.post(url, {"title": "X", "body": "Y", "language": "en", "image": fake})
    assert response.status_code == 400
    assert not ProjectUpdate.objects.exists()
    response = client.post(url, {"title": "X", "body": "", "language": "en"})
    assert response.status_code == 400
    assert not ProjectUpdate.objects.exists()


def test_delete_news(world, client_for):
    update = _post(world)
    url = reverse("portal:project_update_delete", args=[world.project.pk, update.pk])
    assert client_for(world.member).post(url).status_code == 403
    assert client_for(world.coordinator).post(url).status_code == 302
    assert not ProjectUpdate.objects.exists()


def test_a_coordinator_stepped_back_can_no_longer_post(world, client_for):
    team_set_coordinator(
        project=world.project, user=world.member, is_coordinator=True, by=world.coordinator
    )
    client = client_for(world.member)
    url = reverse("portal:project_update_create", args=[world.project.pk])
    data = {"title": "X", "body": "Y", "language": "en"}
    team_set_coordinator(
        project=world.project, user=world.member, is_coordinator=False, by=world.coordinator
    )
    assert client.post(url, data).status_code == 403
    assert not ProjectUpdate.objects.exists()


@pytest.mark.parametrize("count", [3, 60])
def test_public_page_and_feed_queries_do_not_grow(
    world, client, django_assert_max_num_queries, count, settings
):
    settings.PAGECACHE_ENABLED = False
    for number in range(count):
        _post(world, title=f"News {number}")
    with django_assert_max_num_queries(40):
        assert client.get(world.project.url).status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(reverse("project_updates_feed")).status_code == 200


def test_news_only_in_the_projects_languages(world, client_for):
    """The project's page is in English only: news in Spanish is refused, nothing stored."""
    with pytest.raises(ValidationError) as refused:
        _post(world, language="es")
    assert "write its news in one of these languages" in str(refused.value)
    assert "English" in str(refused.value)
    client = client_for(world.coordinator)
    url = reverse("portal:project_update_create", args=[world.project.pk])
    response = client.post(url, {"title": "Hola", "body": "Ya empezamos.", "language": "es"})
    assert response.status_code == 400
    assert not ProjectUpdate.objects.exists()
    page = client.get(reverse("portal:project_updates", args=[world.project.pk]))
    assert [code for code, _name in page.context["form"].fields["language"].choices] == ["en"]


def test_a_translated_project_takes_news_in_its_new_language(world, client_for):
    _speak(world, "es")
    client = client_for(world.coordinator)
    page = client.get(
        reverse("portal:project_updates", args=[world.project.pk]), HTTP_ACCEPT_LANGUAGE="es"
    )
    choices = [code for code, _name in page.context["form"].fields["language"].choices]
    assert choices == ["en", "es"]
    url = reverse("portal:project_update_create", args=[world.project.pk])
    response = client.post(url, {"title": "Hola", "body": "Ya empezamos.", "language": "es"})
    assert response.status_code == 302
    assert ProjectUpdate.objects.get().language == "es"


def test_news_in_a_language_the_project_dropped_leaves_its_page_and_feed(world, client):
    _speak(world, "ca")
    _post(world, title="Hem començat", language="ca")
    _post(world, title="We started", language="en")
    _speak(world)
    page = client.get(world.project.url).content.decode()
    feed = client.get(reverse("project_updates_feed")).content.decode()
    for shown in (page, feed):
        assert "We started" in shown
        assert "Hem començat" not in shown
