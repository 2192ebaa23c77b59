"""Accepted ventures of the calls for social entrepreneurship: the managers give them mentors
(from the opening organization's people and the network's volunteers open to mentoring) and
milestones; the team and the mentors read the venture and mark milestones done; the managers
see overdue milestones; a mentor's check-ins count as their verified volunteer hours."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from privacy.services import account_delete
from tests.factories import UserFactory
from tests.utils import approved_organization, editor
from volunteers import calls, services, ventures
from volunteers.models import (
    HoursLog,
    VentureCheckin,
    VentureMentor,
    VentureMilestone,
)

TODAY = timezone.localdate


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _call(net, title="Social ventures 2027"):
    return calls.call_open(
        user=net.coordinator,
        organization=net.project.lead_organization,
        title=title,
        challenge="Ideas for digital inclusion",
        deadline=TODAY() + timedelta(days=30),
    )


def _accepted(call, applicant, manager, team="Repair café team"):
    application = calls.application_submit(
        user=applicant, call=call, team=team, proposal="A repair café"
    )
    return calls.application_decide(user=manager, application=application, accept=True)


@pytest.fixture
def world(net):
    """The call of the coordinator's organization, the volunteer's venture accepted, a network
    volunteer open to mentoring assigned as its mentor, a reviewer, an editor and another
    organization's admin."""
    call = _call(net)
    venture = _accepted(call, net.volunteer, net.coordinator)
    mentor = UserFactory(username="v_mentor")
    services.profile_save(user=mentor, university="UdG", open_to_mentoring_ventures=True)
    ventures.mentor_assign(user=net.coordinator, venture=venture, mentor_id=mentor.pk)
    calls.review_assign(user=net.coordinator, application=venture, username="v_team_member")
    milestone = ventures.milestone_add(
        user=net.coordinator, venture=venture, title="First prototype", due_on=TODAY()
    )
    return {
        "net": net,
        "call": call,
        "venture": venture,
        "mentor": mentor,
        "milestone": milestone,
        "people": {
            "manager": net.coordinator,
            "mentor": mentor,
            "applicant": net.volunteer,
            "reviewer": net.team_member,
            "other_admin": net.other_coordinator,
            "outsider": net.no_profile,
            "editor": editor(),
            "anonymous": None,
        },
    }


def _outcome(response):
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


# --- Reading the venture ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", 200),
        ("mentor", 200),
        ("applicant", 200),
        ("editor", 200),
        ("reviewer", 404),
        ("other_admin", 404),
        ("outsider", 404),
        ("anonymous", "login"),
    ],
)
def test_venture_page_permitted_and_denied(world, who, expected):
    url = reverse("calls:venture_detail", args=[world["venture"].pk])
    response = client_for(world["people"][who]).get(url)
    assert _outcome(response) == expected
    if expected == 200:
        page = response.content.decode()
        assert "First prototype" in page
        assert world["mentor"].get_full_name() in page


def test_an_application_not_accepted_has_no_venture_page(net):
    call = _call(net)
    application = calls.application_submit(user=net.volunteer, call=call, team="T", proposal="P")
    url = reverse("calls:venture_detail", args=[application.pk])
    for user in (net.coordinator, net.volunteer):
        assert client_for(user).get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        ventures.milestone_add(
            user=net.coordinator, venture=application, title="x", due_on=TODAY()
        )


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", 200),
        ("editor", 200),
        ("mentor", 403),
        ("applicant", 403),
        ("reviewer", 403),
        ("other_admin", 403),
        ("outsider", 403),
        ("anonymous", "login"),
    ],
)
def test_call_ventures_permitted_and_denied(world, who, expected):
    url = reverse("calls:call_ventures", args=[world["call"].pk])
    response = client_for(world["people"][who]).get(url)
    assert _outcome(response) == expected
    if expected == 200:
        assert "Repair café team" in response.content.decode()


@pytest.mark.parametrize("who", ["mentor", "applicant", "outsider", "reviewer"])
def test_my_ventures_lists_only_the_team_and_mentors_ventures(world, who):
    response = client_for(world["people"][who]).get(reverse("calls:ventures_mine"))
    assert response.status_code == 200
    listed = reverse("calls:venture_detail", args=[world["venture"].pk]) in (
        response.content.decode()
    )
    assert listed == (who in ("mentor", "applicant"))


