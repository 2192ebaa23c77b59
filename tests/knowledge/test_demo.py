"""knowledge/demo.py: three communities with real-looking content, safe to run twice."""

import io

import pytest
from django.core.management.base import BaseCommand

from core.demo import DemoContext
from home import demo as home_demo
from knowledge import demo
from knowledge.models import Community, KnowledgeItemPage, Question, Session
from partners import demo as partners_demo
from projects import demo as projects_demo

pytestmark = pytest.mark.django_db


def _context():
    ctx = DemoContext(command=BaseCommand(stdout=io.StringIO()))
    home_demo.seed(ctx)
    partners_demo.seed(ctx)
    projects_demo.seed(ctx)
    return ctx


def _counts():
    return (
        Community.objects.count(),
        Question.objects.count(),
        KnowledgeItemPage.objects.count(),
        Session.objects.count(),
    )


@pytest.mark.slow
def test_seed_builds_communities_and_is_idempotent(client):
    ctx = _context()
    demo.seed(ctx)
    assert Community.objects.count() >= 3
    assert Question.objects.exclude(accepted_answer=None).count() >= 3
    case_study = KnowledgeItemPage.objects.get(kind="case_study")
    assert case_study.live
    assert case_study.related_projects.filter(slug="digital-skills-for-young-people").exists()
    assert set(KnowledgeItemPage.objects.values_list("language", flat=True)) == {"ca", "es", "en"}
    before = _counts()
    demo.seed(_context())
    assert _counts() == before
    for prefix in ("", "/es", "/ca"):
        assert client.get(f"{prefix}/communities/").status_code == 200
        assert client.get(f"{prefix}/knowledge/").status_code == 200
