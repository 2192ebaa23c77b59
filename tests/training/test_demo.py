"""training/demo.py: one programme with two cohorts, attendance, a mentor and certificates."""

import io

import pytest
from django.core.management.base import BaseCommand

from core.demo import DemoContext
from home import demo as home_demo
from partners import demo as partners_demo
from projects import demo as projects_demo
from training import demo
from training.models import Attendance, Certificate, Cohort, Mentorship, Programme

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
    demo.seed(ctx)
    assert Programme.objects.count() == 1
