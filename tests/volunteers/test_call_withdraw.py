"""An applicant withdraws their own application before the decision: a confirmation page
first (no JavaScript needed), then the application goes with its answers, reviews and
attachment files, the call's managers are told and the audit trail keeps it. After the decision
it stays, with a message; nobody else learns the application exists."""

import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from notifications.models import Notification
from tests.factories import UserFactory
from tests.utils import editor
from volunteers import audit, calls
from volunteers.models import CallAnswer, CallApplication, CallAttachment, CallReview

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return sorted(name for _root, _dirs, files in os.walk(root) for name in files)


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def applied(net):
    """The coordinator's call; the volunteer applied with an answer and a PDF; the team member
    is assigned to review it."""
    call = calls.call_open(
        user=net.coordinator,
        organization=net.project.lead_organization,
        title="Social ventures 2027",
        challenge="Ideas for digital inclusion",
        deadline=timezone.localdate() + timedelta(days=30),
    )
    question = calls.question_add(user=net.coordinator, call=call, text="Who benefits?")
    application = calls.application_submit(
        user=net.volunteer,
        call=call,
        team="Two students",
        proposal="A repair café",
        answers={question.pk: "Neighbours"},
        attachments=[SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")],
    )
    calls.review_assign(
        user=net.coordinator, application=application, username=net.team_member.username
    )
    return call, application


def url(application):
    return reverse("calls:application_withdraw", args=[application.pk])


def test_applicant_is_asked_first_and_nothing_changes_on_get(net, applied):
    call, application = applied
    response = client_for(net.volunteer).get(url(application))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Withdraw your application to “Social ventures 2027”?" in page
    assert f'action="{url(application)}"' in page or 'method="post"' in page
    assert CallApplication.objects.filter(pk=application.pk).exists()
    detail = client_for(net.volunteer).get(reverse("calls:call_detail", args=[call.pk]))
    assert url(application) in detail.content.decode()


def test_applicant_withdraws_permitted(net, applied, media, django_capture_on_commit_callbacks):
    call, application = applied
    assert len(stored_files(media)) == 1
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(net.volunteer).post(url(application))
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:call_detail", args=[call.pk])
    assert not CallApplication.objects.filter(pk=application.pk).exists()
    assert not CallAnswer.objects.exists()
    assert not CallReview.objects.exists()
    assert not CallAttachment.objects.exists()
    assert stored_files(media) == []
    told = Notification.objects.filter(user=net.coordinator, kind="volunteers.call_application")
    assert told.count() == 1
    assert "withdrew their application" in told.get().title
    entry = PageLogEntry.objects.get(action=audit.CALL_WITHDRAW)
    assert entry.user_id == net.volunteer.pk
    assert entry.data["person"]["id"] == net.volunteer.pk
    # The call is still open: they may apply again.
    calls.application_submit(
        user=net.volunteer,
        call=call,
        team="T",
        proposal="P",
        answers={call.questions.get().pk: "Again"},
    )


@pytest.mark.parametrize("who", ["manager", "reviewer", "outsider", "editor"])
def test_others_cannot_withdraw_denied(net, applied, who):
    _call, application = applied
    people = {
        "manager": net.coordinator,
        "reviewer": net.team_member,
        "outsider": UserFactory(),
        "editor": editor(),
    }
    client = client_for(people[who])
    assert client.get(url(application)).status_code == 404
    assert client.post(url(application)).status_code == 404
    assert CallApplication.objects.filter(pk=application.pk).exists()
    assert CallAttachment.objects.count() == 1


def test_anonymous_visitor_is_asked_to_sign_in_denied(applied):
    _call, application = applied
    response = Client().post(url(application))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert CallApplication.objects.filter(pk=application.pk).exists()


@pytest.mark.parametrize("accept", [True, False])
def test_refused_after_the_decision_with_a_message(net, applied, accept):
    call, application = applied
    calls.application_decide(user=net.coordinator, application=application, accept=accept)
    client = client_for(net.volunteer)
    for response in (client.get(url(application)), client.post(url(application), follow=True)):
        assert response.status_code in (200, 302)
    page = response.content.decode()
    assert "can no longer be withdrawn" in page
    assert CallApplication.objects.filter(pk=application.pk).exists()
    assert CallAttachment.objects.count() == 1
    with pytest.raises(Exception, match="can no longer be withdrawn"):
        calls.application_withdraw(user=net.volunteer, application=application)
    assert not PageLogEntry.objects.filter(action=audit.CALL_WITHDRAW).exists()
    assert (
        url(application)
        not in client.get(reverse("calls:call_detail", args=[call.pk])).content.decode()
    )
