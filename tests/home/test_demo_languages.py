"""The demo's editorial pages read in Spanish and Catalan, not English under a /ca/ address."""

from io import StringIO

import pytest
from django.core.management.base import BaseCommand

from core.demo import DemoContext
from home import demo as home_demo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/ca/about/", "Qui som i com treballem."),
        ("/es/about/", "Quiénes somos y cómo trabajamos."),
        ("/ca/how-to-join/", "Tres passos"),
        ("/es/how-to-join/", "Tres pasos"),
    ],
)
def test_about_and_how_to_join_are_translated(client, url, text):
    home_demo.seed(DemoContext(command=BaseCommand(stdout=StringIO())))
    html = client.get(url).content.decode()
    assert text in html
    assert "Who we are and how we work." not in html
    english = client.get("/about/").content.decode()
    assert 'hreflang="ca"' in english and 'hreflang="es"' in english


def test_seeding_twice_translates_once():
    from home.models import StandardPage

    for _ in range(2):
        home_demo.seed(DemoContext(command=BaseCommand(stdout=StringIO())))
    assert StandardPage.objects.filter(slug="about").count() == 3


@pytest.mark.parametrize(
    ("language", "partners", "projects"),
    [
        ("ca", ("Socis", "Filtra per sector"), ("Projectes", "Troba'n un")),
        ("es", ("Socios", "Filtra por sector"), ("Proyectos", "Encuentra uno")),
    ],
)
def test_the_directories_are_translated_and_still_list_every_page(
    client, language, partners, projects
):
    from tests.utils import approved_project

    project = approved_project(title="Codi Jove")
    organization = project.lead_organization
    home_demo.seed(DemoContext(command=BaseCommand(stdout=StringIO())))
    for path, (title, intro), page in (
        ("partners", partners, organization),
        ("projects", projects, project),
    ):
        html = client.get(f"/{language}/{path}/").content.decode()
        assert f"<h1>{title}</h1>" in html
        assert intro in html.replace("&#x27;", "'")
        assert page.title in html
        # The pages under the original directory keep their address in this language.
        assert client.get(f"/{language}/{path}/{page.slug}/").status_code == 200
    english = client.get("/partners/").content.decode()
    assert "<h1>Partners</h1>" in english and 'hreflang="ca"' in english
