"""A visitor who reads Catalan or Spanish stays in it: unprefixed page URLs send them to their
language's URL (the switcher's cookie first, else the browser's languages), the home page links
in the language it is read in, and the installed app opens in the manifest's language."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core import pagecache

pytestmark = pytest.mark.django_db


def _chose(language):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("language", ["ca", "es"])
def test_first_visit_follows_the_browser(client, language):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/"
    assert "Accept-Language" in response["Vary"]


def test_english_browser_reads_the_unprefixed_page(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_chosen_language_beats_the_browser():
    response = _chose("ca").get("/projects/?status=active", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    assert response["Location"] == "/ca/projects/?status=active"
    response = _chose("en").get("/projects/", HTTP_ACCEPT_LANGUAGE="ca")
    assert response.status_code == 200


def test_an_unknown_cookie_value_falls_back_to_the_browser():
    response = _chose("xx").get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert response["Location"] == "/es/"


def test_doors_with_one_url_in_every_language_are_not_redirected():
    client = _chose("ca")
    for url in (reverse("search"), reverse("manifest"), reverse("account_login"), "/portal/"):
        response = client.get(url)
        assert response.status_code != 302 or not response["Location"].startswith("/ca/"), url
    assert client.get("/static/css/site.css").status_code != 302


def test_posts_and_prefixed_urls_are_never_redirected():
    client = _chose("ca")
    assert client.get("/es/").status_code == 200
    assert client.post("/", {}).status_code != 302


def test_redirect_runs_no_sql_and_is_never_cached(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = _chose("es").get("/partners/")
    assert response["Location"] == "/es/partners/"
    assert pagecache.HEADER not in response
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("language", ["ca", "es"])
def test_home_page_links_stay_in_its_language(language):
    html = _chose(language).get(f"/{language}/").content.decode()
    hrefs = re.findall(r'href="(/[^"]*)"', html)
    assert f"/{language}/projects/" in hrefs
    assert f"/{language}/partners/" in hrefs
    assert "/projects/" not in hrefs and "/partners/" not in hrefs


def test_english_home_page_links_stay_unprefixed(client):
    hrefs = re.findall(r'href="(/[^"]*)"', client.get("/").content.decode())
    assert "/projects/" in hrefs and "/partners/" in hrefs


@pytest.mark.parametrize(("language", "start"), [("ca", "/ca/"), ("es", "/es/"), ("en", "/")])
def test_installed_app_opens_in_the_manifest_language(client, language, start):
    data = client.get(reverse("manifest"), HTTP_ACCEPT_LANGUAGE=language).json()
    assert data["lang"] == language
    assert data["start_url"] == start
    assert data["id"] == "/"


def test_unprefixed_page_tells_shared_caches_it_varies_with_the_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    hit = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert hit[pagecache.HEADER] == "hit" and "Accept-Language" in hit["Vary"]