def test_my_ventures_asks_anonymous_to_sign_in(world):
    assert _outcome(client_for().get(reverse("calls:ventures_mine"))) == "login"


# --- Mentors ------------------------------------------------------------------------------


def test_mentor_candidates_are_the_organizations_people_and_volunteers_open_to_mentoring(
    world,
):
    net = world["net"]
    venture = world["venture"]
    colleague = UserFactory(username="v_colleague")
    from partners.services import membership_add

    membership_add(organization=net.project.lead_organization, user=colleague)
    minor = UserFactory(username="v_minor")
    services.profile_save(user=minor, is_minor=True)
    closed = UserFactory(username="v_closed")
    services.profile_save(user=closed, university="UB")
    other_mentor = UserFactory(username="v_other_mentor")
    services.profile_save(user=other_mentor, open_to_mentoring_ventures=True)
    ids = {person.pk for person, _where in ventures.mentor_candidates(venture)}
    assert colleague.pk in ids and net.coordinator.pk in ids and other_mentor.pk in ids
    # Never the team, a mentor already, a minor, someone not open to mentoring, nor another
    # organization's people.
    for person in (net.volunteer, world["mentor"], minor, closed, net.other_coordinator):
        assert person.pk not in ids


def test_mentoring_young_people_is_no_consent_to_mentor_ventures(world):
    young_only = UserFactory(username="v_young_only")
    services.profile_save(user=young_only, open_to_mentoring=True)
    ids = {person.pk for person, _where in ventures.mentor_candidates(world["venture"])}
    assert young_only.pk not in ids
    url = reverse("calls:venture_mentor_assign", args=[world["venture"].pk])
    response = client_for(world["net"].coordinator).post(url, {"mentor": young_only.pk})
    assert response.status_code == 400
    assert not VentureMentor.objects.filter(application=world["venture"], user=young_only).exists()

    minor = UserFactory(username="v_minor_mentor")
    with pytest.raises(ValidationError):
        services.profile_save(user=minor, is_minor=True, open_to_mentoring_ventures=True)


def test_assign_mentor_permitted(world):
    other_mentor = UserFactory(username="v_other_mentor")
    services.profile_save(user=other_mentor, open_to_mentoring_ventures=True)
    url = reverse("calls:venture_mentor_assign", args=[world["venture"].pk])
    response = client_for(world["net"].coordinator).post(url, {"mentor": other_mentor.pk})
    assert response.status_code == 302
    assert VentureMentor.objects.filter(application=world["venture"], user=other_mentor).exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("mentor", 403),
        ("applicant", 403),
        ("reviewer", 404),
        ("other_admin", 404),
        ("outsider", 404),
        ("anonymous", "login"),
    ],
)
def test_assign_mentor_denied(world, who, expected):
    other_mentor = UserFactory(username="v_other_mentor")
    services.profile_save(user=other_mentor, open_to_mentoring_ventures=True)
    url = reverse("calls:venture_mentor_assign", args=[world["venture"].pk])
    response = client_for(world["people"][who]).post(url, {"mentor": other_mentor.pk})
    assert _outcome(response) == expected
    assert not VentureMentor.objects.filter(user=other_mentor).exists()


@pytest.mark.parametrize("value", ["", "abc", "999999", "self", "applicant", "outsider"])
def test_a_mentor_not_among_the_candidates_is_refused_with_nothing_stored(world, value):
    people = {
        "self": world["net"].coordinator.pk,  # a candidate, so this one is stored
        "applicant": world["net"].volunteer.pk,
        "outsider": world["net"].no_profile.pk,
    }
    url = reverse("calls:venture_mentor_assign", args=[world["venture"].pk])
    before = VentureMentor.objects.count()
    response = client_for(world["net"].coordinator).post(url, {"mentor": people.get(value, value)})
    if value == "self":
        assert response.status_code == 302
        assert VentureMentor.objects.count() == before + 1
    else:
        assert response.status_code == 400
        assert VentureMentor.objects.count() == before


