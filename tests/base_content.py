"""What the data migrations create, made again after a transactional test flushed it."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from home.models import HomePage
from knowledge.models import KnowledgeIndexPage
from partners.models import PartnerIndexPage
from projects.models import ProjectIndexPage
from taxonomy.models import SustainableDevelopmentGoal
from taxonomy.sdg_data import SDGS


def ensure_base_content():
    if HomePage.objects.exists() and SustainableDevelopmentGoal.objects.exists():
        return
    for number, en, es, ca, colour in SDGS:
        SustainableDevelopmentGoal.objects.get_or_create(
            number=number, defaults={"name_en": en, "name_es": es, "name_ca": ca, "colour": colour}
        )
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.objects.filter(depth=1).first()
    if root is None:
        root = Page.add_root(
            instance=Page(
                title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)
            )
        )
    home = HomePage.objects.first()
    if home is None:
        for child in root.get_children():
            child.delete()
        root.refresh_from_db()
        home = root.add_child(instance=HomePage(title="Social Cluster", slug="home"))
    partners = PartnerIndexPage.objects.first() or home.add_child(
        instance=PartnerIndexPage(title="Partners", slug="partners")
    )
    projects = ProjectIndexPage.objects.first() or home.add_child(
        instance=ProjectIndexPage(title="Projects", slug="projects")
    )
    if not KnowledgeIndexPage.objects.exists():
        home.add_child(instance=KnowledgeIndexPage(title="Knowledge", slug="knowledge"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={
            "hostname": "localhost",
            "port": 80,
            "root_page": home,
            "site_name": "Social Cluster",
        },
    )
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    # What Wagtail's own data migrations give Moderators: admin access, and add, edit,
    # publish, lock and unlock on the whole tree (approving a workflow publishes as them).
    moderators.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
        GroupPagePermission.objects.get_or_create(
            group=moderators,
            page=root,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    workflow, _ = Workflow.objects.get_or_create(name="Cluster review")
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task = GroupApprovalTask.objects.create(name="Cluster editors' approval")
        task.groups.add(moderators)
        # Not workflow.workflow_tasks.create(): that modelcluster relation only saves with
        # the workflow, so the workflow would have no task and approve everything at once.
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for page in (partners, projects):
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    # Then narrow them to what home's data migration gives the editors' group.
    from home.permissions import editors_group_sync

    editors_group_sync()
