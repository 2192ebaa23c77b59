"""A cohort's outcomes reach the project's SROI map only when its coordinator accepts them,
and then only when a coordinator of the map chooses the outcome they fill."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from wagtail import hooks

from impact import services as impact
from impact.models import Outcome
from impact.suggestions import CHANGED, FILLED, NEW, outcome_suggestions
from tests.impact.helpers import build_map
from training import services
from training.models import CohortOutcome


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _offered(project):
    return [row for fn in hooks.get_hooks("impact_outcome_suggestions") for row in fn(project)]


def _outcomes_recorded(world):
    """One learner gained a DigComp level; the other left and was working three months on."""
    services.skill_level_record(
        enrolment=world.enrolments[0], user=world.trainer, area="safety", before=1, after=3
    )
    left = services.enrolment_set_status(
        enrolment=world.enrolments[1], user=world.coordinator, status="dropped", drop_reason="Job"
    )
    services.follow_up_record(
        enrolment=left, user=world.coordinator, months=3, situation="working", evidence="A call"
    )


@pytest.fixture
def impact_map(world):
    return build_map(world.project, world.coordinator, outcomes=2)


def test_figures_not_accepted_never_reach_the_map(world, impact_map):
    _outcomes_recorded(world)
    assert _offered(world.project) == []
    assert outcome_suggestions(impact_map) == []
    with pytest.raises(ValidationError):
        impact.outcome_suggestion_fill(
            impact_map=impact_map,
            user=world.coordinator,
            key=f"training:{world.cohort.pk}:skills",
            outcome_id=impact_map.stakeholders.first().outcomes.first().pk,
        )
    assert sorted(Outcome.objects.values_list("quantity", flat=True)) == [10, 11]


def test_accepted_outcomes_fill_the_chosen_quantity_with_their_evidence(world, impact_map):
    _outcomes_recorded(world)
    accepted = services.cohort_outcomes_accept(cohort=world.cohort, user=world.coordinator)
    assert {row.kind: row.quantity for row in accepted} == {"skills": 1, "working": 1}

    suggestions = {s.key: s for s in outcome_suggestions(impact_map)}
    skills = suggestions[f"training:{world.cohort.pk}:skills"]
    assert skills.quantity == 1 and skills.state == NEW
    assert "DigComp" in skills.evidence and world.cohort.name in skills.evidence
    # Offered, not added: the map is as it was until a coordinator chooses an outcome.
    assert sorted(Outcome.objects.values_list("quantity", flat=True)) == [10, 11]

    target = Outcome.objects.get(description="Outcome 0")
    outcome, changed = impact.outcome_suggestion_fill(
        impact_map=impact_map, user=world.coordinator, key=skills.key, outcome_id=target.pk
    )
    assert changed and outcome.quantity == Decimal(1)
    target.refresh_from_db()
    assert target.quantity == 1 and target.indicator_source == skills.evidence
    assert Outcome.objects.get(description="Outcome 1").quantity == 11
    assert next(s for s in outcome_suggestions(impact_map) if s.key == skills.key).state == FILLED

    # A figure fills one outcome only.
    with pytest.raises(ValidationError):
        impact.outcome_suggestion_fill(
            impact_map=impact_map,
            user=world.coordinator,
            key=skills.key,
            outcome_id=Outcome.objects.get(description="Outcome 1").pk,
        )

    # New records change nothing offered until accepted again.
    services.skill_level_record(
        enrolment=world.enrolments[1], user=world.trainer, area="safety", before=2, after=4
    )
    assert CohortOutcome.objects.get(kind="skills").quantity == 1
    services.cohort_outcomes_accept(cohort=world.cohort, user=world.coordinator)
    state = next(s for s in outcome_suggestions(impact_map) if s.key == skills.key)
    assert state.state == CHANGED and state.quantity == 2
    target.refresh_from_db()
    assert target.quantity == 1


def test_nothing_to_accept_is_refused_with_nothing_stored(world):
    with pytest.raises(ValidationError):
        services.cohort_outcomes_accept(cohort=world.cohort, user=world.coordinator)
    assert not CohortOutcome.objects.exists()


def test_accepting_outcomes_permitted_and_denied(world):
    _outcomes_recorded(world)
    url = reverse("portal:training_outcomes_accept", args=[world.cohort.pk])
    assert _client(world.trainer).post(url).status_code == 403
    assert _client(world.mentor).post(url).status_code == 403
    assert _client(world.partner_admin).post(url).status_code == 404
    assert _client(world.outsider).post(url).status_code == 404
    assert Client().post(url).status_code == 302
    assert not CohortOutcome.objects.exists()
    cohort_url = reverse("portal:training_cohort", args=[world.cohort.pk])
    page = _client(world.coordinator).get(cohort_url)
    assert "Accept these outcomes" in page.content.decode()
    assert _client(world.coordinator).post(url).status_code == 302
    assert CohortOutcome.objects.count() == 2


def test_filling_a_quantity_permitted_and_denied(world, impact_map):
    _outcomes_recorded(world)
    services.cohort_outcomes_accept(cohort=world.cohort, user=world.coordinator)
    url = reverse("portal:impact_outcome_fill", args=[world.project.pk, "forecast"])
    target = Outcome.objects.get(description="Outcome 1")
    data = {"key": f"training:{world.cohort.pk}:working", "outcome": target.pk}
    assert _client(world.trainer).post(url, data).status_code in (403, 404)
    assert _client(world.outsider).post(url, data).status_code == 404
    target.refresh_from_db()
    assert target.quantity == 11
    page = _client(world.coordinator).get(
        reverse("portal:impact_map", args=[world.project.pk, "forecast"])
    )
    assert "Accepted figures for outcome quantities" in page.content.decode()
    bad = _client(world.coordinator).post(url, {**data, "outcome": "x"}, follow=True)
    assert bad.status_code == 200
    target.refresh_from_db()
    assert target.quantity == 11
    assert _client(world.coordinator).post(url, data).status_code == 302
    target.refresh_from_db()
    assert target.quantity == 1 and "follow-ups" in target.indicator_source


def test_mentoring_check_ins_are_offered_as_volunteer_hours(world):
    from impact.suggestions import input_suggestions
    from tests.training.builders import day

    services.checkin_add(
        mentorship=world.mentorship, user=world.mentor, held_on=day(-2), minutes=90
    )
    services.checkin_add(
        mentorship=world.mentorship, user=world.mentor, held_on=day(-1), minutes=45
    )
    year = day(-1).year
    impact_map = impact.impact_map_create(
        project=world.project, user=world.coordinator, kind="forecast", first_year=year
    )
    offered = {s.key: s for s in input_suggestions(impact_map)}
    mentoring = offered[f"training:mentoring:{year}"]
    assert mentoring.hours == Decimal("2.25") and mentoring.people == 1
    # Offered, not added, until a coordinator offers it as an input.
    assert not impact_map.inputs.exists()
    row, changed = impact.input_suggestion_offer(
        impact_map=impact_map, user=world.coordinator, key=mentoring.key
    )
    assert changed and row.hours == Decimal("2.25") and row.kind == "volunteer_hours"
