"""Site-wide roles that are not tied to one object: the one definition of "editor".

The cluster's editors are the members of Wagtail's "Moderators" group (the group that owns the
review workflow's task; ``home.permissions.editors_group_sync`` gives it its admin permissions)
and superusers. Wagtail's stock "Editors" group is not the cluster's editors: it may reach the
admin but neither moderates nor sees drafts in the portal.
"""

EDITORS_GROUP = "Moderators"


def is_editor(user):
    """A cluster editor: a member of the editors' group, or a superuser."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_cluster_is_editor", None)
    if cached is None:
        cached = user.groups.filter(name=EDITORS_GROUP).exists()
        user._cluster_is_editor = cached
    return cached
