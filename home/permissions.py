"""What the cluster's editors (Wagtail's "Moderators" group) may do in the admin.

They moderate (the "Cluster review" workflow's task belongs to this group), publish and revert
pages under the home page, curate images, documents, taxonomies, promoted search results and
the impact proxy library, and nothing more: no users, groups, sites, workflows or settings,
no deleting pages.
``editors_group_sync`` sets exactly this set; it is run by a data migration, by ``seed_demo``
and by the tests' base content, so all three agree.
"""

from django.apps import apps as global_apps

from core.roles import EDITORS_GROUP

# Page permissions, granted on the home page and its translations (so on every page of the site
# in every language, not the tree root).
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")

# (app_label, model, codename) granted on the root collection.
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "change_image"),
    ("wagtailimages", "image", "choose_image"),
    ("wagtaildocs", "document", "add_document"),
    ("wagtaildocs", "document", "change_document"),
    ("wagtaildocs", "document", "choose_document"),
)

# (app_label, model, codename) granted globally.
MODEL_PERMISSIONS = (
    ("wagtailadmin", "admin", "access_admin"),
    ("taxonomy", "sector", "add_sector"),
    ("taxonomy", "sector", "change_sector"),
    ("taxonomy", "region", "add_region"),
    ("taxonomy", "region", "change_region"),
    ("taxonomy", "sustainabledevelopmentgoal", "change_sustainabledevelopmentgoal"),
    ("taggit", "tag", "add_tag"),
    ("taggit", "tag", "change_tag"),
    # Merging duplicate tags deletes the duplicates.
    ("taggit", "tag", "delete_tag"),
    # The tags' Spanish and Catalan names (Taxonomies → "Tag names in Spanish and Catalan").
    ("taxonomy", "tagtranslation", "add_tagtranslation"),
    ("taxonomy", "tagtranslation", "change_tagtranslation"),
    # The capability profiles' services, target groups, languages and quality labels: add,
    # rename, translate, order and retire; delete only one no organization has.
    ("partners", "capabilityterm", "add_capabilityterm"),
    ("partners", "capabilityterm", "change_capabilityterm"),
    ("partners", "capabilityterm", "delete_capabilityterm"),
    ("wagtailsearchpromotions", "searchpromotion", "add_searchpromotion"),
    ("wagtailsearchpromotions", "searchpromotion", "change_searchpromotion"),
    ("wagtailsearchpromotions", "searchpromotion", "delete_searchpromotion"),
    # The shared library of financial proxies for impact (SROI) reports.
    ("impact", "financialproxy", "add_financialproxy"),
    ("impact", "financialproxy", "change_financialproxy"),
    # The price indices that bring proxies to the prices of a map's first year.
    ("impact", "priceindex", "add_priceindex"),
    ("impact", "priceindex", "change_priceindex"),
    # Opportunities: funding calls, the review of partner-search posts, events and their slots.
    # Shared resources: editors curate listings (status, expiry) and look at bookings.
    ("resources", "listing", "view_listing"),
    ("resources", "listing", "change_listing"),
    ("resources", "booking", "view_booking"),
    ("opportunities", "fundingcall", "add_fundingcall"),
    ("opportunities", "fundingcall", "change_fundingcall"),
    ("opportunities", "partnersearch", "change_partnersearch"),
    ("opportunities", "event", "add_event"),
    ("opportunities", "event", "change_event"),
    # Translate pages into the other content languages (wagtail.contrib.simple_translation).
    ("simple_translation", "simpletranslation", "submit_translation"),
)

_VERBS = {"add": "Can add", "change": "Can change", "delete": "Can delete", "view": "Can view"}


def _permission(apps, app_label, model, codename):
    """The permission row, made if a fresh database has not had post_migrate create it yet."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    verb = codename.split("_", 1)[0]
    name = f"{_VERBS.get(verb, codename)} {model}" if verb in _VERBS else codename
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def editors_group_sync(apps=global_apps):
    """Give the editors' group exactly the permissions above (idempotent).

    ``apps`` is the migration's historical registry inside a migration, the real one elsewhere.
    Returns the group, or None before the site tree exists.
    """
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    # The home page and its translations (each locale's tree has its own home page).
    homes = list(Page.objects.filter(depth=2).order_by("path"))
    if not homes:
        return None
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)

    group.permissions.set([_permission(apps, *spec) for spec in MODEL_PERMISSIONS])

    page_permissions = [
        _permission(apps, "wagtailcore", "page", codename) for codename in PAGE_PERMISSIONS
    ]
    GroupPagePermission.objects.filter(group=group).exclude(
        page__in=homes, permission__in=page_permissions
    ).delete()
    for home in homes:
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=permission
            )

    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        collection_permissions = [_permission(apps, *spec) for spec in COLLECTION_PERMISSIONS]
        GroupCollectionPermission.objects.filter(group=group).exclude(
            collection=root_collection, permission__in=collection_permissions
        ).delete()
        for permission in collection_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
    return group