def test_remove_mentor_permitted_and_denied(world):
    url = reverse("calls:venture_mentor_remove", args=[world["venture"].pk])
    data = {"mentor": world["mentor"].pk}
    for who in ("mentor", "applicant"):
        assert client_for(world["people"][who]).post(url, data).status_code == 403
    for who in ("reviewer", "other_admin", "outsider"):
        assert client_for(world["people"][who]).post(url, data).status_code == 404
    assert VentureMentor.objects.filter(user=world["mentor"]).exists()
    client_for(world["net"].coordinator).post(url, {"mentor": "x"})
    assert VentureMentor.objects.filter(user=world["mentor"]).exists()
    assert client_for(world["net"].coordinator).post(url, data).status_code == 302
    assert not VentureMentor.objects.filter(user=world["mentor"]).exists()
    # No longer a mentor: the venture is private to them again.
    detail = reverse("calls:venture_detail", args=[world["venture"].pk])
    assert client_for(world["mentor"]).get(detail).status_code == 404


def test_a_call_of_the_editors_offers_only_volunteers_open_to_mentoring(net):
    desk = editor()
    call = calls.call_open(
        user=desk, title="Cluster call", challenge="C", deadline=TODAY() + timedelta(days=3)
    )
    venture = _accepted(call, net.volunteer, desk)
    mentor = UserFactory(username="v_mentor")
    services.profile_save(user=mentor, open_to_mentoring_ventures=True)
    assert [person for person, _ in ventures.mentor_candidates(venture)] == [mentor]
    ventures.mentor_assign(user=desk, venture=venture, mentor_id=mentor.pk)
    with pytest.raises(PermissionDenied):
        ventures.mentor_assign(user=net.coordinator, venture=venture, mentor_id=mentor.pk)


# --- Milestones ---------------------------------------------------------------------------


def test_add_milestone_permitted(world):
    url = reverse("calls:venture_milestone_add", args=[world["venture"].pk])
    due = TODAY() + timedelta(days=14)
    response = client_for(world["people"]["editor"]).post(
        url, {"title": "Pilot with ten users", "due_on": due.isoformat()}
    )
    assert response.status_code == 302
    assert VentureMilestone.objects.filter(title="Pilot with ten users", due_on=due).exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("mentor", 403),
        ("applicant", 403),
        ("reviewer", 404),
        ("other_admin", 404),
        ("outsider", 404),
        ("anonymous", "login"),
    ],
)
def test_add_milestone_denied(world, who, expected):
    url = reverse("calls:venture_milestone_add", args=[world["venture"].pk])
    response = client_for(world["people"][who]).post(
        url, {"title": "Sneaky", "due_on": TODAY().isoformat()}
    )
    assert _outcome(response) == expected
    assert not VentureMilestone.objects.filter(title="Sneaky").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "due_on": "2027-01-01"},
        {"title": "No date", "due_on": ""},
        {"title": "Bad date", "due_on": "2027-13-45"},
        {"title": "x" * 201, "due_on": "2027-01-01"},
    ],
)
def test_a_bad_milestone_is_refused_with_nothing_stored(world, data):
    url = reverse("calls:venture_milestone_add", args=[world["venture"].pk])
    before = VentureMilestone.objects.count()
    response = client_for(world["net"].coordinator).post(url, data)
    assert response.status_code == 400
    assert VentureMilestone.objects.count() == before


@pytest.mark.parametrize("who", ["applicant", "mentor"])
def test_mark_milestone_permitted(world, who):
    person = world["people"][who]
    url = reverse("calls:venture_milestone_mark", args=[world["milestone"].pk])
    response = client_for(person).post(url, {"done": "on", "note": "Tested with five people"})
    assert response.status_code == 302
    milestone = VentureMilestone.objects.get(pk=world["milestone"].pk)
    assert (milestone.done, milestone.note, milestone.done_by) == (
        True,
        "Tested with five people",
        person,
    )
    assert milestone.done_at is not None
    client_for(person).post(url, {"note": "Not quite after all"})
    milestone.refresh_from_db()
    assert (milestone.done, milestone.done_by, milestone.done_at) == (False, None, None)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", 403),
        ("reviewer", 404),
        ("other_admin", 404),
        ("outsider", 404),
        ("anonymous", "login"),
    ],
)
def test_mark_milestone_denied(world, who, expected):
    url = reverse("calls:venture_milestone_mark", args=[world["milestone"].pk])
    response = client_for(world["people"][who]).post(url, {"done": "on", "note": "x"})
    assert _outcome(response) == expected
    milestone = VentureMilestone.objects.get(pk=world["milestone"].pk)
    assert (milestone.done, milestone.note) == (False, "")


def test_a_too_long_note_is_refused_with_nothing_stored(world):
    url = reverse("calls:venture_milestone_mark", args=[world["milestone"].pk])
    client_for(world["net"].volunteer).post(url, {"done": "on", "note": "x" * 2001})
    milestone = VentureMilestone.objects.get(pk=world["milestone"].pk)
    assert (milestone.done, milestone.note) == (False, "")


