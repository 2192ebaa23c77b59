"""Demo work in the "Digital skills for young people" workspace: a milestone, three tasks
(one for ``member``), a meeting next week and one news item. Safe to run twice: nothing is
made when the milestone is already there. Files are not seeded (the media folder may be
shared); teams upload their own.

Runs after ``projects.demo``; without its project and accounts it makes nothing.
"""

import datetime

from django.utils import timezone

from . import services
from .models import Milestone

MILESTONE = "Pilot course in the first neighbourhood"


def seed(ctx):
    project = ctx.projects.get("digital-skills")
    coordinator = ctx.users.get("coordinator")
    member = ctx.users.get("member")
    if project is None or coordinator is None or member is None:
        return
    if Milestone.objects.filter(project=project, title=MILESTONE).exists():
        ctx.log("workspace: already seeded")
        return
    today = timezone.localdate()
    milestone = services.milestone_create(
        project=project, user=coordinator, title=MILESTONE, due_on=today + datetime.timedelta(60)
    )
    for title, assignees, status, days in (
        ("Book the computer room at the civic centre", [coordinator], "done", -3),
        ("Recruit ten volunteer mentors", [member], "doing", 14),
        ("Draft the attendance survey", [member, coordinator], "todo", 21),
    ):
        services.task_create(
            project=project,
            user=coordinator,
            title=title,
            assignees=assignees,
            status=status,
            due_on=today + datetime.timedelta(days),
            milestone=milestone,
        )
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(7)
    services.meeting_create(
        project=project,
        user=coordinator,
        title="Partners' monthly meeting",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1, minutes=30),
        place="Casal del barri, sala 2",
        agenda="1. Mentors recruited\n2. Survey draft\n3. Dates of the pilot course",
    )
    services.update_publish(
        project=project,
        user=coordinator,
        title="The pilot course has a room",
        body="The civic centre lends us its computer room for the first pilot course.",
        language="en",
    )
    ctx.log("workspace: a milestone, 3 tasks, a meeting and a news item")
