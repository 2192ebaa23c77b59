"""The last place of a cohort goes to one learner only, whoever asks at the same moment: the
database decides (a row lock on the cohort), tested with real threads on PostgreSQL."""


import pytest
from django.core.exceptions import ValidationError

from tests.concurrency import race
from tests.services import require_postgres
from training import services
from training.models import Enrolment

from .builders import build_programme, day, learner


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_overfill_a_cohort():
    require_postgres()
    _project, _partner, programme = build_programme()
    coordinator = programme.staff.get(role="coordinator").user
    cohort = services.cohort_create(
        programme=programme,
        user=coordinator,
        name="Tiny",
        starts_on=day(1),
        ends_on=day(20),
        capacity=2,
        language="es",
    )
    pending = []
    for n in range(4):
        enrolment = learner(programme, coordinator, cohort=cohort, alias=f"L{n}").enrolments.get()
        pending.append(
            services.enrolment_set_status(
                enrolment=enrolment, user=coordinator, status="interviewed"
            )
        )

    def work(index):
        return services.enrolment_set_status(
            enrolment=pending[index], user=coordinator, status="enrolled"
        )

    results, errors = race(work, 4)
    assert len(results) == 2
    assert len(errors) == 2 and all(isinstance(e, ValidationError) for e in errors), errors
    assert Enrolment.objects.filter(cohort=cohort, status="enrolled").count() == 2
