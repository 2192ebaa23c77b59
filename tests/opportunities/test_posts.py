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
    conversation = reverse("opportunities:conversation", args=[post.pk, interest.pk])
    assert note.url == conversation
    # Only the post's organization reads who is interested; the message is in the private
    # conversation, which only the admins of the two organizations open.
    url = reverse("opportunities:post_detail", args=[post.pk])
    member_page = _client(cluster.own_member).get(url).content.decode()
    assert "Other org" in member_page and "We train young people." not in member_page
    assert conversation not in member_page
    assert conversation in _client(cluster.own_admin).get(url).content.decode()
    assert conversation in _client(cluster.other_admin).get(url).content.decode()
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


def test_matches_explain_territories_served_and_services_given(cluster):
    """An organization based elsewhere that serves the post's region and gives the service
    sought fits it, and says so; one that does neither is not offered."""
    from partners.services import organization_update

    region = a_region()
    organization_update(
        organization=cluster.other,
        user=cluster.other_admin,
        territories=[region],
        capabilities={"service": ["employment", "training"]},
    )
    post = make_post(cluster, region=region, service="employment")
    response = _client().get(reverse("opportunities:post_detail", args=[post.pk]))
    matches = [
        (org.title, [str(r) for r in reasons]) for org, reasons in response.context["matches"]
    ]
    assert matches == [
        (
            "Other org",
            [
                "serves the same territory (Barcelonès)",
                "gives the service sought (Employment and job placement)",
            ],
        )
    ]
    assert "Employment and job placement" in response.content.decode()
    # Neither serving the region nor giving the service: no match.
    other_post = make_post(cluster, region=region, service="legal", title="Legal partner")
    organization_update(
        organization=cluster.other, user=cluster.other_admin, territories=[], capabilities={}
    )
    response = _client().get(reverse("opportunities:post_detail", args=[other_post.pk]))
    assert response.context["matches"] == []


def test_a_post_refuses_an_unknown_service(cluster):
    with pytest.raises(ValidationError):
        make_post(cluster, service="astrology")
    assert not PartnerSearch.objects.exists()


def test_a_post_names_editors_services_in_the_readers_language_and_refuses_retired_ones(cluster):
    """Services are editors' terms (``partners.CapabilityTerm``): the form offers those in use,
    named in the reader's language; a retired one is refused with nothing stored, and a post
    that already names it keeps it, and its matches say so in Catalan."""
    from django.utils import translation

    from partners import capabilities
    from partners.models import CapabilityTerm
    from partners.services import organization_update

    organization_update(
        organization=cluster.other,
        user=cluster.other_admin,
        capabilities={"service": ["employment"]},
    )
    post = make_post(cluster, service="employment")
    # As the admin's edit form does: retire it and have the terms read afresh.
    CapabilityTerm.objects.filter(facet="service", code="employment").update(retired=True)
    capabilities.terms_changed()
    client = _client(cluster.own_admin)
    with translation.override("ca"):
        create_url = reverse("opportunities:post_create")
        detail_url = reverse("opportunities:post_detail", args=[post.pk])
    assert create_url.startswith("/ca/")
    form = client.get(create_url).content.decode()
    assert 'value="training"' in form and "Formació i educació" in form
    assert 'value="employment"' not in form
    response = client.post(create_url, _form(cluster, service="employment"))
    assert response.status_code == 200 and response.context["form"].errors["service"]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        # The requests above left this thread in Catalan: the message is read in English.
        make_post(cluster, service="employment", title="Another")
    assert "no longer offered" in " ".join(refused.value.message_dict["service"])
    assert PartnerSearch.objects.count() == 1
    detail = _client().get(detail_url)
    reasons = [str(r) for _org, found in detail.context["matches"] for r in found]
    assert any("Ocupació i inserció laboral" in reason for reason in reasons), reasons


def _conversation(cluster):
    post = make_post(cluster)
    interest = services.interest_express(
        user=cluster.other_admin, post=post, organization=cluster.other, message="We can help."
    )
    return post, interest, reverse("opportunities:conversation", args=[post.pk, interest.pk])


def test_conversation_permitted_to_both_organizations_admins(cluster):
    post, interest, url = _conversation(cluster)
    page = _client(cluster.own_admin).get(url)
    assert page.status_code == 200 and "We can help." in page.content.decode()
    response = _client(cluster.own_admin).post(url, {"body": "Let us meet on Monday."})
    assert response.status_code == 302
    note = Notification.objects.get(kind="opportunities.conversation")
    assert note.user == cluster.other_admin and note.url == url
    reply = _client(cluster.other_admin).post(url, {"body": "Monday suits us."})
    assert reply.status_code == 302
    messages = list(interest.messages.values_list("organization_id", "author_id", "body"))
    assert messages == [
        (cluster.other.pk, cluster.other_admin.pk, "We can help."),
        (cluster.own.pk, cluster.own_admin.pk, "Let us meet on Monday."),
        (cluster.other.pk, cluster.other_admin.pk, "Monday suits us."),
    ]
    told = Notification.objects.filter(kind="opportunities.conversation")
    assert sorted(told.values_list("user__username", flat=True)) == ["other_admin", "own_admin"]
    thread = _client(cluster.other_admin).get(url).content.decode()
    assert thread.index("Let us meet on Monday.") < thread.index("Monday suits us.")


