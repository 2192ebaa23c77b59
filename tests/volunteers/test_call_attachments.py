"""Attachments to a call application: documents judged by their content, within a size limit,
refused with a message and nothing stored; downloaded privately by the applicant, the
application's reviewers and the call's managers; in the applicant's export; gone (files too)
with the application or the person."""

import json
import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from privacy.services import account_delete
from tests.factories import UserFactory
from tests.utils import editor
from volunteers import calls
from volunteers.models import CallAnswer, CallApplication, CallAttachment

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"
ZIP = b"PK\x03\x04 the rest of an office document"


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
def call(net):
    return calls.call_open(
        user=net.coordinator,
        organization=net.project.lead_organization,
        title="Social ventures 2027",
        challenge="Ideas for digital inclusion",
        deadline=timezone.localdate() + timedelta(days=30),
    )


def pdf(name="Business plan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_applicant_attaches_documents_and_sees_them(net, call, media):
    question = calls.question_add(user=net.coordinator, call=call, text="Who benefits?")
    client = client_for(net.volunteer)
    response = client.post(
        reverse("calls:call_apply", args=[call.pk]),
        {
            "team": "Two students",
            "proposal": "A repair café",
            f"answer_{question.pk}": "Neighbours",
            "attachments": [pdf(), SimpleUploadedFile("budget.odt", ZIP)],
        },
    )
    assert response.status_code == 302
    application = CallApplication.objects.get()
    first, second = application.attachments.all()
    assert (first.filename, first.content_type, first.size) == (
        "Business plan.pdf",
        "application/pdf",
        len(PDF),
    )
    assert second.content_type == "application/vnd.oasis.opendocument.text"
    # Stored under a random name in the folder the web server never serves.
    assert first.file.name.startswith("documents/calls/")
    assert "plan" not in first.file.name.lower()
    assert len(stored_files(media)) == 2
    page = client.get(reverse("calls:call_detail", args=[call.pk])).content.decode()
    assert "Business plan.pdf" in page
    assert reverse("calls:attachment_download", args=[first.pk]) in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 an executable"), "not the PDF"),
        (SimpleUploadedFile("plan.docx", PDF), "not the DOCX"),
        (SimpleUploadedFile("tool.exe", b"MZ\x90\x00"), "not accepted"),
        (SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n"), "not accepted"),
        (SimpleUploadedFile("empty.pdf", b""), "empty"),
        (SimpleUploadedFile("big.pdf", PDF + b"x" * 2048), "an attachment may be at most"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_stored(
    net, call, media, settings, upload, message
):
    settings.CALLS_MAX_ATTACHMENT_SIZE = 1024
    question = calls.question_add(user=net.coordinator, call=call, text="Who benefits?")
    response = client_for(net.volunteer).post(
        reverse("calls:call_apply", args=[call.pk]),
        {
            "team": "Us",
            "proposal": "P",
            f"answer_{question.pk}": "Neighbours",
            "attachments": [pdf(), upload],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and upload.name in html
    assert not CallApplication.objects.exists()
    assert not CallAnswer.objects.exists() and not CallAttachment.objects.exists()
    assert stored_files(media) == []


def test_too_many_attachments_are_refused(net, call, media):
    uploads = [pdf(f"part {n}.pdf") for n in range(calls.MAX_ATTACHMENTS + 1)]
    response = client_for(net.volunteer).post(
        reverse("calls:call_apply", args=[call.pk]),
        {"team": "Us", "proposal": "P", "attachments": uploads},
    )
    assert response.status_code == 400
    assert "Attach at most 5 files." in response.content.decode()
    assert not CallApplication.objects.exists() and stored_files(media) == []


def test_refused_messages_are_translated(net, call, media):
    client = client_for(net.volunteer)
    response = client.post(
        "/es" + reverse("calls:call_apply", args=[call.pk]),
        {"team": "Us", "proposal": "P", "attachments": [SimpleUploadedFile("x.exe", b"MZ")]},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response.status_code == 400
    assert "No se aceptan archivos de este tipo" in response.content.decode()


@pytest.fixture
def attached(net, call):
    """The volunteer's application with a PDF, reviewed by the team member; another
    application (by ``no_profile``) the team member does not review."""
    application = calls.application_submit(
        user=net.volunteer, call=call, team="Us", proposal="P", attachments=[pdf()]
    )
    calls.review_assign(user=net.coordinator, application=application, username="v_team_member")
    other = calls.application_submit(
        user=net.no_profile, call=call, team="Them", proposal="Q", attachments=[pdf("o.pdf")]
    )
    return application.attachments.get(), other.attachments.get()


def test_download_permitted_to_applicant_reviewer_managers_and_editors(net, attached):
    attachment, _other = attached
    url = reverse("calls:attachment_download", args=[attachment.pk])
    for user in (net.volunteer, net.team_member, net.coordinator, editor()):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Business plan.pdf" in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_download_denied_to_everyone_else(net, attached):
    attachment, other = attached
    url = reverse("calls:attachment_download", args=[attachment.pk])
    assert "/accounts/login/" in Client().get(url)["Location"]
    # another organization's admin, a signed-in outsider, another applicant of the same call
    outsider = UserFactory(username="outsider_a")
    for user in (net.other_coordinator, outsider, net.no_profile):
        assert client_for(user).get(url).status_code == 404, user
    # A reviewer sees only the applications they are assigned.
    other_url = reverse("calls:attachment_download", args=[other.pk])
    assert client_for(net.team_member).get(other_url).status_code == 404
    assert client_for(net.volunteer).post(url).status_code == 405
    missing = reverse("calls:attachment_download", args=[999999])
    assert client_for(net.coordinator).get(missing).status_code == 404


def test_links_shown_to_reviewer_and_managers(net, call, attached):
    attachment, other = attached
    link = reverse("calls:attachment_download", args=[attachment.pk])
    review = CallApplication.objects.get(applicant=net.volunteer).reviews.get()
    page = client_for(net.team_member).get(reverse("calls:review_submit", args=[review.pk]))
    assert link in page.content.decode()
    page = client_for(net.coordinator).get(reverse("calls:call_applications", args=[call.pk]))
    html = page.content.decode()
    assert link in html and reverse("calls:attachment_download", args=[other.pk]) in html


def test_attachments_in_the_applicants_export(net, attached):
    attachment, _other = attached
    export = json.loads(client_for(net.volunteer).get(reverse("privacy:export")).content)
    (row,) = export["volunteers"]["call_applications"]
    assert row["attachments"] == [
        {
            "file": "Business plan.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
            "uploaded_at": attachment.uploaded_at.isoformat(),
            "download": reverse("calls:attachment_download", args=[attachment.pk]),
        }
    ]


def test_account_deletion_erases_attachments_and_their_files(
    net, attached, media, django_capture_on_commit_callbacks
):
    attachment, other = attached
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=net.volunteer)
    assert list(CallAttachment.objects.all()) == [other]
    assert stored_files(media) == [os.path.basename(other.file.name)]


def test_deleting_an_application_removes_its_files_only(
    net, attached, media, django_capture_on_commit_callbacks
):
    attachment, other = attached
    with django_capture_on_commit_callbacks(execute=True):
        attachment.application.delete()
    assert list(CallAttachment.objects.all()) == [other]
    assert stored_files(media) == [os.path.basename(other.file.name)]


def test_deleting_the_call_removes_the_files(
    net, call, attached, media, django_capture_on_commit_callbacks
):
    assert len(stored_files(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        call.delete()
    assert not CallAttachment.objects.exists()
    assert stored_files(media) == []


def test_a_rolled_back_deletion_keeps_the_files(net, call, attached, media):
    from django.db import transaction

    class Stop(Exception):
        pass

    with pytest.raises(Stop), transaction.atomic():
        CallApplication.objects.all().delete()
        raise Stop
    assert CallAttachment.objects.count() == 2 and len(stored_files(media)) == 2


@pytest.mark.parametrize("count", [3, 30])
def test_applications_list_with_attachments_keeps_constant_queries(
    net, call, count, django_assert_max_num_queries
):
    for index in range(count):
        application = CallApplication.objects.create(
            call=call, applicant=UserFactory(username=f"att_{index}"), team="t", proposal="p"
        )
        CallAttachment.objects.create(
            application=application,
            file=f"documents/calls/x{index}.pdf",
            filename=f"plan {index}.pdf",
            content_type="application/pdf",
            size=10,
        )
    client = client_for(net.coordinator)
    url = reverse("calls:call_applications", args=[call.pk])
    client.get(url)  # the session's and the site's first-visit reads are not the list's
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.content.decode().count("plan ") >= count
