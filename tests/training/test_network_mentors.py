"""Mentors from the volunteer network: adult volunteers open to mentoring young people are
offered beside the programme's staff, ranked the same way; a coordinator may choose one, who
then sees that learner's mentoring page only. A mentor's check-ins count as their volunteer
hours (``core.volunteering``), and the hours given stay when the mentorship ends."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks

from core.volunteering import LEDGER_HOOK, volunteer_mentors
from projects.signals import team_access_revoked
from tests.factories import UserFactory
from training import matching, selectors, services
from training.models import CheckIn, Mentorship
from volunteers import selectors as volunteer_selectors
from volunteers.models import HoursLog, VolunteerProfile
from volunteers.services import profile_save, profile_withdraw

from .builders import learner

pytestmark = pytest.mark.django_db


def _volunteer(username="n_volunteer", **fields):
    person = UserFactory(username=username, first_name="Núria", last_name="Vidal")
    defaults = {
        "university": "UdG",
        "studies": "Computer science",
        "skills": "Python, HTML",
        "languages": "català, English",
        "availability": "evenings",
        "open_to_mentoring": True,
    }
    profile_save(user=person, **{**defaults, **fields})
    return person


def _kai(world):
    return learner(
        world.programme,
        world.coordinator,
        cohort=world.cohort,
        alias="Kai",
        interests="Python",
        languages="català",
        availability="evenings",
    )


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _assign(client, kai, person):
    return client.post(
        reverse("portal:training_learner_mentor", args=[kai.pk]), {"volunteer": person.pk}
    )


def _login_or_status(response):
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


# --- Offered beside the staff --------------------------------------------------------------


def test_a_volunteer_open_to_mentoring_is_offered_beside_the_staff_with_the_reasons(world):
    volunteer = _volunteer()
    kai = _kai(world)

    page = _client(world.coordinator).get(reverse("portal:training_mentor_match", args=[kai.pk]))

    assert page.status_code == 200
    assert volunteer.pk not in {c.user.pk for c in page.context["candidates"]}
    (offered,) = page.context["network"]
    assert offered.user == volunteer and offered.staff is None
    assert offered.reasons == [
        "Knows what the learner wants to learn: Python, HTML.",
        "Speaks català, like the learner.",
        "Free when the learner is: Evenings.",
    ]
    assert offered.score == 2 * 10 + 5 + 2
    html = page.content.decode()
    assert f'name="volunteer" value="{volunteer.pk}"' in html
    assert "UdG · Computer science" in html


def test_volunteers_of_the_network_are_ranked_by_the_same_matching(world):
    keen = _volunteer("n_keen")
    _volunteer("n_plain", skills="cooking", languages="Deutsch", availability="mornings")
    kai = _kai(world)

    ranked = matching.network_candidates(kai)

    assert [c.user for c in ranked][0] == keen
    assert ranked[-1].reasons == [] and ranked[-1].score == 0


def test_a_volunteer_who_did_not_opt_in_is_not_offered_and_is_refused_if_posted(world):
    shy = _volunteer("n_shy", open_to_mentoring=False, contact_consent=True)
    kai = _kai(world)
    coordinator = _client(world.coordinator)

    page = coordinator.get(reverse("portal:training_mentor_match", args=[kai.pk]))
    assert shy.pk not in {c.user.pk for c in page.context["network"]}
    assert f'value="{shy.pk}"' not in page.content.decode()

    response = _assign(coordinator, kai, shy)
    assert response.status_code == 302
    assert not Mentorship.objects.filter(learner=kai).exists()
    follow = coordinator.get(response["Location"])
    assert "open to mentoring" in follow.content.decode()
    with pytest.raises(ValidationError):
        services.mentorship_start(learner=kai, user=world.coordinator, mentor=shy)


def test_a_minor_is_never_a_mentor(world):
    with pytest.raises(ValidationError):
        _volunteer("n_minor", is_minor=True)
    minor = _volunteer("n_minor2")
    VolunteerProfile.objects.filter(user=minor).update(is_minor=True)
    kai = _kai(world)
    assert minor.pk not in {c.user.pk for c in matching.network_candidates(kai)}
    _assign(_client(world.coordinator), kai, minor)
    assert not Mentorship.objects.filter(learner=kai).exists()


# --- Choosing one: permitted and denied -----------------------------------------------------


def test_a_coordinator_may_pick_a_network_volunteer_who_sees_that_learner_only(world):
    volunteer = _volunteer()
    kai = _kai(world)

    response = _assign(_client(world.coordinator), kai, volunteer)

    assert response.status_code == 302
    mentorship = Mentorship.objects.get(learner=kai, ended_on__isnull=True)
    assert mentorship.mentor == volunteer
    # No role in the programme, no grant: only the pairing.
    assert not world.programme.staff.filter(user=volunteer).exists()
    assert not selectors.programme_access(volunteer, world.programme).team
    client = _client(volunteer)
    page = client.get(reverse("portal:training_mentorship", args=[mentorship.pk]))
    assert page.status_code == 200 and "Kai" in page.content.decode()
    assert reverse("portal:training_mentees", args=[world.programme.pk]) not in (
        page.content.decode()
    )
    assert "Kai" in client.get(reverse("portal:training_index")).content.decode()
    for name, pk in (
        ("portal:training_learner", kai.pk),
        ("portal:training_programme", world.programme.pk),
        ("portal:training_mentorship", world.mentorship.pk),
        ("portal:training_cohort", world.cohort.pk),
        ("portal:training_mentor_match", kai.pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    # As mentor they keep goals and check-ins.
    client.post(reverse("portal:training_goal_add", args=[mentorship.pk]), {"title": "A CV"})
    assert mentorship.goals.get().title == "A CV"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("trainer", 403), ("mentor", 403), ("partner_admin", 404), ("outsider", 404)],
)
def test_only_the_coordinators_may_pick_a_network_volunteer(world, who, expected):
    volunteer = _volunteer()
    kai = _kai(world)

    response = _assign(_client(getattr(world, who)), kai, volunteer)

    assert response.status_code == expected
    assert not Mentorship.objects.filter(learner=kai).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(world):
    volunteer = _volunteer()
    kai = _kai(world)
    assert _login_or_status(_assign(_client(), kai, volunteer)) == "login"
    assert not Mentorship.objects.filter(learner=kai).exists()


def test_a_network_mentor_loses_the_page_when_the_mentorship_ends(world):
    volunteer = _volunteer()
    kai = _kai(world)
    mentorship = services.mentorship_start(learner=kai, user=world.coordinator, mentor=volunteer)
    services.mentorship_start(learner=kai, user=world.coordinator, mentor=world.mentor)

    response = _client(volunteer).get(reverse("portal:training_mentorship", args=[mentorship.pk]))

    assert response.status_code == 404


BOUND = 20


def test_the_page_costs_the_same_with_3_and_60_network_volunteers(
    world, django_assert_max_num_queries
):
    kai = _kai(world)
    client = _client(world.coordinator)
    url = reverse("portal:training_mentor_match", args=[kai.pk])
    made = 0
    for total in (3, 60):
        while made < total:
            _volunteer(f"n_many_{made}")
            made += 1
        with django_assert_max_num_queries(BOUND):
            response = client.get(url)
        assert len(response.context["network"]) == min(total, matching.NETWORK_SHOWN)


# --- Check-ins count as volunteer hours -----------------------------------------------------


def _checkin(mentorship, user, minutes=45, days_ago=1, note="CV"):
    return services.checkin_add(
        mentorship=mentorship,
        user=user,
        held_on=timezone.localdate() - timedelta(days=days_ago),
        minutes=minutes,
        note=note,
    )


def test_a_mentors_checkin_is_recorded_as_verified_volunteer_hours(world):
    profile_save(user=world.mentor, university="UB")

    checkin = _checkin(world.mentorship, world.mentor, minutes=45)

    line = HoursLog.objects.get(user=world.mentor)
    assert line.status == HoursLog.Status.VERIFIED and line.role is None
    assert line.hours == Decimal("0.75") and line.day == checkin.held_on
    assert "Code club" in line.source
    assert line.source_key == f"training.checkin:{checkin.pk}"
    # On the volunteer's own hours page, certificate and PDF.
    client = _client(world.mentor)
    assert "Code club" in client.get(reverse("volunteers:hours_mine")).content.decode()
    rows, total = volunteer_selectors.verified_totals(world.mentor)
    assert total == Decimal("0.75") and "Code club" in rows[0]["project_title"]
    certificate = client.get(reverse("volunteers:certificate")).content.decode()
    assert "Code club" in certificate and "0.75" in certificate
    pdf = client.get(reverse("volunteers:certificate_pdf")).content
    assert b"Code club" in pdf and b"0.75" in pdf


def test_a_checkin_recorded_by_a_coordinator_counts_for_the_mentor(world):
    profile_save(user=world.mentor)
    _checkin(world.mentorship, world.coordinator, minutes=60)
    assert HoursLog.objects.get().user == world.mentor


def test_a_network_mentors_checkins_count_as_their_hours(world):
    volunteer = _volunteer()
    kai = _kai(world)
    mentorship = services.mentorship_start(learner=kai, user=world.coordinator, mentor=volunteer)
    _client(volunteer).post(
        reverse("portal:training_checkin_add", args=[mentorship.pk]),
        {"held_on": timezone.localdate().isoformat(), "minutes": 90, "note": ""},
    )
    assert volunteer_selectors.verified_totals(volunteer)[1] == Decimal("1.50")


def test_editing_a_checkin_updates_its_hours_and_deleting_removes_them(world):
    profile_save(user=world.mentor)
    checkin = _checkin(world.mentorship, world.mentor, minutes=30)
    other = _checkin(world.mentorship, world.mentor, minutes=60, days_ago=3)
    client = _client(world.mentor)

    client.post(
        reverse("portal:training_checkin_edit", args=[checkin.pk]),
        {"held_on": (timezone.localdate() - timedelta(days=2)).isoformat(), "minutes": 120},
    )

    line = HoursLog.objects.get(source_key=f"training.checkin:{checkin.pk}")
    assert line.hours == Decimal("2.00")
    assert line.day == timezone.localdate() - timedelta(days=2)
    assert HoursLog.objects.count() == 2

    client.post(reverse("portal:training_checkin_delete", args=[checkin.pk]))

    assert not CheckIn.objects.filter(pk=checkin.pk).exists()
    assert list(HoursLog.objects.values_list("source_key", flat=True)) == [
        f"training.checkin:{other.pk}"
    ]
    assert volunteer_selectors.verified_totals(world.mentor)[1] == Decimal("1")


def test_a_bad_correction_is_refused_and_changes_nothing(world):
    profile_save(user=world.mentor)
    checkin = _checkin(world.mentorship, world.mentor, minutes=30)
    client = _client(world.mentor)
    for data in (
        {"held_on": (timezone.localdate() + timedelta(days=2)).isoformat(), "minutes": 30},
        {"held_on": timezone.localdate().isoformat(), "minutes": 2},
    ):
        response = client.post(reverse("portal:training_checkin_edit", args=[checkin.pk]), data)
        assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.minutes == 30
    assert HoursLog.objects.get().hours == Decimal("0.50")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("mentor", 302),
        ("coordinator", 302),
        ("trainer", 403),
        ("partner_admin", 404),
        ("outsider", 404),
        ("anonymous", "login"),
    ],
)
def test_correcting_and_removing_a_checkin_permitted_and_denied(world, who, expected):
    checkin = _checkin(world.mentorship, world.mentor, minutes=30)
    client = _client(None if who == "anonymous" else getattr(world, who))
    data = {"held_on": timezone.localdate().isoformat(), "minutes": 50}

    edited = client.post(reverse("portal:training_checkin_edit", args=[checkin.pk]), data)
    assert _login_or_status(edited) == expected
    checkin.refresh_from_db()
    assert (checkin.minutes == 50) == (expected == 302)

    removed = client.post(reverse("portal:training_checkin_delete", args=[checkin.pk]))
    assert _login_or_status(removed) == expected
    assert CheckIn.objects.filter(pk=checkin.pk).exists() == (expected != 302)


def test_a_mentor_without_a_volunteer_profile_records_nothing_and_breaks_nothing(world):
    checkin = _checkin(world.mentorship, world.mentor, minutes=45)
    services.checkin_edit(
        checkin=checkin, user=world.mentor, held_on=checkin.held_on, minutes=50, note=""
    )
    assert CheckIn.objects.get(pk=checkin.pk).minutes == 50
    assert not HoursLog.objects.exists()
    services.checkin_delete(checkin=checkin, user=world.mentor)
    assert not CheckIn.objects.exists()


def test_without_the_ledger_registered_nothing_is_recorded(world, monkeypatch):
    profile_save(user=world.mentor)
    monkeypatch.setitem(hooks._hooks, LEDGER_HOOK, [])

    _checkin(world.mentorship, world.mentor)

    assert CheckIn.objects.count() == 1
    assert not HoursLog.objects.exists()


# --- What ends with it ---------------------------------------------------------------------


def test_hours_given_stay_when_the_mentorship_ends(world):
    profile_save(user=world.mentor)
    checkin = _checkin(world.mentorship, world.mentor, minutes=60)
    services.mentorship_start(learner=world.minor, user=world.coordinator, mentor=world.trainer)

    assert HoursLog.objects.get(user=world.mentor).hours == Decimal("1.00")
    # The ended mentorship's check-ins are history now: not removed, nor their hours.
    with pytest.raises(ValidationError):
        services.checkin_delete(checkin=checkin, user=world.coordinator)
    assert HoursLog.objects.filter(user=world.mentor).exists()


def test_hours_given_stay_when_the_mentor_leaves_the_team(world):
    profile_save(user=world.mentor)
    _checkin(world.mentorship, world.mentor, minutes=60)

    team_access_revoked.send(sender=None, project_id=world.project.pk, user_ids=[world.mentor.pk])

    assert Mentorship.objects.get(pk=world.mentorship.pk).ended_on is not None
    assert volunteer_selectors.verified_totals(world.mentor)[1] == Decimal("1")


def test_leaving_the_network_ends_the_mentorship_but_the_hours_given_stay(
    world, django_capture_on_commit_callbacks
):
    volunteer = _volunteer()
    kai = _kai(world)
    mentorship = services.mentorship_start(learner=kai, user=world.coordinator, mentor=volunteer)
    _checkin(mentorship, volunteer, minutes=60)
    # A staff mentor who is also a volunteer keeps their staff mentee.
    profile_save(user=world.mentor, open_to_mentoring=True)

    with django_capture_on_commit_callbacks(execute=True):
        profile_withdraw(user=volunteer)
        profile_withdraw(user=world.mentor)

    mentorship.refresh_from_db()
    assert mentorship.ended_on is not None
    assert CheckIn.objects.filter(mentorship=mentorship).count() == 1
    assert volunteer_selectors.verified_totals(volunteer)[1] == Decimal("1")
    assert Mentorship.objects.get(pk=world.mentorship.pk).ended_on is None
    page = _client(volunteer).get(reverse("portal:training_mentorship", args=[mentorship.pk]))
    assert page.status_code == 404


def _told(kind="training.mentor_ended"):
    from notifications.models import Notification

    return dict(Notification.objects.filter(kind=kind).values_list("user_id", "url"))


def test_leaving_the_network_tells_the_coordinator_and_the_mentor(
    world, django_capture_on_commit_callbacks
):
    volunteer = _volunteer()
    kai = _kai(world)
    services.mentorship_start(learner=kai, user=world.coordinator, mentor=volunteer)

    with django_capture_on_commit_callbacks(execute=True):
        profile_withdraw(user=volunteer)

    told = _told()
    assert told[world.coordinator.pk] == reverse("portal:training_learner", args=[kai.pk])
    assert told[volunteer.pk] == ""
    assert world.mentor.pk not in told


def test_unticking_open_to_mentoring_ends_the_network_mentorships_as_leaving_does(
    world, django_capture_on_commit_callbacks
):
    volunteer = _volunteer()
    kai = _kai(world)
    mentorship = services.mentorship_start(learner=kai, user=world.coordinator, mentor=volunteer)
    _checkin(mentorship, volunteer, minutes=60)
    # A staff mentor who un-ticks it keeps their staff mentee.
    profile_save(user=world.mentor, open_to_mentoring=True)
    client = _client(volunteer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("volunteers:profile"), {"university": "UdG"})
        profile_save(user=world.mentor, open_to_mentoring=False)

    assert response.status_code == 302
    profile = VolunteerProfile.objects.get(user=volunteer)
    assert not profile.open_to_mentoring and profile.university == "UdG"
    mentorship.refresh_from_db()
    assert mentorship.ended_on is not None
    assert CheckIn.objects.filter(mentorship=mentorship).count() == 1
    assert volunteer_selectors.verified_totals(volunteer)[1] == Decimal("1")
    assert Mentorship.objects.get(pk=world.mentorship.pk).ended_on is None
    page = client.get(reverse("portal:training_mentorship", args=[mentorship.pk]))
    assert page.status_code == 404
    told = _told()
    assert told[world.coordinator.pk] == reverse("portal:training_learner", args=[kai.pk])
    assert told[volunteer.pk] == ""
    assert volunteer.pk not in volunteer_mentors()


def test_saving_the_profile_still_open_to_mentoring_ends_nothing(
    world, django_capture_on_commit_callbacks
):
    volunteer = _volunteer()
    mentorship = services.mentorship_start(
        learner=_kai(world), user=world.coordinator, mentor=volunteer
    )

    with django_capture_on_commit_callbacks(execute=True):
        profile_save(user=volunteer, availability="mornings", open_to_mentoring=True)

    mentorship.refresh_from_db()
    assert mentorship.ended_on is None and not _told()


def test_a_network_mentor_is_warned_with_a_link_to_the_mentoring_page(world):
    from notifications.models import Notification

    volunteer = _volunteer()
    mentorship = services.mentorship_start(
        learner=world.minor, user=world.coordinator, mentor=volunteer
    )
    for session in world.sessions[:2]:
        services.attendance_record(
            session=session, user=world.trainer, marks={world.enrolments[0].pk: "absent"}
        )

    warned = dict(
        Notification.objects.filter(kind="training.at_risk").values_list("user_id", "url")
    )
    assert warned[volunteer.pk] == reverse("portal:training_mentorship", args=[mentorship.pk])
    assert warned[world.coordinator.pk] == reverse(
        "portal:training_learner", args=[world.minor.pk]
    )