def test_conversation_denied_to_everyone_else(cluster):
    post, interest, url = _conversation(cluster)
    login = _client().get(url)
    assert login.status_code == 302 and "/accounts/login/" in login["Location"]
    assert _client().post(url, {"body": "Hi"}).status_code == 302
    for user in (cluster.own_member, cluster.other_member, cluster.no_org, cluster.editor):
        assert _client(user).get(url).status_code == 404
        assert _client(user).post(url, {"body": "Hi"}).status_code == 404
        with pytest.raises(PermissionDenied):
            services.conversation_reply(user=user, interest=interest, body="Hi")
    # An interest of another post is not found under this one.
    other_post = make_post(cluster, title="Another post")
    wrong = reverse("opportunities:conversation", args=[other_post.pk, interest.pk])
    assert _client(cluster.own_admin).get(wrong).status_code == 404
    assert interest.messages.count() == 1


def test_conversation_refuses_an_empty_or_long_message(cluster):
    post, interest, url = _conversation(cluster)
    for body in ("", "   ", "x" * 2001):
        response = _client(cluster.own_admin).post(url, {"body": body})
        assert response.status_code == 200
        assert response.context["form"].errors
    with pytest.raises(ValidationError):
        services.conversation_reply(user=cluster.own_admin, interest=interest, body="  ")
    assert interest.messages.count() == 1
    assert not Notification.objects.filter(kind="opportunities.conversation").exists()


def test_the_conversation_outlives_the_post(cluster):
    post, interest, url = _conversation(cluster)
    services.post_close(user=cluster.own_admin, post=post)
    assert _client(cluster.other_admin).get(url).status_code == 200
    assert _client(cluster.other_admin).post(url, {"body": "Still keen."}).status_code == 302
    assert _client(cluster.other_member).get(url).status_code == 404
    assert interest.messages.count() == 2


def test_conversations_count_what_each_admin_has_not_read(cluster, django_assert_max_num_queries):
    post, interest, url = _conversation(cluster)
    mine = reverse("opportunities:posts_mine")
    detail = reverse("opportunities:post_detail", args=[post.pk])
    own = _client(cluster.own_admin)
    other = _client(cluster.other_admin)
    # The post's admin has one unread message; its writer none.
    page = own.get(mine)
    assert [c.unread for c in page.context["conversations"]] == [1]
    assert "1 unread" in page.content.decode()
    assert "1 unread" in own.get(detail).content.decode()
    assert [c.unread for c in other.get(mine).context["conversations"]] == [0]
    # Reading the conversation clears it; a reply is unread for the other side only.
    own.post(url, {"body": "Let us meet on Monday."})
    own.get(url)
    assert [c.unread for c in own.get(mine).context["conversations"]] == [0]
    other_page = other.get(detail)
    assert other_page.context["my_interest"].unread == 1
    for body in ("Or Tuesday.", "Or Wednesday."):
        services.conversation_reply(user=cluster.own_admin, interest=interest, body=body)
    with django_assert_max_num_queries(12):
        page = other.get(mine)
    assert [c.unread for c in page.context["conversations"]] == [3]
    assert "3 unread" in page.content.decode()
    # Members, who cannot open the conversations, see none listed.
    assert list(_client(cluster.own_member).get(mine).context["conversations"]) == []


def test_conversation_messages_are_rate_limited_with_nothing_stored(cluster, settings):
    settings.CLUSTER_RATE_LIMITS = {**settings.CLUSTER_RATE_LIMITS, "opportunities_message": "2/h"}
    post, interest, url = _conversation(cluster)
    services.conversation_reply(user=cluster.other_admin, interest=interest, body="Second.")
    with pytest.raises(ValidationError):
        services.conversation_reply(user=cluster.other_admin, interest=interest, body="Third.")
    response = _client(cluster.other_admin).post(url, {"body": "Fourth."})
    assert response.status_code == 200
    assert "many messages in a short while" in response.content.decode()
    assert list(interest.messages.values_list("body", flat=True)) == ["We can help.", "Second."]
    notes = Notification.objects.filter(kind="opportunities.conversation").count()
    assert notes == 1
    # The limit is the person's: the other organization's admin still answers.
    services.conversation_reply(user=cluster.own_admin, interest=interest, body="Hello.")
    assert interest.messages.count() == 3


def test_the_conversations_list_asks_the_same_queries_for_3_and_60(
    cluster, settings, django_assert_max_num_queries
):
    settings.CLUSTER_RATE_LIMITS = {
        **settings.CLUSTER_RATE_LIMITS,
        "opportunities_message": "500/h",
    }
    mine = reverse("opportunities:posts_mine")
    other = _client(cluster.other_admin)
    for count in (3, 60):
        for n in range(PartnerInterest.objects.count(), count):
            post = make_post(cluster, title=f"Partner wanted {n}")
            services.interest_express(
                user=cluster.other_admin, post=post, organization=cluster.other, message="Yes."
            )
            services.conversation_reply(
                user=cluster.own_admin, interest=post.interests.get(), body="Hi."
            )
        with django_assert_max_num_queries(12):
            page = other.get(mine)
        assert len(page.context["conversations"]) == count
        assert all(c.unread == 1 for c in page.context["conversations"])
