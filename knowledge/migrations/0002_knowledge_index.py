"""The knowledge base at /knowledge/ exists from the start, under the default site's home page.

Before, it was made by the first proposal or the demo, so /knowledge/ answered 404 on a new
installation and the search's knowledge filter had nothing to point at.
"""

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def _next_step(last):
    """Treebeard's next path step after ``last`` (base 36, four characters)."""
    number = 0
    for char in last:
        number = number * 36 + ALPHABET.index(char)
    number += 1
    step = ""
    for _ in range(STEPLEN):
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return step


def create_knowledge_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    KnowledgeIndexPage = apps.get_model("knowledge", "KnowledgeIndexPage")

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None or KnowledgeIndexPage.objects.filter(locale=site.root_page.locale).exists():
        return
    home = site.root_page
    children = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
    if children.filter(slug="knowledge").exists():
        return
    last = children.order_by("-path").values_list("path", flat=True).first()
    step = _next_step(last[-STEPLEN:]) if last else "0001"
    content_type, _ = ContentType.objects.get_or_create(
        app_label="knowledge", model="knowledgeindexpage"
    )
    KnowledgeIndexPage.objects.create(
        title="Knowledge",
        draft_title="Knowledge",
        slug="knowledge",
        content_type=content_type,
        path=home.path + step,
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}knowledge/",
        locale_id=home.locale_id,
        live=True,
        intro="",
    )
    Page.objects.filter(pk=home.pk).update(numchild=children.count())


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_initial"),
        ("home", "0006_locales"),
    ]
    operations = [migrations.RunPython(create_knowledge_index, migrations.RunPython.noop)]
