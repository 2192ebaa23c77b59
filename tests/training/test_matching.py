"""Mentors suggested for a learner: the programme's staff matched on skills, languages, sectors
and availability, from the profiles people keep in the volunteer network and on their cards,
each suggestion with its reasons; the page is the coordinators' only."""

import pytest
from django.test import Client
from django.urls import reverse

from partners.services import membership_add
from people.models import Profile
from projects.services import team_add
from taxonomy.models import Sector
from tests.factories import UserFactory
from training import matching, services
from training.models import Mentorship
from volunteers.services import profile_save

from .builders import learner

pytestmark = pytest.mark.django_db


def _sector(name):
    return Sector.objects.get_or_create(slug=name.lower(), defaults={"name": name})[0]


def _keen_learner(world, **fields):
    """A learner in the world's cohort (topics HTML, CSS, JavaScript, Git; Spanish)."""
    defaults = {
        "interests": "Python, video games",
        "languages": "Arabic, català",
        "availability": "evenings",
    }
    return learner(
        world.programme,
        world.coordinator,
        cohort=world.cohort,
        alias="Kai",
        **{**defaults, **fields},
    )


def _by_user(candidates):
    return {c.user.pk: c for c in candidates}


def test_the_best_mentor_comes_first_with_the_reasons(world):
    culture = _sector("Culture")
    profile_save(
        user=world.mentor,
        skills="python, HTML, cooking",
        languages="Catalan, English",
        availability="Weekday evenings",
        contact_consent=True,
        sectors=[culture],
    )
    kai = _keen_learner(world, sectors=[culture])

    candidates = matching.mentor_candidates(kai)

    first = candidates[0]
    assert first.user == world.mentor
    assert first.reasons == [
        "Knows what the learner wants to learn: python, HTML.",
        "Speaks català, like the learner.",
        "Works in or cares about Culture.",
        "Free when the learner is: Evenings.",
    ]
    assert first.score == 2 * 10 + 5 + 3 + 2
    assert first.organization == world.partner and first.partner_role == "Company"
    others = [c for c in candidates if c.user != world.mentor]
    assert {c.user for c in others} == {world.coordinator, world.trainer}
    assert all(c.reasons == [] and c.score == 0 for c in others)


def test_the_cohorts_language_and_topics_count_and_a_shown_card_adds_skills(world):
    Profile.objects.create(
        user=world.trainer, skills="CSS, Git", languages="castellano", shown=True
    )
    # A card its owner does not show is not read.
    Profile.objects.create(user=world.coordinator, skills="CSS", languages="es", shown=False)
    plain = learner(world.programme, world.coordinator, cohort=world.cohort, alias="Lu")

    candidates = _by_user(matching.mentor_candidates(plain))

    trainer = candidates[world.trainer.pk]
    assert trainer.reasons == [
        "Knows what the learner wants to learn: CSS, Git.",
        "Speaks Español, like the learner.",
    ]
    assert candidates[world.coordinator.pk].reasons == []


def test_a_volunteer_who_did_not_agree_to_be_contacted_is_not_read(world):
    profile_save(user=world.mentor, skills="Python", languages="català", contact_consent=False)
    kai = _keen_learner(world)

    assert _by_user(matching.mentor_candidates(kai))[world.mentor.pk].reasons == []


def test_among_equals_the_mentor_with_fewer_mentees_comes_first(world):
    # The world's mentor already mentors the minor; the trainer mentors nobody.
    kai = _keen_learner(world, interests="", languages="", availability="")
    candidates = matching.mentor_candidates(kai)
    loads = {c.user.pk: c.mentees for c in candidates}
    assert loads[world.mentor.pk] == 1 and loads[world.trainer.pk] == 0
    order = [c.user.pk for c in candidates]
    assert order.index(world.trainer.pk) < order.index(world.mentor.pk)


def test_learner_interests_are_kept_and_shown_to_the_staff(world):
    kai = _keen_learner(world, sectors=[_sector("Culture")])
    client = Client()
    client.force_login(world.mentor)
    page = client.get(reverse("portal:training_learner", args=[kai.pk])).content.decode()
    assert "Python, video games" in page and "Arabic, català" in page


ROLES = ("coordinator", "trainer", "mentor", "partner_admin", "outsider", "editor", "anonymous")


def test_mentor_suggestions_permitted_and_denied(world):
    kai = _keen_learner(world)
    url = reverse("portal:training_mentor_match", args=[kai.pk])
    outcomes = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(getattr(world, role))
        response = client.get(url)
        login = response.status_code == 302 and "/accounts/login/" in response["Location"]
        outcomes.append("login" if login else response.status_code)
    assert outcomes == [200, 403, 403, 404, 404, 404, "login"]

    client = Client()
    client.force_login(world.coordinator)
    page = client.get(url)
    assert [c.user for c in page.context["candidates"]][:1]
    mentor_staff = world.programme.staff.get(user=world.mentor)
    assert f'value="{mentor_staff.pk}"' in page.content.decode()
    # Assigning from the suggestions is the learner page's action, for coordinators only.
    denied = Client()
    denied.force_login(world.trainer)
    denied.post(
        reverse("portal:training_learner_mentor", args=[kai.pk]), {"mentor": mentor_staff.pk}
    )
    assert not Mentorship.objects.filter(learner=kai).exists()
    client.post(
        reverse("portal:training_learner_mentor", args=[kai.pk]), {"mentor": mentor_staff.pk}
    )
    assert Mentorship.objects.get(learner=kai, ended_on__isnull=True).mentor == world.mentor


BOUND = 20  # the volunteers of the network open to mentoring add three


def test_suggestions_cost_the_same_with_3_and_60_staff(world, django_assert_max_num_queries):
    kai = _keen_learner(world, sectors=[_sector("Culture")])
    client = Client()
    client.force_login(world.coordinator)
    url = reverse("portal:training_mentor_match", args=[kai.pk])
    added = 0
    for total in (3, 60):
        while added + 3 < total:
            person = UserFactory()
            membership_add(organization=world.partner, user=person)
            team_add(
                project=world.project,
                user=person,
                organization=world.partner,
                added_by=world.coordinator,
            )
            services.staff_set(
                programme=world.programme, user=world.coordinator, person=person, role="mentor"
            )
            profile_save(user=person, skills="Python", contact_consent=True)
            Profile.objects.create(user=person, skills="Git", shown=True)
            added += 1
        with django_assert_max_num_queries(BOUND):
            response = client.get(url)
        assert len(response.context["candidates"]) == total
