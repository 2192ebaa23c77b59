import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model

from partners.models import Membership
from partners.services import membership_remove
from projects.services import team_member_remove
from tests.workspace.builders import PDF, pdf, png
from workspace import services
from workspace.models import DocumentSpace, DocumentVersion, ProjectDocument

ROLES = ("member", "coordinator", "partner_admin", "outsider", "editor", "superuser")
LIST_CELLS = {
    None: "login",
    "member": 200,
    "coordinator": 200,
    "partner_admin": 404,
    "outsider": 404,
    "editor": 404,
    "superuser": 200,
}


def _outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return "login"
    return response.status_code


def _upload(world, user=None, upload=None, **kwargs):
    return services.document_upload(
        project=world.project, user=user or world.member, upload=upload or pdf(), **kwargs
    )


def _file_url(document, version=None):
    version = version or document.current
    return reverse(
        "portal:project_document_file", args=[document.project_id, document.pk, version.pk]
    )


@pytest.mark.parametrize("role", [None, *ROLES])
def test_document_list_open_to_the_team_only(world, client_for, role):
    client = client_for(getattr(world, role) if role else None)
    response = client.get(reverse("portal:project_documents", args=[world.project.pk]))
    assert _outcome(response) == LIST_CELLS[role]


@pytest.mark.parametrize("role", [None, *ROLES])
def test_document_file_served_to_the_team_only(world, client_for, role):
    document = _upload(world)
    client = client_for(getattr(world, role) if role else None)
    response = client.get(_file_url(document))
    assert _outcome(response) == LIST_CELLS[role]
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("role", [None, *ROLES])
def test_document_page_open_to_the_team_only(world, client_for, role):
    document = _upload(world)
    client = client_for(getattr(world, role) if role else None)
    url = reverse("portal:project_document", args=[world.project.pk, document.pk])
    assert _outcome(client.get(url)) == LIST_CELLS[role]


def test_member_uploads_through_the_page_and_the_team_downloads(world, client_for):
    client = client_for(world.member)
    response = client.post(
        reverse("portal:project_document_upload", args=[world.project.pk]),
        {"file": pdf("minutes.pdf"), "title": "Kick-off minutes"},
    )
    document = ProjectDocument.objects.get(project=world.project)
    assert response.status_code == 302
    assert document.title == "Kick-off minutes"
    version = document.current
    assert (version.number, version.filename, version.uploaded_by) == (
        1,
        "minutes.pdf",
        world.member,
    )
    stored = version.file
    # One collection per project, and a stored name nobody can guess from the file's own.
    assert stored.collection == DocumentSpace.objects.get(project=world.project).collection
    assert "minutes" not in stored.file.name
    client_for(world.coordinator)
    response = client.get(_file_url(document))
    assert response.status_code == 200
    document.refresh_from_db()
    assert document.download_count == 1


def test_images_and_pdfs_preview_inline(world, client_for):
    document = _upload(world, upload=png())
    client = client_for(world.member)
    page = client.get(reverse("portal:project_document", args=[world.project.pk, document.pk]))
    assert b"?inline=1" in page.content
    response = client.get(_file_url(document) + "?inline=1")
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "image/png"


def test_wagtail_public_document_url_answers_404_to_everyone(world, client_for):
    document = _upload(world)
    stored = document.current.file
    for user in (None, world.outsider, world.member, world.superuser):
        client = client_for(user)
        response = client.get(f"/documents/{stored.pk}/{stored.filename}")
        assert response.status_code == 404


def test_a_copied_document_url_answers_404_to_an_outsider(world, client_for):
    document = _upload(world)
    url = _file_url(document)
    assert client_for(world.outsider).get(url).status_code == 404


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2048), "at most"),
        (SimpleUploadedFile("tool.pdf", b"MZ\x90\x00 an executable"), "not the PDF"),
        (SimpleUploadedFile("notes.txt", b"\x00\x01\x02binary"), "not the TXT"),
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00"), "not accepted"),
    ],
)
def test_bad_files_refused_with_a_message_and_nothing_stored(
    world, client_for, settings, upload, message
):
    settings.WORKSPACE_MAX_DOCUMENT_SIZE = 1024
    client = client_for(world.member)
    url = reverse("portal:project_document_upload", args=[world.project.pk])
    response = client.post(url, {"file": upload}, follow=True)
    assert message in response.content.decode()
    assert not ProjectDocument.objects.exists()
    assert not get_document_model().objects.exists()
    assert not any(files for _root, _dirs, files in os.walk(settings.MEDIA_ROOT))


def _stored_files(settings):
    return sorted(
        os.path.join(root, name)
        for root, _dirs, files in os.walk(settings.MEDIA_ROOT)
        for name in files
    )


class Broken(Exception):
    pass


def _break(*args, **kwargs):
    raise Broken


def test_an_upload_that_fails_after_writing_its_file_leaves_no_file(world, settings, monkeypatch):
    # the file is on disk by the time the grant is made; the grant fails, all rolls back
    monkeypatch.setattr(services.permissions, "document_grant", _break)
    with pytest.raises(Broken):
        _upload(world)
    assert not ProjectDocument.objects.exists()
    assert not get_document_model().objects.exists()
    assert _stored_files(settings) == []


