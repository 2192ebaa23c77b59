"""The demo organizations: every kind, the roles the demo accounts need, safe to rerun."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from wagtail.images import get_image_model

from core.demo import DemoContext
from home import demo as home_demo
from partners import demo, selectors
from partners.models import Membership, PartnerPage

pytestmark = pytest.mark.django_db


def _seed():
    ctx = DemoContext(command=BaseCommand(stdout=StringIO()))
    home_demo.seed(ctx)
    demo.seed(ctx)
    return ctx


def _counts():
    return {
        "users": get_user_model().objects.count(),
        "organizations": PartnerPage.objects.count(),
        "memberships": Membership.objects.count(),
        "images": get_image_model().objects.count(),
    }


def test_demo_organizations(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    ctx = _seed()
    published = PartnerPage.objects.live()
    assert published.count() >= 12
    assert set(published.values_list("kind", flat=True)) == set(PartnerPage.Kind.values)
    assert all(o.logo_id and o.region_id and o.summary for o in published)
    assert (
        published.filter(
            region__name__in=["Barcelonès", "Gironès", "Segrià", "Tarragonès"]
        ).count()
        >= 4
    )

    users = ctx.users

    def role(key, name):
        organization = ctx.organizations[key]
        return Membership.objects.get(organization=organization, user=users[name]).role

    assert role("lead", "coordinator") == "admin"
    assert role("partner", "member") == "member"
    assert (
        ctx.organizations["partner"]
        .memberships.filter(role="admin")
        .exclude(user__username__in=["coordinator", "member", "outsider"])
        .exists()
    )
    assert role("outsider", "outsider") == "admin"
    assert (
        not ctx.organizations["outsider"]
        .memberships.filter(user__username__in=["coordinator", "member"])
        .exists()
    )
    pending = ctx.organizations["pending"]
    assert not pending.live
    assert selectors.organization_review_states([pending])[pending.pk] == selectors.AWAITING_REVIEW
    for organization in published:
        assert ctx.organizations[organization.slug] == organization
        assert organization.offers.exists() and organization.seeks.exists()

    first = _counts()
    again = _seed()
    assert _counts() == first
    assert again.organizations["lead"] == ctx.organizations["lead"]


def test_every_demo_organization_speaks_spanish_and_catalan(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    _seed()
    published = list(PartnerPage.objects.live())
    translated = [
        o
        for o in published
        if all(
            (o.text_translations.get(code) or {}).get(key)
            for code in ("es", "ca")
            for key in ("summary", "description")
        )
    ]
    assert translated == published
    lead = PartnerPage.objects.get(title="Fundació Impuls Digital")
    html = client.get(f"/ca/partners/{lead.slug}/").content.decode()
    assert "Competències digitals i primera feina" in html
    html = client.get(f"/es/partners/{lead.slug}/").content.decode()
    assert "Competencias digitales y primer empleo" in html
