"""Coordinators keep their project's details up to date from the workspace (a page revision)."""

import pytest
from django.test import Client
from wagtail.models import PageLogEntry

from core.pagecache import HEADER
from notifications.models import Notification
from projects.models import ProjectPage
from projects.services import project_details_update
from taxonomy.models import Sector, SustainableDevelopmentGoal

pytestmark = pytest.mark.django_db


def edit_url(project):
    return f"/portal/projects/{project.pk}/edit/"


def _sector():
    return Sector.objects.get_or_create(slug="education", defaults={"name": "Education"})[0]


def edit_data(project, **overrides):
    data = {
        "summary": "Young people learn to code in libraries.",
        "description": "Weekly workshops.\n\nFor people aged 16 to 25.",
        "status": "active",
        "sdgs": [SustainableDevelopmentGoal.objects.get(number=n).pk for n in (4, 10)],
        "sectors": [_sector().pk],
        "start_date": "2027-01-10",
        "end_date": "2027-06-30",
        "needs": "mentoring, laptops",
    }
    data.update(overrides)
    return data


def snapshot(project):
    project = ProjectPage.objects.get(pk=project.pk)
    return (
        project.status,
        project.summary,
        project.start_date,
        project.end_date,
        sorted(t.name for t in project.needs.all()),
        project.revisions.count(),
    )


def test_coordinator_sees_the_form_filled_in_permitted(client, world):
    client.force_login(world.coordinator)
    workspace = client.get(f"/portal/projects/{world.project.pk}/").content.decode()
    assert workspace.count(f'href="{edit_url(world.project)}"') >= 2  # header and needs
    response = client.get(edit_url(world.project))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["status"].value() == world.project.status
    assert form["summary"].value() == world.project.summary


def test_coordinator_edit_publishes_a_revision_permitted(client, world):
    client.force_login(world.coordinator)
    revisions = world.project.revisions.count()
    response = client.post(edit_url(world.project), edit_data(world.project))
    assert response.status_code == 302
    assert response["Location"] == f"/portal/projects/{world.project.pk}/"
    project = ProjectPage.objects.get(pk=world.project.pk)
    assert project.live and not project.has_unpublished_changes
    assert project.status == "active"
    assert project.summary == "Young people learn to code in libraries."
    assert str(project.start_date) == "2027-01-10" and str(project.end_date) == "2027-06-30"
    assert sorted(t.name for t in project.needs.all()) == ["laptops", "mentoring"]
    assert sorted(s.number for s in project.sdgs.all()) == [4, 10]
    assert list(project.sectors.all()) == [_sector()]
    assert "For people aged 16 to 25." in "".join(str(b) for b in project.body)
    # Editors see who changed what in the page's history, and can revert it.
    assert project.revisions.count() == revisions + 1
    assert project.latest_revision.user == world.coordinator
    assert PageLogEntry.objects.filter(
        page=project, action="wagtail.publish", user=world.coordinator
    ).exists()


def test_a_status_change_tells_the_rest_of_the_team(client, world):
    client.force_login(world.coordinator)
    client.post(edit_url(world.project), edit_data(world.project, status="completed"))
    told = Notification.objects.filter(kind="projects.status_changed")
    assert [n.user for n in told] == [world.partner_member]
    assert "is now completed" in told[0].title
    assert "from Idea to Completed" in told[0].body or "to Completed" in told[0].body


def test_no_status_change_tells_no_one(client, world):
    client.force_login(world.coordinator)
    status = ProjectPage.objects.get(pk=world.project.pk).status
    client.post(edit_url(world.project), edit_data(world.project, status=status))
    assert not Notification.objects.filter(kind="projects.status_changed").exists()


def test_visitors_see_the_change_at_once(client, world):
    url = ProjectPage.objects.get(pk=world.project.pk).url
    Client().get(url)
    assert Client().get(url)[HEADER] == "hit"
    client.force_login(world.coordinator)
    client.post(edit_url(world.project), edit_data(world.project, summary="Brand new summary."))
    response = Client().get(url)
    assert response[HEADER] == "miss"
    assert "Brand new summary." in response.content.decode()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", "login"),
        ("partner_member", 403),  # on the team, not a coordinator
        ("lead_admin", 403),
        ("other_admin", 403),
        ("no_org", 403),
        ("editor", 403),  # editors change projects in the admin
    ],
)
def test_others_cannot_edit_the_project_denied(client, world, who, expected):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    if who == "partner_member":
        workspace = client.get(f"/portal/projects/{world.project.pk}/").content.decode()
        assert edit_url(world.project) not in workspace
    before = snapshot(world.project)
    for response in (
        client.get(edit_url(world.project)),
        client.post(edit_url(world.project), edit_data(world.project)),
    ):
        if expected == "login":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == expected
    assert snapshot(world.project) == before