def test_a_new_version_that_fails_after_writing_its_file_leaves_no_file(
    world, settings, monkeypatch
):
    document = _upload(world)
    kept = _stored_files(settings)
    assert len(kept) == 1
    monkeypatch.setattr(services, "audit_record", _break)
    with pytest.raises(Broken):
        services.document_version_add(
            document=document, user=world.member, upload=pdf("minutes-v2.pdf")
        )
    assert document.versions.count() == 1
    assert get_document_model().objects.count() == 1
    assert _stored_files(settings) == kept


def test_a_successful_upload_keeps_its_file(world, settings):
    document = _upload(world)
    assert _stored_files(settings) == [document.current.file.file.path]


def test_new_version_keeps_the_old_ones(world, client_for):
    document = _upload(world)
    client = client_for(world.coordinator)
    url = reverse("portal:project_document_version", args=[world.project.pk, document.pk])
    client.post(url, {"file": pdf("minutes-v2.pdf", PDF + b"% more\n")})
    versions = list(DocumentVersion.objects.filter(document=document))
    assert [(v.number, v.filename, v.uploaded_by) for v in versions] == [
        (2, "minutes-v2.pdf", world.coordinator),
        (1, "minutes.pdf", world.member),
    ]
    document.refresh_from_db()
    assert document.current == versions[0]
    assert client.get(_file_url(document, versions[1])).status_code == 200
    page = client.get(reverse("portal:project_document", args=[world.project.pk, document.pk]))
    assert b"minutes-v2.pdf" in page.content


def test_new_version_denied_off_the_team(world, client_for):
    document = _upload(world)
    client = client_for(world.partner_admin)
    url = reverse("portal:project_document_version", args=[world.project.pk, document.pk])
    assert client.post(url, {"file": pdf()}).status_code == 404
    assert document.versions.count() == 1


def test_delete_removes_the_files_from_disk(world, client_for, django_capture_on_commit_callbacks):
    document = _upload(world)
    path = document.current.file.file.path
    assert os.path.exists(path)
    url = reverse("portal:project_document_delete", args=[world.project.pk, document.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.member).post(url)
    assert response.status_code == 302
    assert not ProjectDocument.objects.exists()
    assert not get_document_model().objects.exists()
    assert not os.path.exists(path)


def test_delete_denied_to_a_team_member_who_did_not_upload(world, client_for):
    document = _upload(world, user=world.coordinator)
    url = reverse("portal:project_document_delete", args=[world.project.pk, document.pk])
    assert client_for(world.member).post(url).status_code == 403
    assert client_for(world.outsider).post(url).status_code == 404
    assert ProjectDocument.objects.filter(pk=document.pk).exists()


def test_upload_denied_off_the_team(world):
    with pytest.raises(PermissionDenied):
        _upload(world, user=world.partner_admin)
    assert not ProjectDocument.objects.exists()


def test_folders_group_documents(world, client_for):
    client = client_for(world.member)
    client.post(
        reverse("portal:project_folder_create", args=[world.project.pk]), {"name": "Minutes"}
    )
    folder = services.folder_create(project=world.project, user=world.member, name="Budget")
    _upload(world, upload=pdf("budget.pdf"), folder=folder)
    _upload(world, upload=pdf("other.pdf"))
    response = client.get(
        reverse("portal:project_documents", args=[world.project.pk]) + f"?folder={folder.pk}"
    )
    assert [d.title for d in response.context["documents"]] == ["budget.pdf"]
    with pytest.raises(ValidationError):
        services.folder_create(project=world.project, user=world.member, name="minutes")


def test_leaving_the_team_ends_document_access(world, client_for):
    document = _upload(world)
    url = _file_url(document)
    client = client_for(world.member)
    assert client.get(url).status_code == 200
    team_member_remove(project=world.project, user=world.member, by=world.coordinator)
    assert client.get(url).status_code == 404


def test_membership_ending_ends_document_access(
    world, client_for, django_capture_on_commit_callbacks
):
    document = _upload(world)
    url = _file_url(document)
    client = client_for(world.member)
    assert client.get(url).status_code == 200
    membership = Membership.objects.get(user=world.member)
    with django_capture_on_commit_callbacks(execute=True):
        membership_remove(membership=membership, user=world.partner_admin)
    assert client.get(url).status_code == 404


def test_documents_go_with_the_project(world, django_capture_on_commit_callbacks):
    document = _upload(world)
    path = document.current.file.file.path
    with django_capture_on_commit_callbacks(execute=True):
        world.project.delete()
    assert not ProjectDocument.objects.exists()
    assert not get_document_model().objects.exists()
    assert not os.path.exists(path)


@pytest.mark.parametrize("count", [3, 60])
def test_document_list_queries_do_not_grow(
    world, client_for, django_assert_max_num_queries, count
):
    folder = services.folder_create(project=world.project, user=world.member, name="F")
    for number in range(count):
        _upload(world, upload=pdf(f"doc{number}.pdf"), folder=folder if number % 2 else None)
    client = client_for(world.member)
    url = reverse("portal:project_documents", args=[world.project.pk])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert len(response.context["documents"]) == count
