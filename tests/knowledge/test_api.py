"""Knowledge items in the public API (/api/v2/pages/): published, public items with their
public fields; members-only items and drafts are never served."""

import pytest
from django.test import Client

from taxonomy.models import SustainableDevelopmentGoal

pytestmark = pytest.mark.django_db

API = "/api/v2/pages/"
TYPE = "knowledge.KnowledgeItemPage"


def test_the_api_lists_published_public_items_with_their_fields(world):
    response = Client().get(API, {"type": TYPE, "fields": "*"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["title"] for item in items] == [world.item.title]
    item = items[0]
    assert item["kind"] == "guide"
    assert item["licence"] == "cc-by-4.0"
    assert item["language"] == "en"
    assert item["last_reviewed"] == world.item.last_reviewed.isoformat()
    assert item["body"][0]["type"] == "paragraph"


def test_the_api_never_serves_members_only_items_or_drafts(world):
    client = Client()
    titles = [item["title"] for item in client.get(API, {"limit": 20}).json()["items"]]
    assert world.item.title in titles
    assert world.private_item.title not in titles and world.draft.title not in titles
    assert client.get(f"{API}{world.private_item.pk}/").status_code == 404
    assert client.get(f"{API}{world.draft.pk}/").status_code == 404
    # Not even to its members: the API is the open-data face of the knowledge base.
    client.force_login(world.member)
    assert client.get(f"{API}{world.private_item.pk}/").status_code == 404


def test_the_api_filters_items_by_sdg(world):
    world.item.sdgs.set([SustainableDevelopmentGoal.objects.get(number=4)])
    world.item.save_revision().publish()
    found = Client().get(API, {"type": TYPE, "sdg": "4"}).json()["items"]
    assert [item["title"] for item in found] == [world.item.title]
    assert Client().get(API, {"type": TYPE, "sdg": "5"}).json()["items"] == []
