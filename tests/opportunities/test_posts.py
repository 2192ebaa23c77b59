"""Partner-search posts: review, expiry and renewal, interest, matches; permitted and denied."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from opportunities import services
from opportunities.models import PartnerInterest, PartnerSearch

from .conftest import a_region, make_post

BOARD = reverse("opportunities:post_board")


def _client(user=None):
    client = Client()
    if user:
        client.force_login(user)
    return client


def _form(cluster, **fields):
    data = {
        "organization": cluster.own.pk,
        "direction": "seek",
        "title": "We seek a university",
        "purpose": "For an applied research project.",
        "partner_kind": "university",
        "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    data.update(fields)
    return data


def test_admin_posts_a_search_for_review_permitted(cluster):
    response = _client(cluster.own_admin).post(
        reverse("opportunities:post_create"), _form(cluster)
    )
    post = PartnerSearch.objects.get()
    assert response.status_code == 302
    assert post.status == PartnerSearch.Status.PENDING and post.created_by == cluster.own_admin
    # Waiting for review: its organization sees it, nobody else does, and it is not listed.
    url = reverse("opportunities:post_detail", args=[post.pk])
    assert _client(cluster.own_member).get(url).status_code == 200
    assert _client(cluster.other_admin).get(url).status_code == 404
    assert _client(cluster.editor).get(url).status_code == 200
    assert post.title not in _client().get(BOARD).content.decode()


def test_posting_a_search_denied(cluster):
    url = reverse("opportunities:post_create")
    assert _client().get(url).status_code == 302
    assert _client(cluster.own_member).get(url).status_code == 403
    assert _client(cluster.no_org).post(url, _form(cluster)).status_code == 403
    # An admin cannot post for an organization they do not administer.
    response = _client(cluster.own_admin).post(url, _form(cluster, organization=cluster.other.pk))
    assert response.status_code == 200 and response.context["form"].errors
    assert not PartnerSearch.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"expires_on": "2000-01-01"},
        {"title": ""},
        {"partner_kind": "martian"},
        {"expires_on": "not a date"},
    ],
)
def test_bad_input_is_refused_with_nothing_stored(cluster, fields):
    response = _client(cluster.own_admin).post(
        reverse("opportunities:post_create"), _form(cluster, **fields)
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not PartnerSearch.objects.exists()


def test_a_post_lasts_a_year_at_most(cluster):
    with pytest.raises(ValidationError):
        make_post(cluster, days=400)
    assert not PartnerSearch.objects.exists()


def test_board_lists_published_posts_until_they_expire(cluster):
    listed = make_post(cluster, title="Listed")
    make_post(cluster, title="Waiting", publish=False)
    expired = make_post(cluster, title="Expired")
    PartnerSearch.objects.filter(pk=expired.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    assert list(_client().get(BOARD).context["posts"]) == [listed]
    # The expired post is still readable by its organization, marked so, but not by others.
    url = reverse("opportunities:post_detail", args=[expired.pk])
    assert _client().get(url).status_code == 404
    assert "Expired" in _client(cluster.own_member).get(url).content.decode()


def test_board_filters(cluster):
    region = a_region()
    make_post(cluster, title="In the region", region=region)
    make_post(cluster, title="Offering", direction="offer")
    titles = [p.title for p in _client().get(BOARD, {"region": region.slug}).context["posts"]]
    assert titles == ["In the region"]
    titles = [p.title for p in _client().get(BOARD, {"direction": "offer"}).context["posts"]]
    assert titles == ["Offering"]


@pytest.mark.parametrize("signed_in", [False, True])
def test_board_queries_do_not_grow_with_posts(cluster, signed_in, django_assert_max_num_queries):
    client = _client(cluster.other_admin if signed_in else None)
    region = a_region()
    for count in (3, 50):
        for n in range(PartnerSearch.objects.count(), count):
            make_post(cluster, title=f"Post {n}", region=region)
        with django_assert_max_num_queries(14):
            assert client.get(BOARD).status_code == 200


def test_expiry_reminder_reaches_the_admins_once(cluster):
    post = make_post(cluster, days=5)
    make_post(cluster, title="Far away", days=50)
    assert services.posts_expiry_remind() == 1
    assert services.posts_expiry_remind() == 0
    reminded = Notification.objects.filter(kind="opportunities.post_expiring")
    assert [n.user for n in reminded] == [cluster.own_admin]
    # Renewing pushes the expiry and lets the reminder come again next time.
    _client(cluster.own_admin).post(reverse("opportunities:post_renew", args=[post.pk]))
    post.refresh_from_db()
    assert post.expires_on == timezone.localdate() + services.RENEW_FOR
    assert post.reminded_at is None


def test_renew_and_close_permitted(cluster):
    post = make_post(cluster, days=3)
    _client(cluster.editor).post(reverse("opportunities:post_renew", args=[post.pk]))
    post.refresh_from_db()
    assert post.expires_on > timezone.localdate() + timedelta(days=3)
    _client(cluster.own_admin).post(reverse("opportunities:post_close", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == PartnerSearch.Status.CLOSED


@pytest.mark.parametrize("action", ["post_renew", "post_close"])
def test_renew_and_close_denied(cluster, action):
    post = make_post(cluster, days=3)
    url = reverse(f"opportunities:{action}", args=[post.pk])
    assert _client().post(url).status_code == 302
    assert _client(cluster.own_member).post(url).status_code == 403
    assert _client(cluster.other_admin).post(url).status_code == 403
    post.refresh_from_db()
    assert post.status == PartnerSearch.Status.PUBLISHED
    assert post.expires_on == timezone.localdate() + timedelta(days=3)


def test_express_interest_permitted_tells_the_post_admins(cluster):
    post = make_post(cluster)
    response = _client(cluster.other_admin).post(
        reverse("opportunities:post_interest", args=[post.pk]),
        {"organization": cluster.other.pk, "message": "We train young people."},
    )
    assert response.status_code == 302
    interest = PartnerInterest.objects.get()
    assert interest.organization == cluster.other
    note = Notification.objects.get(kind="opportunities.interest")
    assert note.user == cluster.own_admin and "Other org" in note.title
    # Only the post's organization reads who is interested.
    url = reverse("opportunities:post_detail", args=[post.pk])
    assert "We train young people." in _client(cluster.own_member).get(url).content.decode()
    outsider_page = _client(cluster.other_member).get(url).content.decode()
    assert "We train young people." not in outsider_page
    assert "Organizations interested" not in outsider_page
    # Once per organization.
    with pytest.raises(ValidationError):
        services.interest_express(
            user=cluster.other_admin, post=post, organization=cluster.other, message="Again"
        )


def test_express_interest_denied(cluster):
    post = make_post(cluster)
    url = reverse("opportunities:post_interest", args=[post.pk])
    data = {"organization": cluster.other.pk, "message": "Hello"}
    assert _client(cluster.other_member).post(url, data).status_code == 403
    assert _client(cluster.no_org).post(url, data).status_code == 403
    # The post's own admin has no other organization to speak for.
    assert _client(cluster.own_admin).post(url, data).status_code == 403
    with pytest.raises(PermissionDenied):
        services.interest_express(
            user=cluster.other_member, post=post, organization=cluster.other, message="x"
        )
    assert not PartnerInterest.objects.exists()


def test_matches_come_with_their_reasons(cluster):
    post = make_post(cluster, partner_kind="cooperative")
    response = _client().get(reverse("opportunities:post_detail", args=[post.pk]))
    matches = response.context["matches"]
    assert [(org.title, reasons) for org, reasons in matches] == [("Other org", ["Cooperative"])]
