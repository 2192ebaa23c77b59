"""Every training list costs the same number of queries with 3 rows as with 50."""

import pytest
from django.test import Client
from django.urls import reverse

from training import services
from training.models import Enrolment, Learner

from .builders import at, day, learner

BOUNDS = {
    "training_index": 6,  # the learners the person mentors: one more
    "training_programme": 15,  # with the learner filter: its cohort choices, its cohort check
    "training_cohort": 15,  # with the outcomes a coordinator accepts: five more, fixed; materials
    "training_attendance": 8,
    "training_session": 9,
    "training_mentees": 7,
    "training_learner": 14,
}


def _grow(world, cohort, count):
    """``count`` more learners in ``cohort``, enrolled, marked in every session, mentored."""
    for n in range(count):
        new = learner(world.programme, world.coordinator, cohort=cohort, alias=f"N{n}")
        enrolment = new.enrolments.get()
        Enrolment.objects.filter(pk=enrolment.pk).update(status="active")
        for session in cohort.sessions.all():
            services.attendance_record(
                session=session, user=world.coordinator, marks={enrolment.pk: "present"}
            )
        services.mentorship_start(learner=new, user=world.coordinator, mentor=world.mentor)


def _args(name, world, cohort, session):
    return {
        "training_index": [],
        "training_programme": [world.programme.pk],
        "training_cohort": [cohort.pk],
        "training_attendance": [session.pk],
        "training_session": [session.pk],
        "training_mentees": [world.programme.pk],
        "training_learner": [world.minor.pk],
    }[name]


@pytest.mark.parametrize("name", list(BOUNDS))
def test_list_queries_are_constant(world, name, django_assert_max_num_queries):
    cohort = services.cohort_create(
        programme=world.programme,
        user=world.coordinator,
        name="Big",
        starts_on=day(-3),
        ends_on=day(30),
        capacity=100,
        language="es",
    )
    sessions = [
        services.session_create(cohort=cohort, user=world.coordinator, starts_at=at(i), topic="T")
        for i in (-2, -1)
    ]
    services.learner_refer(learner=world.minor, cohort=cohort, user=world.coordinator)
    client = Client()
    mentor_view = name in ("training_mentees", "training_index")  # the index lists their mentees
    client.force_login(world.mentor if mentor_view else world.coordinator)
    url = reverse(f"portal:{name}", args=_args(name, world, cohort, sessions[0]))
    for count in (3, 47):
        _grow(world, cohort, count)
        with django_assert_max_num_queries(BOUNDS[name]):
            assert client.get(url).status_code == 200
    assert Learner.objects.filter(programme=world.programme).count() == 52


def test_the_learner_list_filters_by_cohort_and_status_in_constant_queries(
    world, django_assert_max_num_queries
):
    other = services.cohort_create(
        programme=world.programme,
        user=world.coordinator,
        name="Autumn",
        starts_on=day(40),
        ends_on=day(80),
        capacity=50,
        language="ca",
    )
    _grow(world, other, 4)
    services.enrolment_set_status(
        enrolment=world.enrolments[1], user=world.coordinator, status="dropped", drop_reason="Job"
    )
    client = Client()
    client.force_login(world.coordinator)
    url = reverse("portal:training_programme", args=[world.programme.pk])

    def codes(params):
        with django_assert_max_num_queries(BOUNDS["training_programme"]):
            response = client.get(url, params)
        return {learner.code for learner in response.context["learners"]}

    assert codes({"cohort": other.pk}) == {
        e.learner.code for e in Enrolment.objects.filter(cohort=other)
    }
    assert codes({"cohort": world.cohort.pk, "status": "dropped"}) == {world.adult.code}
    assert codes({"status": "active", "cohort": world.cohort.pk}) == {world.minor.code}
    assert len(codes({})) == 6
    bad = client.get(url, {"cohort": "999999"})
    assert bad.status_code == 200 and list(bad.context["learners"]) == []
    assert list(bad.context["messages"])
