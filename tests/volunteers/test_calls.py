"""Calls for social entrepreneurship: an organization opens one, ventures apply, assigned
reviewers score (and see nothing else), the managers decide with feedback."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from privacy.services import account_delete
from tests.factories import UserFactory
from volunteers import calls
from volunteers.models import Call, CallApplication, CallReview


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def call(net):
    return calls.call_open(
        user=net.coordinator,
        organization=net.project.lead_organization,
        title="Social ventures 2027",
        challenge="Ideas for digital inclusion",
        deadline=timezone.localdate() + timedelta(days=30),
    )


def _apply(call, user, team="Two students"):
    return calls.application_submit(user=user, call=call, team=team, proposal="A repair café")


def test_only_admins_and_editors_open_calls(net, call):
    with pytest.raises(PermissionDenied):
        calls.call_open(
            user=net.team_member,
            organization=net.project.lead_organization,
            title="x",
            challenge="y",
            deadline=timezone.localdate(),
        )
    with pytest.raises(ValidationError):
        calls.call_open(
            user=net.coordinator,
            organization=net.project.lead_organization,
            title="Past",
            challenge="y",
            deadline=timezone.localdate() - timedelta(days=1),
        )
    assert Call.objects.count() == 1


def test_apply_once_and_not_after_the_deadline(net, call):
    _apply(call, net.volunteer)
    with pytest.raises(ValidationError, match="already"):
        _apply(call, net.volunteer)
    Call.objects.filter(pk=call.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    call.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        _apply(call, net.no_profile)
    assert CallApplication.objects.count() == 1


def test_reviewers_see_only_their_assigned_applications(net, call):
    mine = _apply(call, net.volunteer)
    other = _apply(call, net.no_profile)
    reviewer = UserFactory(username="reviewer")
    review = calls.review_assign(user=net.coordinator, application=mine, username="reviewer")
    someone_else = calls.review_assign(
        user=net.coordinator, application=other, username=net.team_member.username
    )
    client = client_for(reviewer)
    page = client.get(reverse("calls:reviews_mine")).content.decode()
    assert reverse("calls:review_submit", args=[review.pk]) in page
    assert reverse("calls:review_submit", args=[someone_else.pk]) not in page
    assert client.get(reverse("calls:review_submit", args=[someone_else.pk])).status_code == 404
    assert client.get(reverse("calls:call_applications", args=[call.pk])).status_code == 403
    response = client.post(
        reverse("calls:review_submit", args=[review.pk]), {"score": "4", "comment": "Good"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.score == 4
    with pytest.raises(PermissionDenied):
        calls.review_submit(user=reviewer, review=someone_else, score=5)


def test_a_bad_score_is_refused_with_nothing_stored(net, call):
    review = calls.review_assign(
        user=net.coordinator, application=_apply(call, net.volunteer), username="v_team_member"
    )
    client = client_for(net.team_member)
    response = client.post(reverse("calls:review_submit", args=[review.pk]), {"score": "9"})
    assert response.status_code == 200
    review.refresh_from_db()
    assert review.score is None


def test_decide_permitted_and_denied(net, call):
    application = _apply(call, net.volunteer)
    url = reverse("calls:application_decide", args=[application.pk, "accept"])
    for user in (net.volunteer, net.team_member, net.other_coordinator):
        assert client_for(user).post(url, {"feedback": "x"}).status_code == 403
    application.refresh_from_db()
    assert application.status == "submitted"
    client_for(net.coordinator).post(url, {"feedback": "Welcome aboard"})
    application.refresh_from_db()
    assert (application.status, application.feedback) == ("accepted", "Welcome aboard")


def test_assign_permitted_and_denied(net, call):
    application = _apply(call, net.volunteer)
    url = reverse("calls:review_assign", args=[application.pk])
    assert (
        client_for(net.other_coordinator).post(url, {"username": "v_no_profile"}).status_code
        == 403
    )
    assert not CallReview.objects.exists()
    client_for(net.coordinator).post(url, {"username": "v_volunteer"})  # the applicant: refused
    client_for(net.coordinator).post(url, {"username": "nobody-at-all"})
    assert not CallReview.objects.exists()
    client_for(net.coordinator).post(url, {"username": "v_no_profile"})
    assert CallReview.objects.filter(reviewer=net.no_profile).exists()


def test_call_pages_permitted_and_denied(net, call):
    assert Client().get(reverse("calls:call_list")).status_code == 200
    assert Client().get(reverse("calls:call_detail", args=[call.pk])).status_code == 200
    create = reverse("calls:call_create")
    assert "/accounts/login/" in Client().get(create)["Location"]
    assert client_for(net.volunteer).get(create).status_code == 403
    client = client_for(net.coordinator)
    assert client.get(create).status_code == 200
    response = client.post(
        create,
        {
            "organization": net.project.lead_organization.pk,
            "title": "Second call",
            "challenge": "Food waste",
            "deadline": (timezone.localdate() + timedelta(days=9)).isoformat(),
        },
    )
    assert response.status_code == 302
    response = client.post(create, {"title": "", "challenge": "", "deadline": "nope"})
    assert response.status_code == 200
    assert Call.objects.count() == 2
    apps = reverse("calls:call_applications", args=[call.pk])
    assert client.get(apps).status_code == 200
    assert client_for(net.other_coordinator).get(apps).status_code == 403


def test_apply_page_bad_input_stores_nothing(net, call):
    url = reverse("calls:call_apply", args=[call.pk])
    assert "/accounts/login/" in Client().post(url)["Location"]
    assert client_for(net.volunteer).post(url, {"team": "", "proposal": ""}).status_code == 400
    assert not CallApplication.objects.exists()
    assert client_for(net.volunteer).post(url, {"team": "Us", "proposal": "P"}).status_code == 302


def test_call_lists_queries_do_not_grow(net, call, django_assert_max_num_queries):
    client = client_for(net.coordinator)
    urls = [reverse("calls:call_list"), reverse("calls:call_applications", args=[call.pk])]

    def pages():
        counts = []
        for url in urls:
            with django_assert_max_num_queries(25) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    pages()
    few = pages()
    for index in range(50):
        person = UserFactory(username=f"applicant_{index}")
        application = CallApplication.objects.create(
            call=call, applicant=person, team="t", proposal="p"
        )
        CallReview.objects.create(application=application, reviewer=net.team_member, score=3)
        Call.objects.create(title=f"Call {index}", challenge="c", deadline=call.deadline)
    assert all(after <= before for after, before in zip(pages(), few, strict=True))


def test_account_deletion_removes_applications_and_reviews(net, call):
    application = _apply(call, net.volunteer)
    calls.review_assign(user=net.coordinator, application=application, username="v_no_profile")
    account_delete(user=net.no_profile)
    assert not CallReview.objects.exists()
    account_delete(user=net.volunteer)
    assert not CallApplication.objects.exists()
