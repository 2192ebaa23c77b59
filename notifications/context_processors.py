"""``unread_notifications_count`` for every template: the signed-in person's unread
notifications. Counted only when a template uses it (one query), never for a visitor."""

from django.utils.functional import SimpleLazyObject, new_method_proxy

from .selectors import notification_unread_count


class LazyCount(SimpleLazyObject):
    """A number computed on first use, then kept (also usable where an int is needed:
    ``{% blocktranslate count %}``, ``int()``)."""

    __int__ = new_method_proxy(int)
    __index__ = new_method_proxy(int)


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications_count": 0}
    return {"unread_notifications_count": LazyCount(lambda: notification_unread_count(user=user))}
