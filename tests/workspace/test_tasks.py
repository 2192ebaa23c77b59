from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from projects.services import team_member_remove
from workspace import services
from workspace.models import Milestone, Task

ROLES = ("member", "coordinator", "partner_admin", "outsider", "editor", "superuser")
TEAM_ONLY = {
    None: "login",
    "member": 200,
    "coordinator": 200,
    "partner_admin": 404,
    "outsider": 404,
    "editor": 404,
    "superuser": 200,
}


def _outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return "login"
    return response.status_code


def _task(world, **kwargs):
    fields = {"title": "Book the room", "assignees": [world.member]}
    fields.update(kwargs)
    return services.task_create(project=world.project, user=world.coordinator, **fields)


@pytest.mark.parametrize("role", [None, *ROLES])
@pytest.mark.parametrize("name", ["portal:project_tasks", "portal:project_task_board"])
def test_task_pages_open_to_the_team_only(world, client_for, role, name):
    client = client_for(getattr(world, role) if role else None)
    assert _outcome(client.get(reverse(name, args=[world.project.pk]))) == TEAM_ONLY[role]


@pytest.mark.parametrize("role", [None, *ROLES])
def test_task_page_open_to_the_team_only(world, client_for, role):
    task = _task(world)
    client = client_for(getattr(world, role) if role else None)
    url = reverse("portal:project_task", args=[world.project.pk, task.pk])
    assert _outcome(client.get(url)) == TEAM_ONLY[role]


def test_member_adds_a_task_and_the_assignee_is_told(world, client_for):
    client = client_for(world.member)
    milestone = services.milestone_create(
        project=world.project, user=world.coordinator, title="Pilot", due_on="2027-03-01"
    )
    response = client.post(
        reverse("portal:project_task_create", args=[world.project.pk]),
        {
            "title": "Draft the survey",
            "description": "Ten questions",
            "assignees": [world.coordinator.pk],
            "due_on": "2027-02-01",
            "status": "todo",
            "milestone": milestone.pk,
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(project=world.project)
    assert list(task.assignees.all()) == [world.coordinator]
    assert task.milestone == milestone
    notification = Notification.objects.get(user=world.coordinator, kind="workspace.task_assigned")
    assert "Draft the survey" in notification.title


def test_a_task_for_someone_off_the_team_is_refused_and_nothing_stored(world, client_for):
    client = client_for(world.member)
    response = client.post(
        reverse("portal:project_task_create", args=[world.project.pk]),
        {"title": "Sneaky", "assignees": [world.outsider.pk], "status": "todo"},
    )
    assert response.status_code == 400
    assert (
        "Only people on the project&#x27;s team can be given a task." in response.content.decode()
    )
    assert not Task.objects.exists()
    with pytest.raises(ValidationError, match="not on the project"):
        _task(world, assignees=[world.partner_admin])
    assert not Task.objects.exists()


def test_task_create_denied_off_the_team(world, client_for):
    response = client_for(world.partner_admin).post(
        reverse("portal:project_task_create", args=[world.project.pk]),
        {"title": "X", "status": "todo"},
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.task_create(project=world.project, user=world.outsider, title="X")
    assert not Task.objects.exists()


def test_list_filters_by_assignee_and_status(world, client_for):
    _task(world, title="Mine")
    _task(world, title="Theirs", assignees=[world.coordinator], status="doing")
    client = client_for(world.member)
    url = reverse("portal:project_tasks", args=[world.project.pk])
    mine = client.get(url, {"assignee": world.member.pk})
    assert [t.title for t in mine.context["tasks"]] == ["Mine"]
    doing = client.get(url, {"status": "doing"})
    assert [t.title for t in doing.context["tasks"]] == ["Theirs"]


def test_board_moves_a_task_without_javascript(world, client_for):
    task = _task(world)
    client = client_for(world.member)
    board = client.get(reverse("portal:project_task_board", args=[world.project.pk]))
    assert [len(column) for _v, _l, column in board.context["columns"]] == [1, 0, 0]
    client.post(
        reverse("portal:project_task_status", args=[world.project.pk, task.pk]),
        {"status": "done"},
    )
    task.refresh_from_db()
    assert task.status == "done"


def test_status_change_denied_off_the_team(world, client_for):
    task = _task(world)
    url = reverse("portal:project_task_status", args=[world.project.pk, task.pk])
    assert client_for(world.outsider).post(url, {"status": "done"}).status_code == 404
    task.refresh_from_db()
    assert task.status == "todo"


def test_editing_a_task_tells_new_assignees_only(world, client_for):
    task = _task(world)
    client = client_for(world.member)
    client.post(
        reverse("portal:project_task", args=[world.project.pk, task.pk]),
        {
            "title": "Book the big room",
            "assignees": [world.member.pk, world.coordinator.pk],
            "status": "doing",
        },
    )
    task.refresh_from_db()
    assert task.title == "Book the big room"
    assert Notification.objects.filter(kind="workspace.task_assigned").count() == 2


def test_milestones_are_for_coordinators(world, client_for):
    url = reverse("portal:project_milestone_create", args=[world.project.pk])
    data = {"title": "Launch", "due_on": "2027-05-01"}
    assert client_for(world.member).post(url, data).status_code == 403
    assert not Milestone.objects.exists()
    assert client_for(world.outsider).post(url, data).status_code == 404
    assert client_for(world.coordinator).post(url, data).status_code == 302
    assert Milestone.objects.get().title == "Launch"


def test_overdue_tasks_reach_the_notification_centre_once(world):
    yesterday = timezone.localdate() - timedelta(days=1)
    _task(world, title="Late", due_on=yesterday)
    _task(world, title="Done late", due_on=yesterday, status="done")
    assert services.tasks_overdue_notify() == 1
    assert services.tasks_overdue_notify() == 0
    overdue = Notification.objects.filter(user=world.member, kind="workspace.task_overdue")
    assert [n.title for n in overdue] == ["Overdue: “Late”"]


def test_my_tasks_across_projects_on_the_dashboard(world, client_for):
    _task(world, title="Call the mayor")
    response = client_for(world.member).get(reverse("portal:dashboard"))
    assert "Call the mayor" in response.content.decode()


def test_leaving_the_team_ends_task_access(world, client_for):
    task = _task(world, title="Call the mayor")
    client = client_for(world.member)
    url = reverse("portal:project_task", args=[world.project.pk, task.pk])
    assert client.get(url).status_code == 200
    team_member_remove(project=world.project, user=world.member, by=world.coordinator)
    assert client.get(url).status_code == 404
    assert "Call the mayor" not in client.get(reverse("portal:dashboard")).content.decode()


@pytest.mark.parametrize("count", [3, 60])
@pytest.mark.parametrize("name", ["portal:project_tasks", "portal:project_task_board"])
def test_task_lists_queries_do_not_grow(
    world, client_for, django_assert_max_num_queries, count, name
):
    milestone = services.milestone_create(
        project=world.project, user=world.coordinator, title="M", due_on="2027-01-01"
    )
    for number in range(count):
        _task(
            world,
            title=f"Task {number}",
            assignees=[world.member, world.coordinator],
            milestone=milestone if number % 2 else None,
            status=("todo", "doing", "done")[number % 3],
        )
    client = client_for(world.member)
    with django_assert_max_num_queries(16):
        response = client.get(reverse(name, args=[world.project.pk]))
    assert response.status_code == 200
