"""Matching in the /volunteer/ directory on availability and SDGs: a role whose upcoming shifts
fit the availability a volunteer wrote, or whose project works for the SDGs they care about,
comes first, with the reason shown; the page costs the same for 3 roles as for 30."""

from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projects.models import ProjectPage
from taxonomy.models import SustainableDevelopmentGoal
from volunteers import availability, services
from volunteers.models import Role

MONDAY, TUESDAY, SATURDAY = 0, 1, 5


def client_for(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def next_day(weekday, at_hour, minutes=0):
    """The next ``weekday`` (at least tomorrow) at ``at_hour`` in the portal's time zone."""
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(at_hour, minutes)))


def role_with_shift(net, title, weekday, start_hour, hours=2, project=None, coordinator=None):
    role = services.role_create(
        user=coordinator or net.coordinator, project=project or net.project, title=title
    )
    start = next_day(weekday, start_hour)
    services.shift_create(
        user=coordinator or net.coordinator,
        role=role,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        places=3,
    )
    return role


def titles(response):
    return [role.title for role in response.context["roles"]]


@pytest.fixture
def quiet(net):
    """Only the roles a test makes are open (the network's role has a shift tomorrow)."""
    Role.objects.filter(pk=net.role.pk).update(open=False)
    return net


# --- Reading availability -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Weekday afternoons", {(d, "afternoon") for d in range(5)}),
        ("dissabtes al matí", {(SATURDAY, "morning")}),
        ("martes y jueves por la tarde", {(TUESDAY, "afternoon"), (3, "afternoon")}),
        ("Tuesdays 17-19", {(TUESDAY, "afternoon")}),
        ("dilluns de 9:00 a 11:30", {(MONDAY, "morning")}),
        ("caps de setmana", {(d, p) for d in (5, 6) for p in availability.PARTS}),
        ("I am free on weekends", {(d, p) for d in (5, 6) for p in availability.PARTS}),
        ("", None),
        ("ask me", None),
    ],
)
def test_availability_is_read_in_english_spanish_and_catalan(text, expected):
    assert availability.slots(text) == expected


def test_a_shift_fits_the_parts_of_the_day_it_overlaps():
    start = next_day(TUESDAY, 17)
    assert availability.shift_slots(start, start + timedelta(hours=2)) == {(TUESDAY, "afternoon")}
    start = next_day(TUESDAY, 19, 30)
    assert availability.shift_slots(start, start + timedelta(hours=2)) == {
        (TUESDAY, "afternoon"),
        (TUESDAY, "evening"),
    }


# --- The directory ------------------------------------------------------------------------


def test_roles_whose_shifts_fit_the_availability_come_first_with_the_reason(quiet):
    net = quiet
    # Made first, so without matching the newer one would come first.
    fits = role_with_shift(net, "Homework club", TUESDAY, 17)
    role_with_shift(net, "Saturday market", SATURDAY, 10)
    services.profile_save(user=net.volunteer, availability="Tuesday afternoons")
    response = client_for(net.volunteer).get(reverse("volunteers:role_list"))
    assert titles(response) == ["Homework club", "Saturday market"]
    first, second = response.context["roles"]
    assert first.matched_times == ["Tuesday afternoons"]
    assert (first.availability_fit, second.availability_fit) == (True, False)
    page = response.content.decode()
    assert "Its shifts fit your availability: Tuesday afternoons." in page
    assert page.count("Its upcoming shifts fall outside the availability on your profile.") == 1
    assert fits.pk == first.pk


def test_an_availability_that_says_nothing_neither_helps_nor_hurts(quiet):
    net = quiet
    role_with_shift(net, "Homework club", TUESDAY, 17)
    role_with_shift(net, "Saturday market", SATURDAY, 10)
    services.profile_save(user=net.volunteer, availability="ask me")
    response = client_for(net.volunteer).get(reverse("volunteers:role_list"))
    assert titles(response) == ["Saturday market", "Homework club"]
    assert [role.availability_fit for role in response.context["roles"]] == [None, None]
    assert "fall outside" not in response.content.decode()


def test_roles_of_projects_working_for_the_volunteers_sdgs_come_first(quiet):
    net = quiet
    goals = {goal.number: goal for goal in SustainableDevelopmentGoal.objects.all()}
    ProjectPage.sdgs.through.objects.create(
        projectpage=net.project, sustainabledevelopmentgoal=goals[4]
    )
    ProjectPage.sdgs.through.objects.create(
        projectpage=net.other_project, sustainabledevelopmentgoal=goals[13]
    )
    services.role_create(user=net.coordinator, project=net.project, title="Reading club")
    services.role_create(
        user=net.other_coordinator, project=net.other_project, title="Tree planting"
    )
    services.profile_save(user=net.volunteer, sdgs=[goals[4]])
    response = client_for(net.volunteer).get(reverse("volunteers:role_list"))
    assert titles(response) == ["Reading club", "Tree planting"]
    assert response.context["roles"][0].matched_sdgs == [str(goals[4])]
    assert response.context["roles"][1].matched_sdgs == []
    page = response.content.decode()
    assert f"Works for the SDGs you care about: {goals[4]}." in page
    # Interested in climate action instead: the other role comes first.
    services.profile_save(user=net.volunteer, sdgs=[goals[13]])
    response = client_for(net.volunteer).get(reverse("volunteers:role_list"))
    assert titles(response) == ["Tree planting", "Reading club"]


def test_a_visitor_sees_no_matching(quiet):
    role_with_shift(quiet, "Homework club", TUESDAY, 17)
    response = client_for().get(reverse("volunteers:role_list"))
    assert response.status_code == 200
    assert not hasattr(response.context["roles"][0], "matched_times")


def test_the_directory_with_availability_and_sdgs_costs_the_same_for_3_and_30_roles(
    quiet, django_assert_max_num_queries
):
    net = quiet
    goals = list(SustainableDevelopmentGoal.objects.all()[:3])
    for goal in goals:
        ProjectPage.sdgs.through.objects.create(
            projectpage=net.project, sustainabledevelopmentgoal=goal
        )

    def add_roles(first, last):
        for n in range(first, last):
            role = role_with_shift(net, f"Role {n}", TUESDAY, 17)
            services.shift_create(
                user=net.coordinator,
                role=role,
                starts_at=next_day(SATURDAY, 10),
                ends_at=next_day(SATURDAY, 12),
                places=2,
            )

    services.profile_save(
        user=net.volunteer, availability="Tuesday afternoons, weekends", sdgs=goals
    )
    client = client_for(net.volunteer)
    url = reverse("volunteers:role_list")
    add_roles(0, 3)
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        assert len(client.get(url).context["roles"]) == 3
    add_roles(3, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    roles = response.context["roles"]
    assert len(roles) == 30
    assert all(role.matched_times and len(role.matched_sdgs) == 3 for role in roles)
    assert roles[0].matched_times == ["Tuesday afternoons", "Saturday mornings"]


def test_the_reasons_are_told_in_the_volunteers_language(quiet):
    role_with_shift(quiet, "Homework club", TUESDAY, 17)
    services.profile_save(user=quiet.volunteer, availability="dimarts a la tarda")
    page = client_for(quiet.volunteer).get("/ca/volunteer/").content.decode()
    assert "Els seus torns encaixen amb la teva disponibilitat: Dimarts a la tarda." in page
