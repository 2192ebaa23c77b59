"""Editors curate opportunities in the Wagtail admin: calls, the review of posts, events."""

from django.test import Client
from django.urls import reverse

from opportunities.models import Event, FundingCall, PartnerSearch
from tests.utils import editor

from .conftest import make_event, make_post


def _admin_url(model, action, *args):
    return reverse(f"wagtailsnippets_opportunities_{model._meta.model_name}:{action}", args=args)


def test_editor_opens_every_opportunities_admin_page(cluster):
    from home.permissions import editors_group_sync

    editors_group_sync()
    post = make_post(cluster, publish=False)
    event = make_event()
    client = Client()
    client.force_login(editor())
    for model in (FundingCall, PartnerSearch, Event):
        assert client.get(_admin_url(model, "list")).status_code == 200
    assert client.get(_admin_url(FundingCall, "add")).status_code == 200
    assert client.get(_admin_url(Event, "add")).status_code == 200
    assert client.get(_admin_url(Event, "edit", event.pk)).status_code == 200
    assert client.get(_admin_url(PartnerSearch, "edit", post.pk)).status_code == 200


def test_a_person_in_an_organization_cannot_open_the_admin(cluster):
    client = Client()
    client.force_login(cluster.own_admin)
    response = client.get(_admin_url(FundingCall, "list"))
    assert response.status_code == 302
