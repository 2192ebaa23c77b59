"""The anonymous page cache (cluster/pagecache.py): what it serves, what it never stores."""

import pytest
from django.test import Client, RequestFactory
from django.urls import resolve
from wagtail.models import PageViewRestriction

from core import pagecache
from tests.factories import UserFactory
from tests.utils import approved_organization, approved_project, vocabulary

pytestmark = pytest.mark.django_db

HEADER = pagecache.HEADER


def test_second_anonymous_get_is_a_hit_with_zero_queries(client, django_assert_num_queries):
    first = client.get("/")
    assert first.status_code == 200
    assert first[HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.status_code == 200
    assert second[HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Language"] == "en"


def test_head_is_served_from_the_get_entry(client, django_assert_num_queries):
    client.get("/projects/")
    with django_assert_num_queries(0):
        response = client.head("/projects/")
    assert response[HEADER] == "hit"
    assert response.content == b""


def test_project_and_partner_pages_are_cached(client, django_assert_num_queries):
    project = approved_project()
    for url in (project.url, project.lead_organization.url):
        assert client.get(url)[HEADER] == "miss"
        with django_assert_num_queries(0):
            assert client.get(url)[HEADER] == "hit"


def test_directory_filters_are_cached_other_query_strings_are_not(
    client, django_assert_num_queries
):
    assert client.get("/projects/?status=active&sdg=4")[HEADER] == "miss"
    with django_assert_num_queries(0):
        # The same filters in another order are the same page.
        assert client.get("/projects/?sdg=4&status=active")[HEADER] == "hit"
    tracked = client.get("/projects/?utm_source=newsletter")
    assert tracked.status_code == 200
    assert HEADER not in tracked
    assert HEADER not in client.get("/projects/?utm_source=newsletter")


def test_the_project_directorys_need_filter_is_cached_and_keyed_by_its_values(
    client, django_assert_num_queries
):
    vocabulary("mentoring", "funding")  # approved tags: proposed ones are no filter
    project = approved_project(needs=["mentoring", "funding"])
    mentoring = client.get("/projects/?need=mentoring")
    assert mentoring[HEADER] == "miss"
    assert project.title in mentoring.content.decode()
    with django_assert_num_queries(0):
        assert client.get("/projects/?need=mentoring")[HEADER] == "hit"
    # Another value is another page, not the first one's entry.
    other = client.get("/projects/?need=volunteers")
    assert other[HEADER] == "miss"
    assert project.title not in other.content.decode()
    assert client.get("/projects/?need=mentoring&status=idea")[HEADER] == "miss"
    with django_assert_num_queries(0):
        assert client.get("/projects/?status=idea&need=mentoring")[HEADER] == "hit"


def test_each_app_registers_its_directory_parameters():
    from partners.directory import PAGECACHE_PARAMS as partner_params
    from projects.directory import PAGECACHE_PARAMS as project_params

    allowed = pagecache.query_params()
    assert set(project_params) | set(partner_params) <= allowed
    assert "need" in allowed and "format" not in allowed and "utm_source" not in allowed


def test_the_query_params_setting_replaces_the_registrations(settings):
    settings.PAGECACHE_QUERY_PARAMS = ["q"]
    factory = RequestFactory()
    assert pagecache._request_key(factory.get("/projects/?q=x")) is not None
    assert pagecache._request_key(factory.get("/projects/?need=x")) is None


def test_publishing_an_edit_shows_on_the_next_request(client):
    project = approved_project(title="Old title")
    assert "Old title" in client.get(project.url).content.decode()
    assert client.get(project.url)[HEADER] == "hit"

    project.title = "New title"
    project.save_revision().publish()

    response = client.get(project.url)
    assert response[HEADER] == "miss"
    assert "New title" in response.content.decode()


def test_unpublishing_shows_on_the_next_request(client):
    organization = approved_organization(title="Going away")
    url = organization.url
    client.get(url)
    assert client.get(url)[HEADER] == "hit"
    organization.unpublish()
    assert client.get(url).status_code == 404


def test_cache_invalidate_makes_the_next_request_a_miss(client):
    client.get("/partners/")
    assert client.get("/partners/")[HEADER] == "hit"
    pagecache.cache_invalidate()
    assert client.get("/partners/")[HEADER] == "miss"


def test_signed_in_pages_are_never_cached_nor_served_from_the_cache(client):
    user = UserFactory(first_name="Secretia", last_name="Person")
    client.get("/")  # an anonymous entry exists
    client.force_login(user)
    for _ in range(2):
        response = client.get("/")
        assert HEADER not in response
        assert "Secretia" in response.content.decode()
    anonymous = Client()
    response = anonymous.get("/")
    assert "Secretia" not in response.content.decode()
    assert response[HEADER] == "hit"


def test_a_signed_in_render_never_reaches_anonymous_visitors(client):
    user = UserFactory(first_name="Secretia")
    client.force_login(user)
    client.get("/partners/")
    response = Client().get("/partners/")
    assert response[HEADER] == "miss"
    assert "Secretia" not in response.content.decode()


def test_pages_with_a_csrf_token_are_never_cached(client, django_assert_max_num_queries):
    organization = approved_organization(title="Behind a password")
    PageViewRestriction.objects.create(
        page=organization, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    for _ in range(2):
        response = client.get(organization.url)
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert HEADER not in response


def test_a_public_page_using_a_csrf_token_is_never_cached(client, settings):
    # Make the login form look like a cacheable public page: only its CSRF token (and the
    # cookie that comes with it) can stop it.
    settings.PAGECACHE_PRIVATE_PREFIXES = ()
    settings.PAGECACHE_URL_NAMES = ["account_login"]
    for _ in range(2):
        response = client.get("/accounts/login/")
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert HEADER not in response


def test_csrf_use_and_previews_are_refused_by_the_response_check():
    request = RequestFactory().get("/")
    request.resolver_match = resolve("/")

    class Ok:
        status_code = 200
        streaming = False
        cookies = {}

        def get(self, name, default=""):
            return default

    assert pagecache._response_cacheable(request, Ok())
    request.META["CSRF_COOKIE_USED"] = True
    assert not pagecache._response_cacheable(request, Ok())
    del request.META["CSRF_COOKIE_USED"]
    request.is_preview = True
    assert not pagecache._response_cacheable(request, Ok())


def test_drafts_are_never_cached(client):
    from partners.services import organization_apply

    draft = organization_apply(user=UserFactory(), title="Draft org")
    url = draft.get_url()
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 404
        assert HEADER not in response


def test_previews_are_not_cached(client):
    editor = UserFactory(is_superuser=True, is_staff=True)
    project = approved_project(title="Previewed")
    client.force_login(editor)
    url = f"/admin/pages/{project.pk}/view_draft/"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert HEADER not in response
    # The anonymous visitor's first view is a miss: nothing the editor saw was stored.
    assert Client().get(project.url)[HEADER] == "miss"


@pytest.mark.parametrize(
    ("url", "expected"),
    [("/es/", "Saltar al contenido"), ("/ca/", "Salta al contingut"), ("/", "Skip to content")],
)
def test_languages_are_not_mixed(client, url, expected):
    # Warm the cache in every other language first, with browsers asking for each (a browser
    # asking for another language on an unprefixed page is sent to its URL, never cached).
    for other, language in (("/", "es"), ("/", "en"), ("/es/", "en"), ("/ca/", "es")):
        Client().get(other, HTTP_ACCEPT_LANGUAGE=language)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response[HEADER] == "hit"
    assert expected in response.content.decode()


def test_unprefixed_page_sends_a_chosen_language_to_its_url(client, django_assert_num_queries):
    """An unprefixed page is the default language; whoever chose another one is sent to it."""
    Client().get("/", HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "ca"
    with django_assert_num_queries(0):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302 and response["Location"] == "/ca/"
    assert HEADER not in response
    assert "Cookie" in response["Vary"] and "private" in response["Cache-Control"]
    chose_english = Client()
    chose_english.cookies["django_language"] = "en"
    with django_assert_num_queries(0):
        response = chose_english.get("/", HTTP_ACCEPT_LANGUAGE="ca")
    assert response[HEADER] == "hit"
    assert "Skip to content" in response.content.decode()
    assert client.get("/ca/")[HEADER] == "miss"


def test_session_cookie_bypasses_the_cache(client):
    client.get("/")
    client.cookies["sessionid"] = "whatever"
    assert HEADER not in client.get("/")


def test_private_prefixes_are_never_cached(client):
    for url in ("/accounts/login/", "/api/v2/pages/", "/healthz"):
        client.get(url)
        assert HEADER not in client.get(url), url


def test_language_switcher_works_without_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    html = client.get("/").content.decode()
    assert "csrfmiddlewaretoken" not in html
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/es/"
    assert client.cookies["django_language"].value == "es"
    assert "Saltar al contenido" in client.get("/es/").content.decode()


def test_language_switcher_refuses_cross_site_posts():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/i18n/setlang/", {"language": "es", "next": "/"}, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    response = client.post(
        "/i18n/setlang/", {"language": "es", "next": "/"}, HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert response.status_code == 403
    response = client.post(
        "/i18n/setlang/", {"language": "es", "next": "/"}, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302


def _asgi_get(path, headers=(), method="GET"):
    """Call the ASGI app daphne serves (page cache front + Django) and collect the response."""
    from asgiref.sync import async_to_sync

    from cluster.asgi import application

    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    async def run():
        import asyncio

        sent = []
        requested = asyncio.Event()

        async def receive():
            if not requested.is_set():
                requested.set()
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.Event().wait()  # no disconnect until the response is complete

        async def send(message):
            sent.append(message)

        task = asyncio.ensure_future(application(scope, receive, send))
        await task
        return sent

    from django.core import signals
    from django.db import close_old_connections

    # As Django's own test clients do: the test's connection must survive the request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        sent = async_to_sync(run)()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], headers, body


def test_asgi_front_serves_hits_without_django(client, django_assert_num_queries):
    stored = client.get("/es/partners/")
    assert stored[HEADER] == "miss"
    from django.core.signals import request_started

    started = []
    request_started.connect(lambda **kw: started.append(1), weak=False, dispatch_uid="front")
    try:
        with django_assert_num_queries(0):
            status, headers, body = _asgi_get("/es/partners/", [(b"accept-language", b"en")])
    finally:
        request_started.disconnect(dispatch_uid="front")
    assert started == []  # Django's request machinery never ran
    assert status == 200
    assert headers[HEADER.lower()] == "hit"
    assert body == stored.content
    assert int(headers["content-length"]) == len(body)
    assert "Saltar al contenido" in body.decode()
    # Another language is another entry, rendered by Django.
    status, headers, body = _asgi_get("/ca/partners/", [(b"accept-language", b"es")])
    assert headers[HEADER.lower()] == "miss"
    assert "Salta al contingut" in body.decode()


def test_asgi_front_head_and_bypass(client):
    client.get("/")
    status, headers, body = _asgi_get("/", method="HEAD")
    assert (status, headers[HEADER.lower()], body) == (200, "hit", b"")
    status, headers, body = _asgi_get("/", [(b"cookie", b"sessionid=abc")])
    assert status == 200
    assert HEADER.lower() not in headers


def test_asgi_front_sees_invalidation(client):
    project = approved_project(title="Before")
    client.get(project.url)
    assert _asgi_get(project.url)[1][HEADER.lower()] == "hit"
    project.title = "After"
    project.save_revision().publish()
    status, headers, body = _asgi_get(project.url)
    assert headers[HEADER.lower()] == "miss"
    assert "After" in body.decode()


def test_vocabulary_changes_invalidate(client):
    from taxonomy.models import Sector

    client.get("/projects/")
    assert client.get("/projects/")[HEADER] == "hit"
    Sector.objects.create(name="Brand new sector", slug="brand-new-sector")
    assert client.get("/projects/")[HEADER] == "miss"


def test_deleting_a_page_invalidates(client):
    organization = approved_organization(title="Soon deleted")
    client.get("/partners/")
    assert client.get("/partners/")[HEADER] == "hit"
    organization.delete()
    assert client.get("/partners/")[HEADER] == "miss"
