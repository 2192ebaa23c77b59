"""``Cache-Control: private, no-store`` on everything that is someone's own.

One rule for the whole site instead of a decorator per view: a response is private when it
was made for a signed-in person (their name is in the page header, their data in the body),
or when its path is under ``PRIVATE_PATH_PREFIXES`` (the portal, the account and privacy
pages, the admins), whoever asks: a redirect to the sign-in page or a form with a CSRF token
is no one else's either. Browsers then keep no copy on disk and shared caches (a proxy, a
CDN) store nothing. Views that set their own ``Cache-Control`` keep it, with ``private`` and
``no-store`` added (``public`` removed).

Anonymous public pages are untouched, so the page cache (``core.pagecache``) and browsers may
keep them.
"""

from django.conf import settings
from django.utils.cache import patch_cache_control

DEFAULT_PRIVATE_PATH_PREFIXES = (
    "/portal/",
    "/account/",
    "/accounts/",
    "/admin/",
    "/django-admin/",
)


def is_private(request):
    prefixes = getattr(settings, "PRIVATE_PATH_PREFIXES", DEFAULT_PRIVATE_PATH_PREFIXES)
    if request.path_info.startswith(tuple(prefixes)):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PrivateNoStoreMiddleware:
    """Mark private responses ``private, no-store`` (after ``AuthenticationMiddleware``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private(request):
            patch_cache_control(response, private=True, no_store=True)
        return response
