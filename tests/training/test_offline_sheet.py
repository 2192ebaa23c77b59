"""A sheet of attendance queued offline may arrive more than once: the server stores it once,
by the id its page gave it."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.concurrency import race
from tests.services import require_postgres
from training import services
from training.models import Attendance, AttendanceSheet

from .builders import build_world


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_sheet_sent_again_is_stored_once_and_does_not_undo_a_later_mark(world):
    session, enrolment = world.sessions[0], world.enrolments[0]
    first = {enrolment.pk: "absent"}
    services.attendance_record(
        session=session, user=world.trainer, marks=first, client_id="sheet-1"
    )
    # Corrected later, online, from another sheet.
    services.attendance_record(
        session=session, user=world.trainer, marks={enrolment.pk: "present"}, client_id="sheet-2"
    )
    # The queued first sheet arrives again (a retry after a lost answer).
    assert (
        services.attendance_record(
            session=session, user=world.trainer, marks=first, client_id="sheet-1"
        )
        == []
    )
    assert Attendance.objects.get(session=session, enrolment=enrolment).status == "present"
    assert AttendanceSheet.objects.filter(session=session).count() == 2


def test_a_bad_sheet_id_is_refused_with_nothing_stored(world):
    with pytest.raises(ValidationError):
        services.attendance_record(
            session=world.sessions[0],
            user=world.trainer,
            marks={world.enrolments[0].pk: "present"},
            client_id="x" * 65,
        )
    assert not Attendance.objects.exists() and not AttendanceSheet.objects.exists()


def test_the_page_answers_a_queued_sheet_in_json_once(world):
    url = reverse("portal:training_attendance", args=[world.sessions[0].pk])
    client = _client(world.trainer)
    page = client.get(url)
    client_id = page.context["client_id"]
    assert f'value="{client_id}"' in page.content.decode()
    data = {f"mark-{world.enrolments[0].pk}": "late", "client_id": client_id}
    for _ in range(2):
        answer = client.post(url, data, HTTP_ACCEPT="application/json")
        assert answer.status_code == 200 and answer.json()["ok"] is True
    assert AttendanceSheet.objects.get().client_id == client_id
    assert Attendance.objects.get().status == "late"

    bad = client.post(url, {"mark-abc": "present"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and bad.json()["error"]
    assert Attendance.objects.count() == 1


def test_a_sheet_queued_by_someone_outside_the_programme_is_refused(world):
    url = reverse("portal:training_attendance", args=[world.sessions[0].pk])
    data = {f"mark-{world.enrolments[0].pk}": "late", "client_id": "abc"}
    json = {"HTTP_ACCEPT": "application/json"}
    assert _client(world.mentor).post(url, data, **json).status_code == 403
    assert _client(world.outsider).post(url, data, **json).status_code == 404
    assert not AttendanceSheet.objects.exists() and not Attendance.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_sheet_arriving_twice_at_once_is_stored_once():
    require_postgres()
    w = build_world()
    marks = {w.enrolments[0].pk: "present", w.enrolments[1].pk: "absent"}

    def work(index):
        return services.attendance_record(
            session=w.sessions[0], user=w.trainer, marks=marks, client_id="same-sheet"
        )

    results, errors = race(work, 2)
    assert not errors, errors
    assert len(results) == 2
    assert AttendanceSheet.objects.count() == 1
    assert Attendance.objects.count() == 2
