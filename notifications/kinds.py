"""What kinds of notification there are: each app names its own, namespaced by the app.

An app keeps its kinds as constants in its ``notification_kinds.py`` (``partners.invitation_
accepted``, ``projects.invitation``, ``chat.mention``…) and declares them with the Wagtail hook
``register_notification_kinds``: a function returning ``{kind: label}``. This app knows no app;
it asks the hook, so the notification list can name every kind, and ``notification_create``
refuses a kind nobody declared (a typo would otherwise write rows no screen ever shows).
"""

from wagtail import hooks

HOOK = "register_notification_kinds"


def notification_kinds():
    """``{kind: label}`` of every kind the apps declared."""
    kinds = {}
    for declare in hooks.get_hooks(HOOK):
        kinds.update(declare())
    return kinds


def kind_check(kind):
    """Refuse a kind that is not ``app.name`` or that no app declared."""
    app, dot, name = kind.partition(".")
    if not (app and dot and name):
        raise ValueError(f"notification kind {kind!r} is not namespaced as 'app.name'")
    if kind not in notification_kinds():
        raise ValueError(f"notification kind {kind!r} is not declared with the {HOOK} hook")
