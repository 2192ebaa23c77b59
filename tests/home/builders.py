"""Published content for the editors' tests, built through the services (and Wagtail's API)."""

from django.utils.text import slugify

from home.models import HomePage, StandardPage
from partners.services import membership_add
from projects.services import project_approve, project_propose
from tests.factories import UserFactory
from tests.utils import approved_organization, editor


def published_projects(count, *, lead=None, coordinator=None, title="Project", **fields):
    """``count`` approved projects led by one organization (made if not given)."""
    coordinator = coordinator or UserFactory()
    if lead is None:
        lead = approved_organization(admin=coordinator)
    else:
        membership_add(organization=lead, user=coordinator, role="admin")
    reviewer = editor()
    projects = []
    for n in range(count):
        name = title if count == 1 else f"{title} {n + 1}"
        project = project_propose(user=coordinator, lead_organization=lead, title=name, **fields)
        projects.append(project_approve(project=project, user=reviewer))
    return projects


def standard_page(title, *, intro="", body=None, parent=None, publish=True):
    parent = parent or HomePage.objects.get()
    page = parent.add_child(instance=StandardPage(title=title, intro=intro, body=body or []))
    revision = page.save_revision(user=editor())
    if publish:
        revision.publish()
    else:
        page.unpublish()
    page.refresh_from_db()
    return page


def many_published_projects(count, *, lead, title="Project", sdgs=(), **fields):
    """``count`` live projects added straight to the tree, for query-count tests.

    The services path (propose, review, publish) costs ~300 queries a project; the volume tests
    only need published rows, and the other tests cover the services.
    """
    from django.utils import timezone

    from projects.models import ProjectIndexPage, ProjectPage

    index = ProjectIndexPage.objects.get()
    now = timezone.now()
    projects = []
    for n in range(count):
        project = ProjectPage(
            title=f"{title} {n + 1}",
            slug=f"{slugify(title)}-{n + 1}",
            live=True,
            first_published_at=now,
            last_published_at=now,
            lead_organization=lead,
            **fields,
        )
        project.sdgs.set(list(sdgs))
        projects.append(index.add_child(instance=project))
    return projects


def many_published_partners(count, *, title="Partner", **fields):
    """``count`` live partner pages added straight to the tree (see above)."""
    from django.utils import timezone

    from partners.models import PartnerIndexPage, PartnerPage

    index = PartnerIndexPage.objects.get()
    now = timezone.now()
    return [
        index.add_child(
            instance=PartnerPage(
                title=f"{title} {n + 1}",
                slug=f"{slugify(title)}-{n + 1}",
                live=True,
                first_published_at=now,
                last_published_at=now,
                **fields,
            )
        )
        for n in range(count)
    ]
