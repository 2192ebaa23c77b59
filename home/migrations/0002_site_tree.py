"""The site tree every installation starts with: home, /projects/ and /partners/."""

from django.db import migrations


def create_site_tree(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("home", "HomePage")
    PartnerIndexPage = apps.get_model("partners", "PartnerIndexPage")
    ProjectIndexPage = apps.get_model("projects", "ProjectIndexPage")

    if HomePage.objects.exists():
        return
    locale, _ = Locale.objects.get_or_create(language_code="en")
    # Wagtail's initial migration makes a placeholder "Welcome" page at /: replace it.
    Page.objects.filter(depth=2, slug="home").delete()

    def ctype(model):
        return ContentType.objects.get_or_create(
            app_label=model._meta.app_label, model=model._meta.model_name
        )[0]

    home = HomePage.objects.create(
        title="Social Cluster",
        draft_title="Social Cluster",
        slug="home",
        content_type=ctype(HomePage),
        path="00010001",
        depth=2,
        numchild=2,
        url_path="/home/",
        locale=locale,
        live=True,
        intro="<p>NGOs, foundations, cooperatives, companies, universities and public bodies "
        "running innovative social projects together.</p>",
    )
    PartnerIndexPage.objects.create(
        title="Partners",
        draft_title="Partners",
        slug="partners",
        content_type=ctype(PartnerIndexPage),
        path="000100010001",
        depth=3,
        numchild=0,
        url_path="/home/partners/",
        locale=locale,
        live=True,
    )
    ProjectIndexPage.objects.create(
        title="Projects",
        draft_title="Projects",
        slug="projects",
        content_type=ctype(ProjectIndexPage),
        path="000100010002",
        depth=3,
        numchild=0,
        url_path="/home/projects/",
        locale=locale,
        live=True,
    )
    root = Page.objects.get(depth=1)
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost",
        port=80,
        root_page_id=home.id,
        is_default_site=True,
        site_name="Social Cluster",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("partners", "0001_initial"),
        ("projects", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_site_tree, migrations.RunPython.noop)]