def test_managers_see_overdue_milestones_first(world):
    net = world["net"]
    late = _accepted(world["call"], net.no_profile, net.coordinator, team="Late team")
    ventures.milestone_add(
        user=net.coordinator,
        venture=late,
        title="Business plan",
        due_on=TODAY() - timedelta(days=3),
    )
    done_late = ventures.milestone_add(
        user=net.coordinator,
        venture=late,
        title="Logo",
        due_on=TODAY() - timedelta(days=5),
    )
    ventures.milestone_mark(user=net.no_profile, milestone=done_late, done=True)
    rows = ventures.ventures_of_call(world["call"])
    assert [row.team for row in rows] == ["Late team", "Repair café team"]
    assert [m.title for m in rows[0].overdue] == ["Business plan"]
    assert rows[1].overdue == []  # due today is not overdue yet
    page = client_for(net.coordinator).get(reverse("calls:call_ventures", args=[world["call"].pk]))
    text = page.content.decode()
    assert "Overdue milestones" in text and "Business plan" in text
    assert text.index("Late team") < text.index("Repair café team")


# --- Check-ins as volunteer hours ---------------------------------------------------------


def test_a_mentors_checkin_counts_as_verified_hours(world):
    mentor = world["mentor"]
    url = reverse("calls:venture_checkin_add", args=[world["venture"].pk])
    day = TODAY() - timedelta(days=1)
    response = client_for(mentor).post(
        url, {"held_on": day.isoformat(), "minutes": "90", "note": "Pricing"}
    )
    assert response.status_code == 302
    checkin = VentureCheckin.objects.get(mentor=mentor)
    entry = HoursLog.objects.get(source_key=f"volunteers.venture_checkin:{checkin.pk}")
    assert (entry.user, entry.hours, entry.status, entry.day) == (
        mentor,
        Decimal("1.50"),
        "verified",
        day,
    )
    assert "Social ventures 2027" in entry.source
    delete = reverse("calls:venture_checkin_delete", args=[checkin.pk])
    assert client_for(world["net"].volunteer).post(delete).status_code == 403
    assert client_for(mentor).post(delete).status_code == 302
    assert not HoursLog.objects.filter(user=mentor).exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("manager", 403),
        ("applicant", 403),
        ("reviewer", 404),
        ("outsider", 404),
        ("anonymous", "login"),
    ],
)
def test_checkin_denied(world, who, expected):
    url = reverse("calls:venture_checkin_add", args=[world["venture"].pk])
    response = client_for(world["people"][who]).post(
        url, {"held_on": TODAY().isoformat(), "minutes": "60"}
    )
    assert _outcome(response) == expected
    assert not VentureCheckin.objects.exists()
    assert not HoursLog.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"held_on": "", "minutes": "60"},
        {"held_on": "tomorrow", "minutes": "60"},
        {"held_on": "FUTURE", "minutes": "60"},
        {"held_on": "TODAY", "minutes": "5"},
        {"held_on": "TODAY", "minutes": "600"},
    ],
)
def test_a_bad_checkin_is_refused_with_nothing_stored(world, data):
    days = {"FUTURE": TODAY() + timedelta(days=1), "TODAY": TODAY()}
    data = {key: str(days.get(value, value)) for key, value in data.items()}
    url = reverse("calls:venture_checkin_add", args=[world["venture"].pk])
    response = client_for(world["mentor"]).post(url, data)
    assert response.status_code == 400
    assert not VentureCheckin.objects.exists()
    assert not HoursLog.objects.exists()


def test_a_mentor_without_a_volunteer_profile_records_checkins_without_hours(world):
    net = world["net"]
    ventures.mentor_assign(
        user=net.coordinator, venture=world["venture"], mentor_id=net.coordinator.pk
    )
    ventures.checkin_add(
        user=net.coordinator, venture=world["venture"], held_on=TODAY(), minutes=30
    )
    assert VentureCheckin.objects.count() == 1
    assert not HoursLog.objects.exists()


# --- Lists: constant queries --------------------------------------------------------------


