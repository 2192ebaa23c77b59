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
