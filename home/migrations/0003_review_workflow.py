"""The "Cluster review" workflow: Moderators approve new organizations and projects."""

from django.db import migrations


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Page = apps.get_model("wagtailcore", "Page")

    moderators, _ = Group.objects.get_or_create(name="Moderators")
    workflow, created = Workflow.objects.get_or_create(name="Cluster review")
    if created:
        task_type = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )[0]
        task = GroupApprovalTask.objects.create(
            name="Cluster editors' approval", content_type=task_type, active=True
        )
        task.groups.add(moderators)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for url_path in ("/home/partners/", "/home/projects/"):
        page = Page.objects.filter(url_path=url_path).first()
        if page:
            WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [("home", "0002_site_tree"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
