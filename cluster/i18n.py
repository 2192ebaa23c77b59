"""The language switcher's endpoint, usable from pages the anonymous page cache may store.

A cached page cannot carry a CSRF token (it would be one visitor's token served to all), so the
header's language form posts without one. The only effect of this view is the language cookie,
so a forged post could at worst change someone's display language; it is still refused when the
browser says the post comes from another site.
"""

from django.conf import settings
from django.http import HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language


def _cross_site(request):
    if request.META.get("HTTP_SEC_FETCH_SITE") == "cross-site":
        return True
    origin = request.META.get("HTTP_ORIGIN")
    if not origin or origin == "null":
        return bool(origin)
    try:
        own = f"{request.scheme}://{request.get_host()}"
    except Exception:  # noqa: BLE001 - DisallowedHost
        return True
    return origin != own and origin not in settings.CSRF_TRUSTED_ORIGINS


@csrf_exempt
def language_set(request):
    if request.method == "POST" and _cross_site(request):
        return HttpResponseForbidden()
    return set_language(request)