def _ventures(net, call, count):
    """``count`` accepted ventures, each with two mentors and two milestones (one overdue)."""
    mentors = []
    for n in range(2):
        person = UserFactory(username=f"v_bulk_mentor_{n}")
        services.profile_save(user=person, open_to_mentoring_ventures=True)
        mentors.append(person)
    for n in range(count):
        applicant = UserFactory(username=f"v_bulk_{n}")
        venture = _accepted(call, applicant, net.coordinator, team=f"Team {n}")
        for person in mentors:
            ventures.mentor_assign(user=net.coordinator, venture=venture, mentor_id=person.pk)
        for days in (-2, 10):
            ventures.milestone_add(
                user=net.coordinator,
                venture=venture,
                title=f"Step {days}",
                due_on=TODAY() + timedelta(days=days),
            )
    return mentors


@pytest.mark.parametrize("count", [3, 30])
def test_call_ventures_queries_stay_constant(net, count, django_assert_max_num_queries):
    call = _call(net)
    _ventures(net, call, count)
    client = client_for(net.coordinator)
    url = reverse("calls:call_ventures", args=[call.pk])
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.content.decode().count("Step -2") == count


@pytest.mark.parametrize("count", [3, 30])
def test_my_ventures_queries_stay_constant(net, count, django_assert_max_num_queries):
    call = _call(net)
    mentors = _ventures(net, call, count)
    client = client_for(mentors[0])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("calls:ventures_mine"))
    assert response.content.decode().count("1 overdue") == count


@pytest.mark.parametrize("count", [3, 30])
def test_venture_page_queries_stay_constant(world, count, django_assert_max_num_queries):
    net = world["net"]
    for n in range(count):
        ventures.milestone_add(
            user=net.coordinator, venture=world["venture"], title=f"M{n}", due_on=TODAY()
        )
        ventures.checkin_add(
            user=world["mentor"], venture=world["venture"], held_on=TODAY(), minutes=30
        )
        ventures.milestone_mark(
            user=world["mentor"], milestone=VentureMilestone.objects.last(), done=True
        )
    url = reverse("calls:venture_detail", args=[world["venture"].pk])
    with django_assert_max_num_queries(30):
        response = client_for(net.coordinator).get(url)
    assert response.content.decode().count("marked by") == count


# --- Personal data ------------------------------------------------------------------------


def test_a_mentor_deleting_their_account_leaves_the_venture_and_its_milestones(world):
    mentor = world["mentor"]
    ventures.milestone_mark(user=mentor, milestone=world["milestone"], done=True, note="Ok")
    ventures.checkin_add(user=mentor, venture=world["venture"], held_on=TODAY(), minutes=60)
    account_delete(user=mentor)
    milestone = VentureMilestone.objects.get(pk=world["milestone"].pk)
    assert (milestone.done, milestone.done_by) == (True, None)
    assert not VentureMentor.objects.exists()
    assert not VentureCheckin.objects.exists()
    assert not HoursLog.objects.exists()


def test_the_milestone_refuses_done_without_its_time(world):
    milestone = world["milestone"]
    milestone.done = True
    with pytest.raises(ValidationError):
        milestone.full_clean()


def test_another_organizations_admin_cannot_manage_even_through_the_service(world):
    other = approved_organization(admin=UserFactory(username="v_third_admin"))
    admin = other.memberships.get().user
    with pytest.raises(PermissionDenied):
        ventures.milestone_add(user=admin, venture=world["venture"], title="x", due_on=TODAY())


# --- Notifications ------------------------------------------------------------------------


def test_the_mentor_and_the_team_are_told_of_mentors_and_milestones(world):
    from notifications.models import Notification

    told = Notification.objects.filter(kind="volunteers.venture")
    venture_url = reverse("calls:venture_detail", args=[world["venture"].pk])
    mentor_note = told.get(user=world["mentor"], title__startswith="You mentor")
    assert "Repair café team" in mentor_note.title and mentor_note.url == venture_url
    assert told.filter(user=world["net"].volunteer, title__contains="mentors your venture")
    # The milestone set in the fixture reached the team and the mentor, not the manager.
    about_milestone = told.filter(title__contains="First prototype")
    assert {n.user for n in about_milestone} == {world["net"].volunteer, world["mentor"]}
    # A mentor already there is no candidate any more: nothing is stored nor told again.
    count = told.count()
    with pytest.raises(ValidationError):
        ventures.mentor_assign(
            user=world["net"].coordinator,
            venture=world["venture"],
            mentor_id=world["mentor"].pk,
        )
    assert told.count() == count