def test_outsiders_do_not_learn_a_draft_exists_denied(client, world):
    client.force_login(world.other_admin)
    before = snapshot(world.draft)
    assert client.post(edit_url(world.draft), edit_data(world.draft)).status_code == 404
    assert snapshot(world.draft) == before


def test_the_service_refuses_a_non_coordinator_denied(world):
    from django.core.exceptions import PermissionDenied

    before = snapshot(world.project)
    with pytest.raises(PermissionDenied):
        project_details_update(project=world.project, user=world.partner_member, status="active")
    assert snapshot(world.project) == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"start_date": "2027-05-01", "end_date": "2027-04-30"},
            "The end date cannot be before the start date.",
        ),
        ({"status": "dreaming"}, "Select a valid choice."),
        ({"summary": ""}, "This field is required."),
        ({"needs": ", ".join(f"need {n}" for n in range(31))}, "Name at most 30 needs."),
        ({"summary": "Two\x1b[31m lines"}, "control"),
    ],
)
def test_bad_input_changes_nothing(client, world, overrides, message):
    client.force_login(world.coordinator)
    before = snapshot(world.project)
    response = client.post(edit_url(world.project), edit_data(world.project, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot(world.project) == before
    assert not Notification.objects.filter(kind="projects.status_changed").exists()


def test_a_draft_keeps_the_change_for_the_editors(client, world):
    client.force_login(world.coordinator)
    response = client.post(edit_url(world.draft), edit_data(world.draft, summary="Reworded."))
    assert response.status_code == 302
    draft = ProjectPage.objects.get(pk=world.draft.pk)
    assert not draft.live
    assert draft.get_latest_revision_as_object().summary == "Reworded."
    assert draft.latest_revision.user == world.coordinator
    assert draft.current_workflow_state is not None  # still in the editors' review
    assert "editors will review" in " ".join(
        str(m) for m in client.get(f"/portal/projects/{draft.pk}/").context["messages"]
    )


def test_an_unchanged_description_keeps_its_formatting(world):
    from wagtail.rich_text import RichText

    page = ProjectPage.objects.get(pk=world.project.pk)
    page.body = [("paragraph", RichText("<p>Plain words.</p>"))]
    page.save_revision().publish()
    from projects.forms import ProjectEditForm

    form = ProjectEditForm(
        edit_data(page, description="Plain words."), project=page.get_latest_revision_as_object()
    )
    assert form.is_valid(), form.errors
    assert "body" not in form.service_kwargs()
    changed = ProjectEditForm(
        edit_data(page, description="Other words."), project=page.get_latest_revision_as_object()
    )
    assert changed.is_valid()
    assert "body" in changed.service_kwargs()


def test_a_rich_description_is_left_to_the_editors(client, world):
    from wagtail.rich_text import RichText

    page = ProjectPage.objects.get(pk=world.project.pk)
    page.body = [("paragraph", RichText('<p>See <a href="https://example.org">this</a>.</p>'))]
    page.save_revision().publish()
    client.force_login(world.coordinator)
    response = client.get(edit_url(page))
    assert "description" not in response.context["form"].fields
    assert "ask the cluster's editors" in response.content.decode()
    client.post(edit_url(page), edit_data(page, description="Flattened."))
    body = "".join(str(b) for b in ProjectPage.objects.get(pk=page.pk).body)
    assert "https://example.org" in body and "Flattened." not in body


def test_saving_the_form_unchanged_keeps_the_needs(client, world):
    project = ProjectPage.objects.get(pk=world.project.pk)
    project.needs.set(["meeting rooms", "laptops"])
    project.save_revision().publish()
    client.force_login(world.coordinator)
    form = client.get(edit_url(project)).context["form"]
    data = edit_data(project, needs=form["needs"].value())
    client.post(edit_url(project), data)
    project = ProjectPage.objects.get(pk=project.pk)
    assert sorted(t.name for t in project.needs.all()) == ["laptops", "meeting rooms"]
