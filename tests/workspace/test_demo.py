"""workspace/demo.py: work in the digital skills workspace, safe to run twice."""

import io

import pytest
from django.core.management.base import BaseCommand

from core.demo import DemoContext
from home import demo as home_demo
from partners import demo as partners_demo
from projects import demo as projects_demo
from workspace import demo
from workspace.models import Meeting, Milestone, ProjectUpdate, Task

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_seed_builds_workspace_work_and_is_idempotent(client):
    ctx = DemoContext(command=BaseCommand(stdout=io.StringIO()))
    home_demo.seed(ctx)
    partners_demo.seed(ctx)
    projects_demo.seed(ctx)
    demo.seed(ctx)
    counts = [m.objects.count() for m in (Milestone, Task, Meeting, ProjectUpdate)]
    assert counts == [1, 3, 1, 1]
    assert Task.objects.filter(assignees=ctx.users["member"]).count() == 2
    demo.seed(ctx)
    assert [m.objects.count() for m in (Milestone, Task, Meeting, ProjectUpdate)] == counts
    client.force_login(ctx.users["member"])
    assert "Recruit ten volunteer mentors" in client.get("/portal/").content.decode()
