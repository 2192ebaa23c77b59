"""Ordered result lists kept until the next publish (cluster/results.py), and the directories
and search that page through them."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import pagecache
from core.results import KeptResults
from projects.models import ProjectPage
from tests.factories import UserFactory
from tests.utils import approved_organization, approved_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Whole pages are cached too; these tests look at what a rendered page lists.
    settings.PAGECACHE_ENABLED = False


def _kept(name="test"):
    live = ProjectPage.objects.live()
    return KeptResults(name, live.order_by("title"), live)


def _lead(title="Lead NGO"):
    admin = UserFactory()
    return admin, approved_organization(admin=admin, title=title)


def _projects(*titles):
    admin, lead = _lead()
    return [approved_project(coordinator=admin, lead=lead, title=title) for title in titles]


def test_a_sequence_in_the_results_order():
    _projects("Cedar", "Alder", "Birch", "Elm", "Dogwood")
    kept = _kept()
    assert len(kept) == 5
    assert [p.title for p in kept] == ["Alder", "Birch", "Cedar", "Dogwood", "Elm"]
    assert [p.title for p in kept[1:3]] == ["Birch", "Cedar"]
    assert kept[0].title == "Alder" and kept[-1].title == "Elm"
    assert kept[9:12] == []
    with pytest.raises(IndexError):
        kept[5]
    page = Paginator(kept, 2).get_page(3)
    assert page.paginator.count == 5 and page.paginator.num_pages == 3
    assert [p.title for p in page.object_list] == ["Elm"]


def test_the_matches_are_read_once_until_the_next_publish(django_assert_num_queries):
    admin, lead = _lead()
    approved_project(coordinator=admin, lead=lead, title="Alder")
    assert len(_kept()) == 1
    with django_assert_num_queries(0):
        assert len(_kept()) == 1  # another request, the same list
    with django_assert_num_queries(1):
        assert [p.title for p in _kept()[0:10]] == ["Alder"]  # its page: one read by key
    assert len(_kept("other filters")) == 1  # its own entry

    approved_project(
        coordinator=admin, lead=lead, title="Birch"
    )  # published: every kept list is stale
    assert [p.title for p in _kept()] == ["Alder", "Birch"]


def test_an_object_gone_without_a_publish_is_skipped_not_shown():
    alder, birch = _projects("Alder", "Birch")
    assert len(_kept()) == 2
    ProjectPage.objects.filter(pk=alder.pk).update(live=False)  # no signal, no new generation
    kept = _kept()
    assert len(kept) == 2  # the kept keys
    assert [p.title for p in kept[0:10]] == ["Birch"]  # the objects are always read fresh


def test_a_dead_cache_just_reads_the_database(monkeypatch):
    _projects("Alder")

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(pagecache.cache, "get_many", broken)
    assert [p.title for p in _kept()] == ["Alder"]


def _date_ordered(captured):
    return [q for q in captured.captured_queries if '"first_published_at" DESC' in q["sql"]]


def test_project_directory_reads_its_matches_once_per_publish(client):
    alder, _ = _projects("Alder", "Birch")
    url = f"/projects/?status={alder.status}"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).context["directory"].page.paginator.count == 2
    with CaptureQueriesContext(connection) as second:
        response = client.get(url)
    assert [p.title for p in response.context["directory"].page.object_list] == ["Birch", "Alder"]
    assert response.context["directory"].page.paginator.count == 2
    # The first request ordered the matches; the second read its page by primary key.
    assert _date_ordered(first) and not _date_ordered(second)


@pytest.mark.parametrize(
    "url", ["/projects/", "/projects/?q=Willow", "/partners/?q=Willow", "/search/?q=Willow"]
)
def test_publishing_and_unpublishing_show_at_once_in_directories_and_search(client, url):
    admin, lead = _lead("Willow Lead")
    approved_project(coordinator=admin, lead=lead, title="Willow garden")
    before = client.get(url).content.decode()
    admin, newcomer = _lead("Willow Newcomer")
    project = approved_project(coordinator=admin, lead=newcomer, title="Willow orchard")
    after = client.get(url).content.decode()
    # (search highlights the query word: look for the other one)
    expected = "Newcomer" if url.startswith("/partners/") else "orchard"
    assert expected not in before and expected in after
    (newcomer if url.startswith("/partners/") else project).unpublish()
    assert expected not in client.get(url).content.decode()
