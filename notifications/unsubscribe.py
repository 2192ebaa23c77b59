"""One-click unsubscribe (RFC 8058): a signed link per person and kind, in every e-mail.

The link carries the person's id and the kind, signed with the site's secret: it works
without signing in and cannot be made for someone else or another kind. ``DIGEST`` stands
for the digest itself. The same link goes in the ``List-Unsubscribe`` header with
``List-Unsubscribe-Post: List-Unsubscribe=One-Click``, so mail programs offer the button.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "notifications.unsubscribe"
DIGEST = "digest"


def unsubscribe_token(user_id, kind):
    return signing.dumps([user_id, kind], salt=SALT, compress=True)


def unsubscribe_read(token):
    """``(user id, kind)`` from a token, or None when it was not signed here."""
    try:
        user_id, kind = signing.loads(token, salt=SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    return user_id, kind


def unsubscribe_url(user_id, kind):
    path = reverse("portal:notification_unsubscribe", args=[unsubscribe_token(user_id, kind)])
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}"


def unsubscribe_headers(url):
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
