from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from notifications.models import Notification
from projects.services import team_member_remove
from tests.workspace.builders import pdf
from workspace import selectors, services
from workspace.models import Attendance, Meeting

ROLES = ("member", "coordinator", "partner_admin", "outsider", "editor", "superuser")
TEAM_ONLY = {
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


def _meeting(world, days=3, **kwargs):
    starts = timezone.now().replace(microsecond=0) + timedelta(days=days)
    fields = {"title": "Kick-off", "starts_at": starts, "ends_at": starts + timedelta(hours=1)}
    fields.update(kwargs)
    return services.meeting_create(project=world.project, user=world.coordinator, **fields)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_meeting_list_open_to_the_team_only(world, client_for, role):
    client = client_for(getattr(world, role) if role else None)
    url = reverse("portal:project_meetings", args=[world.project.pk])
    assert _outcome(client.get(url)) == TEAM_ONLY[role]


@pytest.mark.parametrize("role", [None, *ROLES])
def test_meeting_page_open_to_the_team_only(world, client_for, role):
    meeting = _meeting(world)
    client = client_for(getattr(world, role) if role else None)
    url = reverse("portal:project_meeting", args=[world.project.pk, meeting.pk])
    assert _outcome(client.get(url)) == TEAM_ONLY[role]


def test_member_plans_a_meeting_in_its_time_zone_and_the_team_is_told(world, client_for):
    response = client_for(world.member).post(
        reverse("portal:project_meeting_create", args=[world.project.pk]),
        {
            "title": "Partners' meeting",
            "starts_at": "2027-03-10T10:00",
            "ends_at": "2027-03-10T11:30",
            "time_zone": "America/New_York",
            "online_url": "https://meet.example.org/abc",
            "agenda": "1. Budget",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    new_york = ZoneInfo("America/New_York")
    assert meeting.starts_at == datetime(2027, 3, 10, 10, 0, tzinfo=new_york)
    assert Notification.objects.filter(user=world.coordinator, kind="workspace.meeting").exists()


def test_a_meeting_that_ends_before_it_starts_is_refused(world, client_for):
    response = client_for(world.member).post(
        reverse("portal:project_meeting_create", args=[world.project.pk]),
        {
            "title": "Backwards",
            "starts_at": "2027-03-10T10:00",
            "ends_at": "2027-03-10T09:00",
            "time_zone": "Europe/Madrid",
        },
    )
    assert response.status_code == 400
    assert "A meeting must end after it starts." in response.content.decode()
    assert not Meeting.objects.exists()
    assert not Notification.objects.filter(kind="workspace.meeting").exists()


def test_meeting_create_denied_off_the_team(world, client_for):
    response = client_for(world.outsider).post(
        reverse("portal:project_meeting_create", args=[world.project.pk]),
        {"title": "X", "starts_at": "2027-03-10T10:00", "ends_at": "2027-03-10T11:00"},
    )
    assert response.status_code == 404
    assert not Meeting.objects.exists()


def test_attendance_yes_no_maybe(world, client_for):
    meeting = _meeting(world)
    url = reverse("portal:project_meeting_attendance", args=[world.project.pk, meeting.pk])
    client = client_for(world.member)
    client.post(url, {"answer": "maybe"})
    client.post(url, {"answer": "yes"})
    assert list(Attendance.objects.values_list("user__username", "answer")) == [
        ("w_member", "yes")
    ]
    assert client_for(world.partner_admin).post(url, {"answer": "no"}).status_code == 404
    assert Attendance.objects.count() == 1


def test_minutes_attached_to_a_document(world, client_for):
    meeting = _meeting(world, days=-2)
    document = services.document_upload(
        project=world.project, user=world.member, upload=pdf("minutes.pdf")
    )
    client = client_for(world.member)
    url = reverse("portal:project_meeting_minutes", args=[world.project.pk, meeting.pk])
    client.post(url, {"minutes": "We agreed.", "minutes_document": document.pk})
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.minutes_document) == ("We agreed.", document)
    page = client.get(reverse("portal:project_meeting", args=[world.project.pk, meeting.pk]))
    assert b"minutes.pdf" in page.content
    assert client_for(world.outsider).post(url, {"minutes": "Hacked"}).status_code == 404


def test_minutes_document_of_another_project_is_refused(world):
    meeting = _meeting(world)
    other = Meeting(project=world.project)
    with pytest.raises(ValidationError):
        services.meeting_minutes_set(
            meeting=meeting,
            user=world.member,
            minutes="",
            minutes_document=type("Doc", (), {"project_id": other.project_id + 1})(),
        )


def test_project_and_personal_feeds_are_private_and_end_with_the_team(world, client):
    meeting = _meeting(world, title="Kick-off")
    token = selectors.feed_token(world.member)
    project_url = reverse("portal:project_meetings_ics", args=[world.project.pk, token])
    personal_url = reverse("portal:project_meetings_personal_ics", args=[token])
    for url in (project_url, personal_url):
        response = client.get(url)
        assert response.status_code == 200
        events = Calendar.from_ical(response.content).walk("VEVENT")
        assert [str(e["summary"]) for e in events] == ["Kick-off"]
        assert events[0].decoded("dtstart") == meeting.starts_at
    forged = reverse("portal:project_meetings_personal_ics", args=[token + "x"])
    assert client.get(forged).status_code == 404
    outsider_token = selectors.feed_token(world.outsider)
    assert (
        client.get(
            reverse("portal:project_meetings_ics", args=[world.project.pk, outsider_token])
        ).status_code
        == 404
    )
    team_member_remove(project=world.project, user=world.member, by=world.coordinator)
    assert client.get(project_url).status_code == 404
    assert Calendar.from_ical(client.get(personal_url).content).walk("VEVENT") == []


def test_leaving_the_team_ends_meeting_access(world, client_for):
    meeting = _meeting(world)
    client = client_for(world.member)
    url = reverse("portal:project_meeting", args=[world.project.pk, meeting.pk])
    assert client.get(url).status_code == 200
    team_member_remove(project=world.project, user=world.member, by=world.coordinator)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("count", [3, 60])
def test_meeting_list_queries_do_not_grow(world, client_for, django_assert_max_num_queries, count):
    for number in range(count):
        meeting = _meeting(world, days=number - count // 2, title=f"Meeting {number}")
        services.attendance_answer(meeting=meeting, user=world.member, answer="yes")
    client = client_for(world.member)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("portal:project_meetings", args=[world.project.pk]))
    assert len(response.context["upcoming"]) + len(response.context["past"]) == count
