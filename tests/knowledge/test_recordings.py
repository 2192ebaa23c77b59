"""A session's recording becomes a knowledge item: a facilitator adds it once the session has
taken place, it goes through the community's review and the session links it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from knowledge import services
from knowledge.models import KnowledgeItemPage, Session
from tests.knowledge.builders import session

pytestmark = pytest.mark.django_db

LINK = "https://videos.example.org/recordings/winter-meeting"


@pytest.fixture
def past(world):
    return session(community=world.community, user=world.facilitator, days=-3, title="Winter")


def _url(world, held):
    return reverse("knowledge:session_recording", args=[world.community.slug, held.pk])


def test_facilitator_adds_a_recording_that_becomes_an_item_permitted(client, world, past):
    client.force_login(world.facilitator)
    page = client.get(reverse("knowledge:community", args=[world.community.slug]))
    assert _url(world, past) in page.content.decode()
    assert client.get(_url(world, past)).status_code == 200
    response = client.post(_url(world, past), {"link": LINK, "title": "", "summary": ""})
    assert response.status_code == 302
    past.refresh_from_db()
    item = past.recording
    assert item.kind == KnowledgeItemPage.Kind.RECORDING
    assert item.title == "Recording: Winter" and item.owner == world.facilitator
    assert not item.live and item.current_workflow_state is not None
    services.item_review(item=item, user=world.facilitator, approve=True)
    item = KnowledgeItemPage.objects.get(pk=item.pk)
    assert item.live
    body = client.get(item.url).content.decode()
    assert f'href="{LINK}"' in body
    client.logout()
    page = client.get(reverse("knowledge:community", args=[world.community.slug]))
    assert item.url in page.content.decode()


@pytest.mark.parametrize("role", ["member", "outsider", "editor"])
def test_others_cannot_add_a_recording_denied(client, world, past, role):
    client.force_login(getattr(world, role))
    assert client.get(_url(world, past)).status_code == 403
    assert client.post(_url(world, past), {"link": LINK}).status_code == 403
    past.refresh_from_db()
    assert past.recording is None


def test_anonymous_cannot_add_a_recording_denied(client, world, past):
    response = client.post(_url(world, past), {"link": LINK})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    past.refresh_from_db()
    assert past.recording is None


def test_another_communitys_session_is_not_found(client, world, past):
    client.force_login(world.facilitator)
    url = reverse("knowledge:session_recording", args=[world.closed.slug, past.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("link", ["", "not a link", "javascript:alert(1)", "ftp://x.org/a"])
def test_bad_links_are_refused_and_store_nothing(client, world, past, link):
    items = KnowledgeItemPage.objects.count()
    client.force_login(world.facilitator)
    response = client.post(_url(world, past), {"link": link})
    assert response.status_code == 400
    assert KnowledgeItemPage.objects.count() == items
    assert Session.objects.get(pk=past.pk).recording is None


def test_a_session_still_to_come_takes_no_recording(client, world):
    items = KnowledgeItemPage.objects.count()
    client.force_login(world.facilitator)
    response = client.post(_url(world, world.session), {"link": LINK})
    assert response.status_code == 400
    assert "once the session has taken place" in response.content.decode()
    assert KnowledgeItemPage.objects.count() == items


def test_a_second_recording_is_refused(world, past):
    services.session_recording_add(session=past, user=world.facilitator, link=LINK)
    items = KnowledgeItemPage.objects.count()
    with pytest.raises(ValidationError):
        services.session_recording_add(session=past, user=world.facilitator, link=LINK + "/2")
    assert KnowledgeItemPage.objects.count() == items
