"""Site-wide roles that are not tied to one object."""

EDITOR_GROUPS = ("Moderators", "Editors")


def is_editor(user):
    """Wagtail editors: members of the Moderators or Editors group, and superusers."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_cluster_is_editor", None)
    if cached is None:
        cached = user.groups.filter(name__in=EDITOR_GROUPS).exists()
        user._cluster_is_editor = cached
    return cached
