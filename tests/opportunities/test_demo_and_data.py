"""The demo data, the personal-data registry, and every public index in three languages."""

from io import StringIO

import pytest
from django.core.management.base import BaseCommand
from django.test import Client

from core.demo import DemoContext
from core.personal_data import registrations
from opportunities import selectors, services
from opportunities.models import Event, FundingCall, MeetingRequest, PartnerSearch
from partners.models import PartnerCapability

from .conftest import make_event, make_post


@pytest.mark.django_db
def test_demo_is_safe_to_run_twice(settings, tmp_path):
    from home import demo as home_demo
    from opportunities import demo
    from partners import demo as partners_demo
    from projects import demo as projects_demo

    settings.MEDIA_ROOT = str(tmp_path)
    ctx = DemoContext(command=BaseCommand(stdout=StringIO()))
    for module in (home_demo, partners_demo, projects_demo, demo):
        module.seed(ctx)
    counts = (
        FundingCall.objects.count(),
        PartnerSearch.objects.count(),
        Event.objects.count(),
        MeetingRequest.objects.count(),
    )
    assert counts == (len(demo.CALLS), 2, 1, 1)
    # The demo organizations have capability profiles, and the post that seeks a service is
    # matched to an organization for the territory it serves and the service it gives.
    assert PartnerCapability.objects.filter(facet="service").count() >= 9
    post = PartnerSearch.objects.get(title=demo.WORKSHOP_POST)
    reasons = dict(selectors.post_matches(post))
    partner = next(org for org in reasons if org.pk == ctx.organizations["partner"].pk)
    assert any("serves the same territory" in str(r) for r in reasons[partner])
    assert any("gives the service sought" in str(r) for r in reasons[partner])
    (conversation,) = post.interests.all()
    assert conversation.messages.count() == 2
    demo.seed(ctx)
    assert (
        FundingCall.objects.count(),
        PartnerSearch.objects.count(),
        Event.objects.count(),
        MeetingRequest.objects.count(),
    ) == counts
    for prefix in ("", "/es", "/ca"):
        for path in ("/opportunities/calls/", "/opportunities/partner-search/", "/events/"):
            assert Client().get(f"{prefix}{path}").status_code == 200
        assert Client().get(f"{prefix}/cluster/").status_code == 200


def test_personal_data_is_exported_and_forgotten(cluster):
    registration = next(r for r in registrations() if r.section == "opportunities")
    make_post(cluster, title="Mine")
    event = make_event()
    services.event_register(user=cluster.own_admin, event=event, organization=cluster.own)
    exported = registration.export(cluster.own_admin)
    assert exported["partner_search_posts"][0]["title"] == "Mine"
    assert exported["event_registrations"][0]["organization"] == "Own org"
    post = PartnerSearch.objects.get()
    interest = services.interest_express(
        user=cluster.other_admin, post=post, organization=cluster.other, message="Hello."
    )
    services.conversation_mark_read(
        user=cluster.own_admin, interest=interest, last_id=interest.messages.get().pk
    )
    assert registration.export(cluster.own_admin)["conversations_read"] == [
        {"post": "Mine", "last_read_message": interest.messages.get().pk}
    ]
    registration.forget(cluster.own_admin, None)
    assert not registration.export(cluster.own_admin)["conversations_read"]
    assert PartnerSearch.objects.get().created_by is None
    assert not registration.export(cluster.own_admin)["event_registrations"]
