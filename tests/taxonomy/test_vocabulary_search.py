"""Search finds partners and projects by the names of their sectors, regions and tags in every
language: "Educació" and "Educación" find what is filed under Education, and an editor's new
translation is found at once."""

import pytest
from django.http import QueryDict
from django.urls import reverse
from taggit.models import Tag

from partners.directory import partner_directory
from projects.directory import project_directory_queryset
from sitesearch.selectors import search_pages
from taxonomy.models import Region, Sector, TagTranslation
from taxonomy.services import vocabulary_translate
from tests.factories import UserFactory
from tests.utils import approved_organization, approved_project, editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    education = Sector.objects.create(name="Education", slug="education")
    health = Sector.objects.create(name="Health", slug="health")
    barcelones = Region.objects.create(name="Barcelonès", slug="barcelones")
    Tag.objects.create(name="volunteers", slug="volunteers")
    vocabulary_translate()
    coordinator = UserFactory()
    school = approved_organization(
        admin=coordinator,
        title="Xarxa Jove",
        sectors=[education],
        region=barcelones,
        offers=["volunteers"],
    )
    approved_organization(title="Metges Units", sectors=[health])
    project = approved_project(
        coordinator=coordinator,
        lead=school,
        title="Homework club",
        sectors=[education],
        region=barcelones,
    )
    return {"school": school, "project": project, "education": education, "health": health}


def partners_found(query):
    return [page.title for page in partner_directory(QueryDict(f"q={query}")).organizations]


def projects_found(query):
    return [page.title for page in project_directory_queryset(QueryDict(f"q={query}"))]


def site_found(query):
    return sorted(page.title for page in search_pages(query=query))


@pytest.mark.parametrize("query", ["Educació", "Educación", "Education", "educacio"])
def test_directories_and_site_search_find_a_sector_in_every_language(world, query):
    assert partners_found(query) == ["Xarxa Jove"]
    assert projects_found(query) == ["Homework club"]
    assert site_found(query) == ["Homework club", "Xarxa Jove"]


def test_a_region_and_a_tag_are_found_by_their_spanish_and_catalan_names(world):
    assert partners_found("Barcelonés") == ["Xarxa Jove"]
    assert projects_found("Barcelonés") == ["Homework club"]
    assert partners_found("voluntaris") == partners_found("voluntarios") == ["Xarxa Jove"]


@pytest.mark.parametrize(("language", "query"), [("ca", "Educació"), ("es", "Educación")])
def test_the_directory_page_finds_a_sector_in_its_language(client, world, language, query):
    response = client.get(f"/{language}/partners/", {"q": query})
    assert [o.title for o in response.context["organizations"]] == ["Xarxa Jove"]


def test_an_editors_translation_is_searchable_at_once(client, world):
    circus = Sector.objects.create(name="Circus", slug="circus")
    approved_organization(title="Companyia Ambulant", sectors=[circus])
    assert partners_found("Circ") == []
    client.force_login(editor())
    url = reverse("wagtailsnippets_taxonomy_sector:edit", args=[circus.pk])
    response = client.post(
        url, {"name": "Circus", "name_es": "Circo", "name_ca": "Circ", "slug": "circus"}
    )
    assert response.status_code == 302
    assert partners_found("Circ") == ["Companyia Ambulant"]
    assert partners_found("Circo") == ["Companyia Ambulant"]


def test_a_tag_translated_by_an_editor_is_searchable_at_once(client, world):
    Tag.objects.create(name="rooms", slug="rooms")
    approved_organization(title="Casal del Barri", offers=["rooms"])
    assert partners_found("sales") == []
    client.force_login(editor())
    tag = Tag.objects.get(name="rooms")
    response = client.post(
        reverse("wagtailsnippets_taxonomy_tagtranslation:add"),
        {"tag": tag.pk, "name_es": "salas", "name_ca": "sales"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "login" not in response.url and response.url != "/admin/", response.url
    assert TagTranslation.objects.filter(tag=tag).exists()
    assert partners_found("sales") == ["Casal del Barri"]
