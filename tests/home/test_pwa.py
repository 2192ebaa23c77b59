"""The portal installs on a phone: a valid web app manifest linked from every page, a service
worker served for the whole site, and an offline page in the visitor's language that carries
nothing about the person who installed the worker."""

import json
import re
from io import BytesIO

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def manifest(client, **headers):
    response = client.get(reverse("manifest"), **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json; charset=utf-8"
    return json.loads(response.content)


def static_file(url):
    assert url.startswith("/static/"), url
    path = finders.find(url.removeprefix("/static/"))
    assert path, f"{url} does not exist"
    with open(path, "rb") as handle:
        return handle.read()


def test_manifest_has_the_members_an_install_needs(client):
    data = manifest(client)
    assert data["name"] == "Social Cluster"
    assert data["short_name"] and len(data["short_name"]) <= 12
    assert data["start_url"].startswith("/")
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", data["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", data["background_color"])
    purposes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes


def test_every_icon_exists_with_its_declared_size(client):
    for icon in manifest(client)["icons"]:
        image = Image.open(BytesIO(static_file(icon["src"])))
        assert icon["type"] == "image/png" and image.format == "PNG"
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert image.size == (width, height), icon["src"]


def test_maskable_icon_is_full_bleed(client):
    icon = next(i for i in manifest(client)["icons"] if i.get("purpose") == "maskable")
    image = Image.open(BytesIO(static_file(icon["src"]))).convert("RGBA")
    corners = [(0, 0), (image.width - 1, 0), (0, image.height - 1)]
    assert all(image.getpixel(xy)[3] == 255 for xy in corners)


@pytest.mark.parametrize(
    ("language", "name"), [("es", "Clúster Social"), ("ca", "Clúster Social")]
)
def test_manifest_speaks_the_visitors_language(client, language, name):
    data = manifest(client, HTTP_ACCEPT_LANGUAGE=language)
    assert data["lang"] == language
    assert data["name"] == name
    response = client.get(reverse("manifest"), HTTP_ACCEPT_LANGUAGE=language)
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_pages_link_the_manifest_theme_colour_and_touch_icon(client):
    html = client.get("/").content.decode()
    theme = manifest(client)["theme_color"]
    assert f'<link rel="manifest" href="{reverse("manifest")}">' in html
    assert f'<meta name="theme-color" content="{theme}">' in html
    touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', html).group(1)
    assert Image.open(BytesIO(static_file(touch))).size == (180, 180)
    assert re.search(r'<script src="[^"]+/sw-register\.js" data-service-worker="/sw\.js"', html)


def test_service_worker_is_served_for_the_whole_site(client):
    response = client.get(reverse("service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    precache = json.loads(re.search(r"var PRECACHE = (\[.*?\]);", script).group(1))
    assert reverse("offline") in precache
    for url in precache:
        if url.startswith("/static/"):
            assert static_file(url)
        else:
            assert client.get(url).status_code == 200
    assert not any(url.startswith(("/portal/", "/admin/", "/ws/")) for url in precache)


def test_service_worker_changes_with_the_language(client):
    english = client.get(reverse("service_worker")).content
    catalan = client.get(reverse("service_worker"), HTTP_ACCEPT_LANGUAGE="ca").content
    assert english != catalan


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "You are offline"), ("es", "Estás sin conexión"), ("ca", "Estàs sense connexió")],
)
def test_offline_page_is_translated(client, language, text):
    response = client.get(reverse("offline"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert text in response.content.decode()


def test_offline_page_carries_nothing_about_the_signed_in_person(client):
    user = UserFactory(username="rosa", first_name="Rosa", last_name="Serra")
    client.force_login(user)
    html = client.get(reverse("offline")).content.decode()
    assert "Rosa" not in html and "rosa" not in html
    assert "csrfmiddlewaretoken" not in html
    assert reverse("account_login") in html
