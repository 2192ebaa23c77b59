"""What kinds of notification there are: each app names its own, namespaced by the app.

An app keeps its kinds as constants in its ``notification_kinds.py`` (``partners.invitation_
accepted``, ``projects.invitation``, ``chat.mention``…) and declares them with the Wagtail hook
``register_notification_kinds``: a function returning ``{kind: label}``. This app knows no app;
it asks the hook, so the notification list can name every kind, and ``notification_create``
refuses a kind nobody declared (a typo would otherwise write rows no screen ever shows).
"""

from wagtail import hooks

from .models import Channel

HOOK = "register_notification_kinds"

# A kind is e-mailed at once by default when its name says it is an invitation, a request
# waiting for the person's answer, a decision (approved, rejected, accepted, declined) or a
# mention of them; every other kind goes to the daily digest. A person changes either on
# their preferences page.
AT_ONCE_WORDS = (
    "invitation",
    "request",
    "approved",
    "rejected",
    "accepted",
    "declined",
    "mention",
)


def kind_default(kind):
    """The channel of ``kind`` for a person who never chose one."""
    name = kind.partition(".")[2]
    return Channel.EMAIL if any(word in name for word in AT_ONCE_WORDS) else Channel.DIGEST


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
