"""CSV import: the upload is checked whole, its columns are mapped (recognised headers chosen
already, unknown ones ignored), the dry run lists what each row would do and every bad row,
the import is all or nothing and logged; bad files are refused with a clear message; duplicates
merge keeping both consent histories."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from wagtail.models import PageLogEntry

from crm import imports, selectors, services
from crm.models import Consent, Contact, ContactImport

pytestmark = pytest.mark.django_db

GOOD = (
    "First Name,Last Name,Email Address,Phone_Mobile,Tags,Preferred Language,Notes\n"
    'Marta,Ferrer,marta@example.org,600 123 456,"donors, 2026",ca,ignored\n'
    "Anna,Puig,ANNA@example.org,,volunteers,es,\n"
    "Joan,Ribas,,,,,\n"
)


def _upload(text, name="contacts.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding) if isinstance(text, str) else text)


def _send(client, crm, content):
    client.force_login(crm.crm_editor)
    return client.post(reverse("portal:crm_import", args=[crm.org.pk]), {"file": _upload(content)})


def _map(client, crm, contact_import, action="preview", mapping=None):
    """Post the mapping and follow to the import's page; the background work (immediate in
    tests) runs once the request's transaction commits."""
    mapping = contact_import.mapping if mapping is None else mapping
    data = {f"col{i}": target for i, target in enumerate(mapping)}
    data[action] = "1"
    url = reverse("portal:crm_import_detail", args=[crm.org.pk, contact_import.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data)
    if response.status_code == 302:
        assert response["Location"] == url
        response = client.get(url)
    return response


def _import(client, crm, content, action="run", mapping=None):
    response = _send(client, crm, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    contact_import = ContactImport.objects.latest("pk")
    return _map(client, crm, contact_import, action, mapping), contact_import


def _files(media):
    return [name for _root, _dirs, names in os.walk(media) for name in names]


def test_upload_proposes_a_mapping_from_the_usual_headers(client, crm):
    response = _send(client, crm, GOOD)
    contact_import = ContactImport.objects.get()
    assert response["Location"].endswith(f"/import/{contact_import.pk}/")
    assert contact_import.mapping == [
        "first_name",
        "last_name",
        "email",
        "phone",
        "tags",
        "language",
        "",
    ]
    assert contact_import.rows == 3
    page = client.get(response["Location"]).content.decode()
    assert 'name="col6"' in page and "Ignore this column" in page


def test_dry_run_shows_what_would_happen_and_stores_nothing(client, crm):
    services.contact_create(book=crm.book, name="Joan Ribas")
    before = Contact.objects.count()
    response, contact_import = _import(client, crm, GOOD, action="preview")
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 contact to create" in body
    assert "1 contact to update" in body  # Anna by her e-mail
    assert "1 possible duplicate" in body  # Joan by his name
    assert "Notes" in body  # the ignored column is named
    assert Contact.objects.count() == before
    contact_import.refresh_from_db()
    assert contact_import.status == "pending"


def test_import_creates_updates_flags_and_is_logged(
    client, crm, _media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response, contact_import = _import(client, crm, GOOD)
    assert "2 contacts created" in response.content.decode()
    marta = Contact.objects.get(book=crm.book, name="Marta Ferrer")
    assert list(marta.emails.values_list("email", flat=True)) == ["marta@example.org"]
    assert list(marta.phones.values_list("number", flat=True)) == ["600 123 456"]
    assert sorted(marta.tags.values_list("name", flat=True)) == ["2026", "donors"]
    assert marta.language == "ca"
    crm.contact.refresh_from_db()
    assert Contact.objects.filter(book=crm.book, name__startswith="Anna").count() == 1
    assert "volunteers" in crm.contact.tags.values_list("name", flat=True)
    assert crm.contact.language == "es"  # blank before: filled
    assert PageLogEntry.objects.filter(page=crm.org, action="crm.import").exists()
    contact_import.refresh_from_db()
    assert (contact_import.status, contact_import.by, contact_import.rows) == (
        "done",
        crm.crm_editor,
        3,
    )
    assert (contact_import.created, contact_import.updated, contact_import.flagged) == (2, 1, 0)
    assert contact_import.finished_at is not None
    assert _files(_media) == []  # the file goes once imported
    log = client.get(reverse("portal:crm_import", args=[crm.org.pk])).content.decode()
    assert "contacts.csv" in log and crm.crm_editor.get_full_name() in log


def test_the_same_file_is_not_imported_twice(client, crm):
    _response, contact_import = _import(client, crm, GOOD)
    count = Contact.objects.count()
    response = _map(client, crm, contact_import, "run", ["name", "", "", "", "", "", ""])
    assert response.status_code == 200
    assert Contact.objects.count() == count


def test_columns_are_mapped_by_hand_and_unknown_ones_ignored(client, crm):
    content = "Nom complet,Correu,Ciutat\nMarta Ferrer,marta@example.org,Vic\n"
    response, _contact_import = _import(client, crm, content, mapping=["name", "email", ""])
    assert "1 contact created" in response.content.decode()
    marta = Contact.objects.get(book=crm.book, name="Marta Ferrer")
    assert marta.emails.get().email == "marta@example.org"
    assert marta.address == ""


def test_a_mapping_without_name_or_with_a_field_twice_is_refused(client, crm):
    content = "Apellido;Ciudad\nFerrer;Vic\n"
    response, _contact_import = _import(client, crm, content)
    assert "Choose a column for the name" in response.content.decode()
    response, _contact_import = _import(client, crm, content, mapping=["name", "name"])
    assert "one column only" in response.content.decode()
    assert not Contact.objects.filter(name="Ferrer").exists()


def test_one_bad_row_and_nothing_is_imported(client, crm):
    bad = GOOD + ",,nobody@example.org,,,,\nZoe,Mas,not-an-email,,,,\n"
    before = Contact.objects.count()
    response, contact_import = _import(client, crm, bad)
    body = response.content.decode()
    assert "no name" in body and "not-an-email" in body
    assert "nothing was imported" in body
    assert Contact.objects.count() == before
    contact_import.refresh_from_db()
    assert contact_import.status == "pending"


def test_a_bad_row_in_a_late_batch_undoes_the_earlier_batches(crm, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 2)
    rows = "".join(f"Person {n},p{n}@example.org\n" for n in range(7))
    upload = _upload("name,email\n" + rows + "Zoe,not-an-email\n")
    result = imports.process(crm.book, upload, ["name", "email"])
    assert (result.imported, result.counts["error"], result.rows) == (False, 1, 8)
    assert not Contact.objects.filter(name__startswith="Person").exists()


def test_same_email_twice_in_the_file_is_a_bad_row(crm, monkeypatch):
    content = "name,email\nA,x@example.org\nB,X@example.org\nC,c@example.org\nD,x@example.org\n"
    result = imports.process(crm.book, _upload(content), ["name", "email"], dry_run=True)
    assert [line for line, _name, _problems in result.bad_rows] == [3, 5]
    monkeypatch.setattr(imports, "BATCH", 1)  # now an earlier batch holds the first
    result = imports.process(crm.book, _upload(content), ["name", "email"], dry_run=True)
    assert [line for line, _name, _problems in result.bad_rows] == [3, 5]
    assert not Contact.objects.filter(name__in=["A", "B", "C", "D"]).exists()


def test_two_lines_updating_the_same_contact_are_refused(crm, monkeypatch):
    services.contact_update(contact=crm.contact, emails=["anna@example.org", "a2@example.org"])
    content = "name,email\nAnna,anna@example.org\nOther,other@example.org\nAnna P,a2@example.org\n"
    for batch in (1000, 1):
        monkeypatch.setattr(imports, "BATCH", batch)
        result = imports.process(crm.book, _upload(content), ["name", "email"], dry_run=True)
        assert [line for line, _name, _problems in result.bad_rows] == [4]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Nom,Cognom\nMarta,Ferrer\n".encode("utf-16"), "not UTF-8"),
        (b"name,email\n" + b"A,a@example.org\n" * 2000 + b"Zo\xe9,z@example.org\n", "not UTF-8"),
        ("name,email\n" + "x" * (10 * 1024 * 1024) + ",a@example.org\n", "longer than"),
        ("", "empty"),
        ("name,email\nA\x00,a@example.org\n", "not a CSV"),
    ],
    ids=["encoding", "encoding-late", "10MB-cell", "empty", "binary"],
)
def test_bad_files_are_refused_with_a_clear_message(client, crm, _media, content, message):
    before = Contact.objects.count()
    response = _send(client, crm, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Contact.objects.count() == before
    assert not ContactImport.objects.exists()
    assert _files(_media) == []


def test_civicrm_and_sinergia_headers_and_semicolons(crm):
    upload = _upload(
        "Display Name;Contact Type;Email;Phone\n"
        "Casal del Barri;Organization;casal@example.org;93 1\n"
    )
    header, rows = imports.scan(upload)
    mapping = imports.guess_mapping(header)
    assert (mapping, rows) == (["name", "kind", "email", "phone"], 1)
    result = imports.process(crm.book, upload, mapping)
    assert result.imported
    assert Contact.objects.get(name="Casal del Barri").kind == "organization"


def test_import_then_merge_keeps_both_consent_histories(client, crm):
    services.consent_record(
        contact=crm.contact,
        purpose="newsletter",
        channel="email",
        status="granted",
        method="web form",
    )
    _import(client, crm, "name,email\nAnna Puig,anna.puig@work.example\n")
    twin = Contact.objects.get(book=crm.book, emails__email="anna.puig@work.example")
    services.consent_record(contact=twin, purpose="events", channel="phone", status="granted")
    services.consent_withdraw(contact=twin, purpose="events", channel="phone")
    groups = selectors.duplicate_groups(crm.book)
    assert [sorted(c.pk for c in g) for g in groups] == [sorted([crm.contact.pk, twin.pk])]
    client.force_login(crm.crm_editor)
    client.post(
        reverse("portal:crm_merge", args=[crm.org.pk]), {"keep": crm.contact.pk, "other": twin.pk}
    )
    assert not Contact.objects.filter(pk=twin.pk).exists()
    history = [
        (c.purpose, c.status) for c in Consent.objects.filter(contact=crm.contact).order_by("pk")
    ]
    assert history == [
        ("newsletter", "granted"),
        ("events", "granted"),
        ("events", "withdrawn"),
    ]
    assert sorted(crm.contact.emails.values_list("email", flat=True)) == [
        "anna.puig@work.example",
        "anna@example.org",
    ]
    assert selectors.duplicate_groups(crm.book) == []


def test_merge_moves_relationships_and_anonymising_drops_them(crm):
    twin = services.contact_create(book=crm.book, name="Anna Puig")
    family = services.contact_create(book=crm.book, name="Puig family")
    services.relationship_add(contact=twin, other=family, kind="household")
    services.relationship_add(contact=crm.contact, other=twin, kind="household")
    keep = services.contacts_merge(keep=crm.contact, other=twin)
    assert [(label, other.pk) for label, other in selectors.relationships(keep)] == [
        ("Same household", family.pk)
    ]
    services.contact_anonymise(contact=keep)
    assert selectors.relationships(family) == []


def test_a_pending_upload_can_be_discarded(client, crm, _media):
    _send(client, crm, GOOD)
    contact_import = ContactImport.objects.get()
    url = reverse("portal:crm_import_detail", args=[crm.org.pk, contact_import.pk])
    assert client.post(url, {"discard": "1"}).status_code == 302
    assert not ContactImport.objects.exists()
    assert _files(_media) == []


@pytest.mark.django_db(transaction=True)
def test_two_requests_importing_the_same_upload_import_it_once(crm, _media):
    from django.core.files.storage import default_storage

    from tests.concurrency import race
    from tests.services import require_postgres

    require_postgres()
    contact_import = services.import_upload(
        book=crm.book, by=crm.crm_editor, upload=_upload("name,email\nNew,new@example.org\n")
    )

    def work(index):
        return services.import_start(
            contact_import=ContactImport.objects.get(pk=contact_import.pk),
            mapping=["name", "email"],
            by=crm.crm_editor,
            dry_run=False,
        )

    results, errors = race(work, count=2)
    assert len(results) == 1 and len(errors) == 1
    assert "already imported" in str(errors[0])
    assert Contact.objects.filter(name="New").count() == 1
    assert not default_storage.exists(contact_import.file)


def _start(crm, content, dry_run=False, mapping=None):
    contact_import = services.import_upload(
        book=crm.book, by=crm.crm_editor, upload=_upload(content)
    )
    with TestCase.captureOnCommitCallbacks(execute=False) as queued:
        services.import_start(
            contact_import=contact_import,
            mapping=mapping or contact_import.mapping,
            by=crm.crm_editor,
            dry_run=dry_run,
        )
    return contact_import, queued


def test_an_import_runs_in_the_background_with_a_progress_bar(client, crm, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 2)
    rows = "".join(f"Person {n},p{n}@example.org\n" for n in range(5))
    contact_import, queued = _start(crm, "name,email\n" + rows)
    contact_import.refresh_from_db()
    assert contact_import.status == "running" and len(queued) == 1
    assert not Contact.objects.filter(name__startswith="Person").exists()  # not in the request
    client.force_login(crm.crm_editor)
    url = reverse("portal:crm_import_detail", args=[crm.org.pk, contact_import.pk])
    page = client.get(url).content.decode()
    assert '<progress aria-labelledby="progress-title" max="5" value="0">' in page
    assert '<meta http-equiv="refresh" content="3">' in page
    assert 'name="run"' not in page  # no second start while it runs
    seen = []
    monkeypatch.setattr(imports, "progress_set", lambda pk, done: seen.append(done))
    queued[0]()  # the worker picks it up
    assert seen == [2, 4, 5]
    assert imports.progress_get(contact_import.pk) is None  # cleared when it ends
    contact_import.refresh_from_db()
    assert (contact_import.status, contact_import.created) == ("done", 5)
    assert contact_import.report["counts"]["create"] == 5
    assert "duplicates" not in contact_import.report  # the log keeps no names
    page = client.get(url).content.decode()
    assert "5 contacts created" in page and "http-equiv" not in page


def test_the_progress_bar_shows_the_rows_done_so_far(client, crm):
    contact_import, _queued = _start(crm, GOOD)
    imports.progress_set(contact_import.pk, 2)
    client.force_login(crm.crm_editor)
    url = reverse("portal:crm_import_detail", args=[crm.org.pk, contact_import.pk])
    page = client.get(url).content.decode()
    assert 'max="3" value="2"' in page and "2 of 3 rows done." in page
    # a second start (another tab) is refused and queues nothing
    with pytest.raises(ValidationError, match="already imported"):
        services.import_start(
            contact_import=contact_import, mapping=["name"], by=crm.crm_editor, dry_run=True
        )
    assert client.post(url, {"discard": "1"}).status_code == 302  # not while it runs
    assert ContactImport.objects.filter(pk=contact_import.pk).exists()


def test_a_failure_half_way_imports_nothing_and_says_so(client, crm, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 2)
    rows = "".join(f"Person {n},p{n}@example.org\n" for n in range(5))
    contact_import, queued = _start(crm, "name,email\n" + rows)
    calls = []
    create = imports._Batch._create

    def failing(self, batch_rows):
        calls.append(len(batch_rows))
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return create(self, batch_rows)

    monkeypatch.setattr(imports._Batch, "_create", failing)
    queued[0]()
    assert calls == [2, 2]  # the first batch was written, then undone
    assert not Contact.objects.filter(name__startswith="Person").exists()
    contact_import.refresh_from_db()
    assert contact_import.status == "pending"
    client.force_login(crm.crm_editor)
    url = reverse("portal:crm_import_detail", args=[crm.org.pk, contact_import.pk])
    page = client.get(url).content.decode()
    assert "stopped because of an error" in page and "Nothing was imported." in page
    assert 'name="run"' in page  # the person may try again


def test_an_import_with_a_bad_row_keeps_the_rows_to_fix_on_the_import(client, crm):
    bad = GOOD + "Zoe,Mas,not-an-email,,,,\n"
    response, contact_import = _import(client, crm, bad)
    contact_import.refresh_from_db()
    assert contact_import.status == "pending"
    assert contact_import.report["counts"]["error"] == 1
    assert contact_import.report["bad_rows"][0][0] == 5
    # shown again on a later visit, in the language of who looks
    client.force_login(crm.crm_editor)
    url = reverse("portal:crm_import_detail", args=[crm.org.pk, contact_import.pk])
    page = client.get(url).content.decode()
    assert "nothing was imported" in page and "not-an-email" in page


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_runs_the_import_in_the_worker(client, crm, settings, _media):
    from django_tasks_db.models import DBTaskResult

    from tests.notifications.test_mail_queue import DATABASE_TASKS, run_worker

    settings.TASKS = DATABASE_TASKS
    contact_import = services.import_upload(
        book=crm.book, by=crm.crm_editor, upload=_upload("name,email\nNew,new@example.org\n")
    )
    client.force_login(crm.crm_editor)
    url = reverse("portal:crm_import_detail", args=[crm.org.pk, contact_import.pk])
    client.post(url, {"col0": "name", "col1": "email", "run": "1"})
    assert DBTaskResult.objects.filter(task_path__endswith="contact_import_run_task").count() == 1
    assert not Contact.objects.filter(name="New").exists()
    assert "<progress" in client.get(url).content.decode()
    run_worker()
    assert Contact.objects.filter(name="New").count() == 1
    assert "1 contact created" in client.get(url).content.decode()


def test_a_run_whose_worker_died_may_be_discarded_after_hours(client, crm, _media):
    from datetime import timedelta

    from django.utils import timezone

    contact_import, _queued = _start(crm, GOOD)
    client.force_login(crm.crm_editor)
    url = reverse("portal:crm_import_detail", args=[crm.org.pk, contact_import.pk])
    assert 'name="discard"' not in client.get(url).content.decode()
    ContactImport.objects.filter(pk=contact_import.pk).update(
        started_at=timezone.now() - timedelta(hours=3)
    )
    assert 'name="discard"' in client.get(url).content.decode()
    assert client.post(url, {"discard": "1"}).status_code == 302
    assert not ContactImport.objects.filter(pk=contact_import.pk).exists()
    assert _files(_media) == []
