"""The workspace story in Chromium against a live daphne: a team member uploads a document,
adds a task and moves it to done on the board, answers a meeting; the coordinator publishes
news that visitors read on the project's page; an outsider is refused."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.e2e.pages import sign_in
from tests.workspace.builders import PDF, build_world
from workspace import services
from workspace.models import Attendance, DocumentVersion, ProjectDocument, ProjectUpdate, Task

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_team_member_works_in_the_workspace_and_an_outsider_is_refused(
    daphne_factory, new_page, tmp_path
):
    world = build_world()
    project = world.project
    starts = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    meeting = services.meeting_create(
        project=project,
        user=world.coordinator,
        title="Partners' monthly meeting",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        place="Casal del barri",
    )
    server = daphne_factory(DJANGO_MEDIA_ROOT=tmp_path / "media")
    (tmp_path / "minutes.pdf").write_bytes(PDF)

    # Marta, on the team, uploads the minutes from the documents page.
    marta = new_page()
    sign_in(marta, server, "w_member")
    marta.goto(f"{server.url}/portal/projects/{project.pk}/")
    marta.get_by_role("link", name="Documents").first.click()
    marta.wait_for_url(re.compile(rf"/portal/projects/{project.pk}/documents/$"))
    upload = marta.locator("main form[action$='/documents/upload/']")
    upload.locator("input[name=file]").set_input_files(str(tmp_path / "minutes.pdf"))
    upload.locator("input[name=title]").fill("Kick-off minutes")
    upload.locator("button[type=submit]").click()
    marta.wait_for_selector("text=“Kick-off minutes” uploaded.")
    document = ProjectDocument.objects.get(project=project)
    assert document.title == "Kick-off minutes"
    assert DocumentVersion.objects.get(document=document).uploaded_by == world.member
    file_url = marta.get_by_role("link", name="Download minutes.pdf").get_attribute("href")
    downloaded = marta.request.get(f"{server.url}{file_url}")
    assert downloaded.status == 200 and downloaded.body() == PDF

    # She adds a task for herself, then moves it to done on the board.
    marta.get_by_role("link", name="Tasks", exact=True).click()
    task_form = marta.locator("main form[action$='/tasks/new/']")
    task_form.locator("input[name=title]").fill("Book the computer room")
    task_form.get_by_label("Marta").check()
    task_form.locator("button[type=submit]").click()
    marta.wait_for_selector("text=Task “Book the computer room” added.")
    task = Task.objects.get(project=project)
    assert list(task.assignees.all()) == [world.member]
    marta.get_by_role("link", name="Board").click()
    marta.get_by_role("button", name="→ Done — Book the computer room").click()
    marta.wait_for_selector(
        "section:has(h2#column-done) article:has-text('Book the computer room')"
    )
    task.refresh_from_db()
    assert task.status == Task.Status.DONE

    # She answers the meeting: yes.
    marta.get_by_role("link", name="Meetings").click()
    marta.get_by_role("link", name="Partners' monthly meeting").click()
    marta.get_by_role("button", name="Yes").click()
    marta.wait_for_selector("button[aria-pressed=true]:has-text('Yes')")
    assert Attendance.objects.get(meeting=meeting, user=world.member).answer == "yes"

    # Her work shows to the team beside the chat.
    marta.goto(f"{server.url}/portal/projects/{project.pk}/chat/")
    marta.get_by_text("Recent team activity").click()
    marta.wait_for_selector("text=Created the task Book the computer room")

    # The coordinator publishes news; a visitor reads it on the project's public page.
    clara = new_page()
    sign_in(clara, server, "w_coordinator")
    clara.goto(f"{server.url}/portal/projects/{project.pk}/updates/")
    news = clara.locator("main form[action$='/updates/new/']")
    news.locator("input[name=title]").fill("The first cohort starts")
    news.locator("textarea[name=body]").fill("Twelve young people begin on Monday.")
    news.locator("button[type=submit]").click()
    clara.wait_for_selector("text=Update published on the project's page.")
    assert ProjectUpdate.objects.get(project=project).title == "The first cohort starts"
    visitor = new_page()
    visitor.goto(f"{server.url}{project.url}")
    visitor.wait_for_selector("text=The first cohort starts")

    # Someone of another organization is refused everything, even with the links copied.
    outsider = new_page()
    sign_in(outsider, server, "w_outsider")
    for path in (
        f"/portal/projects/{project.pk}/documents/",
        f"/portal/projects/{project.pk}/tasks/board/",
        f"/portal/projects/{project.pk}/meetings/{meeting.pk}/",
        f"/portal/projects/{project.pk}/updates/",
        file_url,
    ):
        response = outsider.goto(f"{server.url}{path}")
        assert response.status == 404, path
        assert "Kick-off minutes" not in outsider.content()
    assert not Attendance.objects.filter(user=world.outsider).exists()
