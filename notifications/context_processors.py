"""``unread_notifications_count`` for every template (the header's bell): the signed-in person's
unread notifications. Read from the cache, counted (one query) only when the cache lost it or a
notification of theirs was created or read since; never for a visitor."""

from django.utils.functional import SimpleLazyObject, new_method_proxy

from .selectors import notification_unread_count_cached


class LazyCount(SimpleLazyObject):
    """A number computed on first use, then kept (also usable where an int is needed:
    ``{% blocktranslate count %}``, ``int()``)."""

    __int__ = new_method_proxy(int)
    __index__ = new_method_proxy(int)


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications_count": 0}
    count = LazyCount(lambda: notification_unread_count_cached(user=user))
    return {"unread_notifications_count": count}
