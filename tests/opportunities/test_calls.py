"""The funding calls board: listing, filters, the deadlines feed, proposals and consortium
interest, each view permitted and denied."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opportunities import services
from opportunities.models import FundingCall, Moderation, PartnerSearch

from .conftest import make_call

BOARD = reverse("opportunities:call_board")


def _client(user=None):
    client = Client()
    if user:
        client.force_login(user)
    return client


def test_board_lists_open_published_calls_by_deadline(cluster):
    later = make_call(cluster, title="Later call", days=40)
    sooner = make_call(cluster, title="Sooner call", days=5)
    make_call(cluster, title="Waiting call", status=Moderation.PENDING)
    make_call(cluster, title="Past call", days=-1)
    response = _client().get(BOARD)
    assert response.status_code == 200
    assert list(response.context["calls"]) == [sooner, later]
    archived = _client().get(BOARD, {"archived": "true"})
    assert "Past call" in archived.content.decode()


def test_board_filters_by_eligible_kind_and_funder(cluster):
    make_call(cluster, title="For NGOs", kinds=("ngo",))
    make_call(cluster, title="For companies", kinds=("company",), funder_type="generalitat")
    titles = [c.title for c in _client().get(BOARD, {"kind": "ngo"}).context["calls"]]
    assert titles == ["For NGOs"]
    titles = [
        c.title for c in _client().get(BOARD, {"funder_type": "generalitat"}).context["calls"]
    ]
    assert titles == ["For companies"]


def test_board_reports_an_unknown_filter_value(cluster):
    response = _client().get(BOARD, {"kind": "martians"})
    assert response.status_code == 200
    assert response.context["board"].errors


@pytest.mark.parametrize("signed_in", [False, True])
def test_board_queries_do_not_grow_with_calls(cluster, signed_in, django_assert_max_num_queries):
    client = _client(cluster.own_member if signed_in else None)
    for count in (3, 50):
        for n in range(FundingCall.objects.count(), count):
            make_call(cluster, title=f"Call {n}", kinds=("ngo", "foundation"))
        with django_assert_max_num_queries(14):
            response = client.get(BOARD)
        assert response.status_code == 200


def test_deadlines_feed_lists_each_published_call(cluster):
    call = make_call(cluster)
    make_call(cluster, title="Waiting call", status=Moderation.PENDING)
    response = _client().get(reverse("opportunities:calls_ics"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert f"call-{call.pk}@" in body and "Waiting call" not in body
    assert call.deadline.strftime("%Y%m%d") in body


def test_member_proposes_a_call_for_review_permitted(cluster):
    response = _client(cluster.own_member).post(
        reverse("opportunities:call_propose"),
        {
            "title": "Foundation call",
            "funder_type": "foundation",
            "funder": "A foundation",
            "deadline": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "eligible_kinds": ["ngo", "cooperative"],
        },
    )
    assert response.status_code == 302
    call = FundingCall.objects.get(title="Foundation call")
    assert call.status == Moderation.PENDING and call.proposed_by == cluster.own_member
    assert sorted(call.eligible_kinds.values_list("kind", flat=True)) == ["cooperative", "ngo"]
    # Not on the board, and private until an editor publishes it.
    assert _client().get(reverse("opportunities:call_detail", args=[call.pk])).status_code == 404
    assert (
        _client(cluster.editor)
        .get(reverse("opportunities:call_detail", args=[call.pk]))
        .status_code
        == 200
    )


def test_proposing_a_call_denied(cluster):
    url = reverse("opportunities:call_propose")
    assert _client().get(url).status_code == 302
    assert _client(cluster.no_org).get(url).status_code == 403
    assert _client(cluster.no_org).post(url, {"title": "x"}).status_code == 403
    assert not FundingCall.objects.exists()


def test_a_call_with_a_past_deadline_is_refused_with_nothing_stored(cluster):
    response = _client(cluster.own_member).post(
        reverse("opportunities:call_propose"),
        {
            "title": "Late call",
            "funder_type": "eu",
            "funder": "EU",
            "deadline": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "cofunding": "150",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not FundingCall.objects.exists()


def test_consortium_interest_creates_a_linked_post_permitted(cluster):
    call = make_call(cluster)
    response = _client(cluster.own_admin).post(
        reverse("opportunities:call_interest", args=[call.pk]), {"organization": cluster.own.pk}
    )
    post = PartnerSearch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{post.pk}/")
    assert post.call == call and post.organization == cluster.own
    assert post.status == PartnerSearch.Status.PENDING and post.expires_on == call.deadline


def test_consortium_interest_denied(cluster):
    call = make_call(cluster)
    url = reverse("opportunities:call_interest", args=[call.pk])
    assert (
        _client(cluster.own_member).post(url, {"organization": cluster.own.pk}).status_code == 403
    )
    # An admin cannot speak for another organization.
    response = _client(cluster.own_admin).post(url, {"organization": cluster.other.pk})
    assert response.status_code == 302
    assert not PartnerSearch.objects.exists()


def test_an_archived_call_takes_no_interest(cluster):
    call = make_call(cluster, days=-2)
    with pytest.raises(Exception, match="closed"):
        services.call_interest(user=cluster.own_admin, call=call, organization=cluster.own)
    assert not PartnerSearch.objects.exists()


def test_deadline_reminder_reaches_the_organizations_seeking_partners_once(cluster):
    from io import StringIO

    from django.core.management import call_command

    from notifications.models import Notification

    call = make_call(cluster, days=4)
    services.call_interest(user=cluster.own_admin, call=call, organization=cluster.own)
    make_call(cluster, title="Far call", days=40)
    call_command("opportunities_remind", stdout=StringIO())
    call_command("opportunities_remind", stdout=StringIO())
    reminded = Notification.objects.filter(kind="opportunities.call_deadline")
    assert sorted(n.user.username for n in reminded) == ["own_admin", "own_member"]


def test_consortium_interest_as_a_draft_project_permitted(cluster):
    from opportunities.models import CallProject

    call = make_call(cluster)
    response = _client(cluster.own_admin).post(
        reverse("opportunities:call_interest", args=[call.pk]),
        {"organization": cluster.own.pk, "make": "project"},
    )
    link = CallProject.objects.get()
    assert link.call == call and not link.project.live
    assert link.project.lead_organization_id == cluster.own.pk
    assert response["Location"] == reverse("portal:project_workspace", args=[link.project.pk])


def test_consortium_interest_as_a_draft_project_denied(cluster):
    from opportunities.models import CallProject

    call = make_call(cluster)
    url = reverse("opportunities:call_interest", args=[call.pk])
    data = {"organization": cluster.own.pk, "make": "project"}
    assert _client(cluster.own_member).post(url, data).status_code == 403
    assert _client(cluster.other_admin).post(url, data).status_code == 302  # not its org
    assert not CallProject.objects.exists()
