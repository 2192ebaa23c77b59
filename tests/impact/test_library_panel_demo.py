"""The shared proxy library in the Wagtail admin, the workspace panel, and the demo data."""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from wagtail import hooks

from impact import demo, services
from impact.models import FinancialProxy, ImpactMap, Outcome, Stakeholder
from impact.wagtail_hooks import FinancialProxyViewSet, workspace_panel
from tests.factories import UserFactory
from tests.impact.helpers import build_map
from tests.utils import approved_project

pytestmark = pytest.mark.django_db


def use_proxy(impact_map, user, proxy, n=1):
    stakeholder = impact_map.stakeholders.first()
    services.impact_rows_save(
        impact_map=impact_map,
        user=user,
        rows=[
            Outcome(
                stakeholder=stakeholder,
                description=f"Uses the library {i}",
                indicator="x",
                quantity=Decimal(1),
                shared_proxy=proxy,
                proxy_value=None,
            )
            for i in range(n)
        ],
    )


def test_library_counts_the_projects_using_each_proxy(client, team, proxy):
    unused = FinancialProxy.objects.create(
        outcome="Unused", indicator="-", value=Decimal(1), currency="EUR", year=2020, source="s"
    )
    use_proxy(build_map(team.project, team.coordinator, outcomes=0), team.coordinator, proxy, 2)
    other_coordinator = UserFactory()
    other = approved_project(coordinator=other_coordinator, title="Other project")
    use_proxy(build_map(other, other_coordinator, outcomes=0), other_coordinator, proxy)
    # The same project's second map does not count twice.
    evaluation = build_map(team.project, team.coordinator, outcomes=0, kind="evaluative")
    use_proxy(evaluation, team.coordinator, proxy)

    counts = {p.pk: p.project_count for p in FinancialProxyViewSet().get_queryset(request=None)}
    assert counts == {proxy.pk: 2, unused.pk: 0}

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/admin/snippets/impact/financialproxy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Used in projects" in html
    assert proxy.outcome in html and "Unused" in html


def test_editors_add_a_proxy_in_the_admin(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        "/admin/snippets/impact/financialproxy/add/",
        {
            "outcome": "Less isolation",
            "indicator": "Sees friends weekly",
            "value": "600.00",
            "currency": "EUR",
            "year": "2024",
            "source": "A survey",
            "source_url": "",
        },
    )
    assert response.status_code == 302
    assert FinancialProxy.objects.get().value == Decimal(600)


def render_panel(user, project):
    request = RequestFactory().get("/portal/projects/")
    request.user = user
    return workspace_panel(request, project)


def test_workspace_panel_is_registered_and_shows_by_role(team):
    assert workspace_panel in hooks.get_hooks("project_workspace_panels")
    build_map(team.project, team.coordinator, publish=True)

    html = render_panel(team.coordinator, team.project)
    assert "Edit the impact map" in html
    assert f"/portal/projects/{team.project.pk}/impact/" in html
    assert f"/impact/projects/{team.project.pk}/" in html  # the public report
    assert "ratio" in html

    assert "See the impact map" in render_panel(team.member, team.project)
    assert render_panel(team.outsider, team.project) == ""
    assert render_panel(AnonymousUser(), team.project) == ""


@dataclass
class Ctx:
    users: dict
    lines: list = field(default_factory=list)

    def log(self, text):
        self.lines.append(text)


def test_demo_skips_without_the_demo_project():
    ctx = Ctx(users={"coordinator": UserFactory()})
    demo.seed(ctx)
    assert "skipping" in ctx.lines[-1]
    assert not ImpactMap.objects.exists()
    assert FinancialProxy.objects.count() == len(demo.PROXIES)


def test_demo_builds_published_plausible_maps_and_is_idempotent(client):
    coordinator = UserFactory(username="coordinator")
    project = approved_project(coordinator=coordinator)
    assert project.slug == demo.DEMO_SLUG
    ctx = Ctx(users={"coordinator": coordinator})
    demo.seed(ctx)

    def counts():
        return [m.objects.count() for m in (ImpactMap, Stakeholder, Outcome, FinancialProxy)]

    first = counts()
    demo.seed(ctx)
    assert counts() == first
    maps = ImpactMap.objects.filter(project=project)
    assert {m.kind for m in maps} == {"forecast", "evaluative"}
    for impact_map in maps:
        assert impact_map.published
        summary = impact_map.published_report["summary"]
        assert summary["problems"] == []
        assert Decimal("1.5") < Decimal(summary["sroi_ratio"]) < Decimal(8)
        outcomes = impact_map.published_report["outcomes"]
        assert any(o["proxy"]["library_id"] for o in outcomes)
        assert all(o["proxy"]["source"] for o in outcomes)
    assert client.get(f"/impact/projects/{project.pk}/").status_code == 200
