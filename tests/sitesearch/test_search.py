import re

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Locale

from partners.services import organization_apply
from projects.services import project_propose
from sitesearch.highlight import fold, highlight, query_terms
from tests.factories import UserFactory
from tests.home.builders import many_published_projects, published_projects, standard_page
from tests.utils import approved_organization

pytestmark = pytest.mark.django_db


def _search(client, **params):
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    return response, response.content.decode()


def _titles(response):
    return [result["page"].title for result in response.context["results"]]


def test_accents_and_case_are_ignored_for_catalan_and_spanish():
    published_projects(1, title="Formació digital", summary="Cursos de formació per a joves.")
    approved_organization(title="Fundación Formación y Empleo", summary="Formación para el empleo")
    from django.test import Client

    client = Client()
    response, html = _search(client, q="formacio")
    assert _titles(response) == ["Formació digital"]
    assert "<mark>Formació</mark> digital" in html
    assert "Cursos de <mark>formació</mark> per a joves." in html

    response, _html = _search(client, q="formacion")
    assert _titles(response) == ["Fundación Formación y Empleo"]

    response, _html = _search(client, q="FORMACIÓN EMPLEO")
    assert _titles(response) == ["Fundación Formación y Empleo"]


def test_postgres_text_search_folds_accents_and_case():
    from django.conf import settings
    from django.db import connection

    from tests.services import require_postgres

    require_postgres()
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] == "cluster_unaccent"
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('cluster_unaccent', 'Formació FORMACIÓN')::text")
        assert cursor.fetchone()[0] == "'formacio':1 'formacion':2"


def test_only_live_pages_are_found_never_drafts(client):
    coordinator = UserFactory()
    lead = approved_organization(admin=coordinator, title="Lead of drafts")
    project_propose(user=coordinator, lead_organization=lead, title="Secret garden plan")
    organization_apply(user=UserFactory(), title="Secret garden association")
    standard_page("Secret garden notes", publish=False)
    response, html = _search(client, q="secret garden")
    assert _titles(response) == []
    assert "Secret garden" not in html
    # A published project's unpublished draft is not searchable either.
    project = published_projects(1, title="Public orchard")[0]
    project.title = "Secret garden orchard"
    project.save_revision()
    response, html = _search(client, q="secret garden")
    assert _titles(response) == []
    response, html = _search(client, q="public orchard")
    assert _titles(response) == ["Public orchard"]


def test_type_filter_limits_results(client):
    published_projects(1, title="Water for schools")
    approved_organization(title="Water cooperative")
    standard_page("About water", intro="How the cluster saves water.")
    response, _ = _search(client, q="water")
    assert sorted(_titles(response)) == ["About water", "Water cooperative", "Water for schools"]
    response, _ = _search(client, q="water", type="projects")
    assert _titles(response) == ["Water for schools"]
    response, _ = _search(client, q="water", type=["partners", "pages"])
    assert sorted(_titles(response)) == ["About water", "Water cooperative"]
    response, html = _search(client, q="water", type="nonsense")
    assert _titles(response) == []  # an unknown type is a form error, not a crash
    assert response.context["form"].errors


def test_results_are_paginated(client):
    published_projects(12, title="Garden")
    response, html = _search(client, q="garden")
    assert response.context["page_obj"].paginator.count == 12
    assert len(response.context["results"]) == 10
    assert 'rel="next"' in html and "page=2" in html
    response, html = _search(client, q="garden", page=2)
    assert len(response.context["results"]) == 2
    response, html = _search(client, q="garden", page=99)  # out of range: the last page
    assert response.context["page_obj"].number == 2


def test_editors_promoted_results_come_first(client):
    about = standard_page("How to join", intro="Steps for organizations.")
    hidden = standard_page("Old joining rules", publish=False)
    query = Query.get("join")
    SearchPromotion.objects.create(
        query=query, page=about, description="Start here.", sort_order=0
    )
    SearchPromotion.objects.create(query=query, page=hidden, sort_order=1)
    SearchPromotion.objects.create(
        query=query,
        external_link_url="https://example.org/faq",
        external_link_text="FAQ",
        sort_order=2,
    )
    response, html = _search(client, q="Join")
    promoted = [p.title for p in response.context["promotions"]]
    assert promoted == ["How to join", "FAQ"]
    assert html.index("Start here.") < html.index("https://example.org/faq")
    assert Query.get("join").hits == 1


def test_content_is_escaped_in_results(client):
    published_projects(1, title="Mural <script>alert(1)</script> project")
    _response, html = _search(client, q="mural")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_empty_query_shows_the_form_only(client):
    response, html = _search(client)
    assert response.context["results"] == []
    assert 'name="q"' in html


@pytest.mark.parametrize("count", [3, 60])
def test_search_query_count_is_constant(client, count, django_assert_max_num_queries):
    lead = approved_organization(title="Bike repair cooperative")
    many_published_projects(count, lead=lead, title="Bike repair", summary="Fix bikes.")
    standard_page("Bike repair guide", intro="Repair your bike.")
    # Savepoints and the query-statistics writes included; per-result lookups would add ~10.
    with django_assert_max_num_queries(20):
        response, _ = _search(client, q="bike repair")
    assert len(response.context["results"]) == min(10, count + 2)


def test_highlighter_folds_accents_and_escapes():
    assert fold("Formación ÀÉÏ") == "formacion aei"
    assert query_terms("la Formació, a") == ["formacio", "la"]
    marked = highlight("<b>Formación</b> & FORMACION", query_terms("formacion"))
    assert marked == "&lt;b&gt;<mark>Formación</mark>&lt;/b&gt; &amp; <mark>FORMACION</mark>"
    excerpt = highlight("word " * 100 + "target here" + " tail" * 100, ["target"], max_length=60)
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert "<mark>target</mark>" in excerpt
    assert len(excerpt) < 100


def test_promoted_pages_are_shown_in_the_readers_language_or_marked_with_their_own(client):
    about = standard_page("How to join", intro="Steps for organizations.")
    faq = standard_page("Questions people ask")
    catalan = about.copy_for_translation(Locale.objects.get(language_code="ca"), copy_parents=True)
    catalan.title = "Com unir-s'hi"
    catalan.save_revision().publish()
    query = Query.get("join")
    SearchPromotion.objects.create(query=query, page=about, sort_order=0)
    SearchPromotion.objects.create(query=query, page=faq, sort_order=1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ca"
    html = client.get(reverse("search"), {"q": "join"}).content.decode()
    # The translation, under its own address, in the page's language: no lang of its own.
    assert re.search(r'<h3><a href="/ca/[^"]*">Com unir-s&#x27;hi</a></h3>', html)
    # No Catalan version: the English title, marked as English for screen readers.
    assert re.search(r'<h3 lang="en"><a href="/[^"]*">Questions people ask</a></h3>', html)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("search"), {"q": "join"}).content.decode()
    assert re.search(r'<h3><a href="/[^"]*">How to join</a></h3>', html)
    assert '<h3 lang="en">' not in html
