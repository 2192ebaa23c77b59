import pytest
from django.core.management import call_command
from wagtail.models import Page

from home.models import HomePage


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Skip to content"), ("es", "Saltar al contenido"), ("ca", "Salta al contingut")],
)
def test_home_page_renders_in_each_language(client, language, expected):
    # The language prefix decides for pages; the default language has none.
    response = client.get("/" if language == "en" else f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert expected in html


@pytest.mark.django_db
def test_language_switcher_changes_language(client):
    response = client.post("/i18n/setlang/", {"language": "ca", "next": "/"}, follow=True)
    assert "Salta al contingut" in response.content.decode()


@pytest.mark.django_db
def test_directories_live_under_home(client):
    assert client.get("/projects/").status_code == 200
    assert client.get("/partners/").status_code == 200
    assert HomePage.objects.get().get_url() == "/"


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_counts(settings):
    from django.apps import apps

    settings.DEBUG = True

    def counts():
        return {
            model._meta.label: model.objects.count()
            for model in apps.get_models()
            if model._meta.app_label
            in {
                "auth",
                "home",
                "partners",
                "projects",
                "chat",
                "taxonomy",
                "impact",
                "wagtailcore",
                "notifications",
            }
            and model._meta.model_name
            not in {
                "pagelogentry",
                "modellogentry",
                "revision",
                "taskstate",
                "workflowstate",
                "pageviewrestriction",
            }
        }

    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert first["auth.User"] >= 5
    assert Page.objects.filter(depth__gte=2).exists()
