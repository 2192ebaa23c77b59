"""training/demo.py: one programme with two cohorts, attendance, a mentor, certificates and
accepted outcomes."""

import io

import pytest
from django.core.management.base import BaseCommand

from core.demo import DemoContext
from home import demo as home_demo
from partners import demo as partners_demo
from projects import demo as projects_demo
from training import demo
from training.models import (
    Attendance,
    Certificate,
    Cohort,
    CohortOutcome,
    FollowUp,
    Mentorship,
    Programme,
    SkillLevel,
)

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_seed_builds_a_programme_and_is_idempotent():
    ctx = DemoContext(command=BaseCommand(stdout=io.StringIO()))
    home_demo.seed(ctx)
    partners_demo.seed(ctx)
    projects_demo.seed(ctx)
    demo.seed(ctx)
    counts = (
        Programme.objects.count(),
        Cohort.objects.count(),
        Attendance.objects.count(),
        Mentorship.objects.count(),
        Certificate.objects.count(),
    )
    assert counts[:2] == (1, 2) and counts[2] > 5 and counts[3:] == (1, 2)
    # Outcomes: levels rose for both who completed, one works and one studies, all accepted.
    assert SkillLevel.objects.filter(after__gt=0).count() == 4
    assert sorted(FollowUp.objects.values_list("situation", flat=True)) == ["studying", "working"]
    accepted = dict(CohortOutcome.objects.values_list("kind", "quantity"))
    assert accepted == {"completed": 2, "skills": 2, "working": 1, "studying": 1}
    demo.seed(ctx)
    assert Programme.objects.count() == 1
