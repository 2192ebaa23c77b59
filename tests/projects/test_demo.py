"""projects/demo.py: the demo cluster's projects, alone or after partners' demo, twice."""

import io

import pytest
from django.core.management.base import BaseCommand

from core.demo import DemoContext
from home import demo as home_demo
from partners.models import Membership, PartnerPage
from projects import demo
from projects.models import Participation, ProjectPage, TeamMembership
from projects.selectors import can_coordinate, can_enter_workspace
from tests.utils import approved_organization, organization_with_member

pytestmark = pytest.mark.django_db


def context():
    command = BaseCommand(stdout=io.StringIO())
    ctx = DemoContext(command=command)
    home_demo.seed(ctx)
    return ctx


def counts():
    return (
        ProjectPage.objects.count(),
        Participation.objects.count(),
        TeamMembership.objects.count(),
        PartnerPage.objects.count(),
        Membership.objects.count(),
    )


def check_digital_skills(ctx):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    project = ProjectPage.objects.get(slug="digital-skills-for-young-people")
    assert ctx.projects["digital-skills"].pk == project.pk
    assert project.live and project.title == "Digital skills for young people"
    coordinator, member, outsider = (
        User.objects.get(username=name) for name in ("coordinator", "member", "outsider")
    )
    assert can_coordinate(coordinator, project)
    assert can_enter_workspace(member, project)
    assert not can_coordinate(member, project)
    assert not can_enter_workspace(outsider, project)
    outsider_orgs = Membership.objects.filter(user=outsider).values("organization_id")
    assert not Participation.objects.filter(
        project=project, organization_id__in=outsider_orgs
    ).exists()
    lead_admins = Membership.objects.filter(
        organization=project.lead_organization, role="admin"
    ).values_list("user__username", flat=True)
    assert "coordinator" in lead_admins
    partner = TeamMembership.objects.get(project=project, user=member).organization
    assert Participation.objects.get(project=project, organization=partner).status == "active"
    assert Membership.objects.filter(user=outsider, role="admin").exists()


def test_seed_alone_builds_every_status_and_is_idempotent():
    ctx = context()
    demo.seed(ctx)
    check_digital_skills(ctx)
    statuses = set(ProjectPage.objects.live().values_list("status", flat=True))
    assert statuses == {"idea", "forming", "active", "completed", "cancelled"}
    assert ProjectPage.objects.filter(live=False).exists()  # one awaiting review
    assert ctx.projects["awaiting-review"].current_workflow_state.status == "in_progress"
    assert Participation.objects.filter(status="invited").exists()
    assert Participation.objects.filter(status="requested").exists()
    for key in ("lead", "partner", "outsider"):
        assert ProjectPage.objects.filter(lead_organization=ctx.organizations[key]).exists()
    before = counts()
    again = context()
    demo.seed(again)
    assert counts() == before
    check_digital_skills(again)


def test_seed_uses_the_organizations_partners_demo_made():
    ctx = context()
    users = ctx.users
    lead = approved_organization(admin=users["coordinator"], title="Partners' lead")
    partner, _ = organization_with_member(member=users["member"], title="Partners' partner")
    outsider = approved_organization(admin=users["outsider"], title="Partners' outsider")
    ctx.organizations.update({"lead": lead, "partner": partner, "outsider": outsider})
    demo.seed(ctx)
    check_digital_skills(ctx)
    assert ProjectPage.objects.get(slug="digital-skills-for-young-people").lead_organization == (
        lead
    )
    fallback_slugs = [row[2] for row in demo.FALLBACK_ORGANIZATIONS]
    assert not PartnerPage.objects.filter(slug__in=fallback_slugs).exists()


def test_every_demo_project_speaks_spanish_and_catalan():
    demo.seed(context())
    projects = list(ProjectPage.objects.all())
    translated = [
        p
        for p in projects
        if all((p.text_translations.get(code) or {}).get("summary") for code in ("es", "ca"))
    ]
    assert len(projects) == 6 and translated == projects


def test_every_demo_project_is_described_in_three_languages(client):
    demo.seed(context())
    for project in ProjectPage.objects.all():
        assert project.body and "<p>" in str(project.body)
        for code in ("es", "ca"):
            description = project.text_translations[code]["description"]
            assert (
                len(description) > 100
                and description != project.text_translations[code]["summary"]
            )
    project = ProjectPage.objects.get(slug=demo.DIGITAL_SKILLS_SLUG)
    html = client.get(f"/ca{project.url}").content.decode()
    assert "Mentors voluntaris de la universitat" in html
