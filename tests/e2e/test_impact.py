"""The impact map in real Chromium: the library fills a proxy, publishing makes it public."""

import re

import pytest

from tests.factories import PASSWORD
from tests.impact.helpers import Team, build_map, make_proxy

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def repair_review_workflow():
    """Make what an earlier transactional test's flush took and base_content does not restore.

    tests/base_content.py adds the review task with ``workflow.workflow_tasks.create()``, which
    on a ClusterableModel is never saved, and Moderators lose the page permissions Wagtail's
    migrations gave them: without both, proposals publish at once or approval is refused.
    """
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowTask

    moderators, _ = Group.objects.get_or_create(name="Moderators")
    root = Page.objects.get(depth=1)
    for kind in ("add", "change", "publish"):
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=f"{kind}_page"
        )
        GroupPagePermission.objects.get_or_create(
            group=moderators, page=root, permission=permission
        )
    workflow = Workflow.objects.get(name="Cluster review")
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.filter(name="Cluster editors' approval").first()
        if task is None:
            task = GroupApprovalTask.objects.create(name="Cluster editors' approval")
        task.groups.add(moderators)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)


def sign_in(page, server, user):
    page.goto(f"{server.url}/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/portal/"))


def test_coordinator_uses_the_library_and_publishes(daphne_factory, page):
    repair_review_workflow()
    team, proxy = Team(), make_proxy()
    build_map(team.project, team.coordinator, outcomes=1)
    server = daphne_factory()
    sign_in(page, server, team.coordinator)
    base = f"{server.url}/portal/projects/{team.project.pk}/impact/forecast"

    page.goto(f"{base}/outcomes/")
    new = "main form fieldset.impact-row:last-of-type"
    page.select_option(f"{new} select[name$=stakeholder]", index=1)
    page.fill(f"{new} input[name$=-description]", "Finds a job")
    page.fill(f"{new} input[name$=indicator]", "In work after six months")
    page.fill(f"{new} input[name$=quantity]", "5")
    page.select_option(f"{new} select[name$=shared_proxy]", str(proxy.pk))
    # impact.js fills the proxy at once; the server would on save anyway.
    assert page.input_value(f"{new} input[name$=proxy_value]") == "9100.00"
    assert "A study" in page.input_value(f"{new} input[name$=proxy_source]")
    page.click("main form button[type=submit]:not([name])")
    page.wait_for_selector(".message.success")

    page.goto(f"{base}/")
    page.click("main form[action$='/publish/'] button")
    page.wait_for_selector(".message.success")

    page.context.clear_cookies()
    page.goto(f"{server.url}/impact/projects/{team.project.pk}/")
    assert page.locator("h1").inner_text().startswith("Social impact of")
    assert page.locator("table.impact-table th[scope=row]", has_text="Finds a job").is_visible()
    assert page.locator("svg.chart-svg").count() == 3
