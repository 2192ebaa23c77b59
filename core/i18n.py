"""Which language a request is answered in, and the language switcher's endpoint.

Wagtail's pages live under ``i18n_patterns`` with ``prefix_default_language=False``: /es/… and
/ca/… are Spanish and Catalan, an unprefixed page URL is the default language. Every other door
(/portal/, /accounts/, /search/…) has one URL in all languages and follows the visitor's choice
(the language cookie, then the browser's Accept-Language). Django's LocaleMiddleware cannot
tell the two apart once a default language is unprefixed (it would answer /portal/ in the
default language for everyone), hence ``ClusterLocaleMiddleware``.

The language switcher's endpoint is usable from pages the anonymous page cache may store.
A cached page cannot carry a CSRF token (it would be one visitor's token served to all), so the
header's language form posts without one. The only effects of this view are the language cookie
and, for a signed-in person, the language their notifications are written in, so a forged post
could at worst change someone's language; it is still refused when the browser says the post
comes from another site.
"""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.dispatch import Signal
from django.http import HttpResponseForbidden, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import URLResolver, get_resolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import LocalePrefixPattern, RegexPattern
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

# Sent when a signed-in person chooses a language with the switcher (``language`` as posted,
# not yet validated): apps that write to them later remember it.
language_chosen = Signal()


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
    response = set_language(request)
    version = _translation_path(request) if request.method == "POST" else None
    if version and response.status_code == 302:
        response["Location"] = version
    if request.method == "POST" and request.user.is_authenticated:
        # Apps that speak to the person later (notifications, e-mails) remember the choice.
        language_chosen.send(
            sender=None, request=request, user=request.user, language=request.POST.get("language")
        )
    return response


def _translation_path(request):
    """Send the visitor to the chosen language's version of the page they were reading.

    Django translates ``next`` by its URL pattern, which cannot follow a Wagtail translation
    whose slug differs (/about/ → /es/sobre-nosotros/). The switcher therefore sends each
    version's URL as ``next_<code>`` (from the page's hreflang alternates); the chosen one, kept
    to its path on this site, is where the switcher redirects (Django would prefix it again).
    """
    code = request.POST.get("language", "")
    alternate = request.POST.get(f"next_{code}", "") if code in dict(settings.LANGUAGES) else ""
    if not alternate:
        return None
    parts = urlsplit(alternate)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path.startswith("/") or not url_has_allowed_host_and_scheme(
        path, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return path


@lru_cache(maxsize=4)
def _unprefixed_resolver(resolver):
    """A resolver for the URL patterns outside ``i18n_patterns`` of ``resolver``'s urlconf."""
    patterns = [
        pattern
        for pattern in resolver.url_patterns
        if not isinstance(getattr(pattern, "pattern", None), LocalePrefixPattern)
    ]
    return URLResolver(RegexPattern(r"^/"), patterns)


def is_language_neutral_path(path, urlconf=None):
    """Whether ``path`` is one of the doors that keep one URL in every language."""
    try:
        _unprefixed_resolver(get_resolver(urlconf)).resolve(path)
    except Resolver404:
        return False
    return True


def request_language(request):
    """The language the request is answered in (the page cache keys on it too).

    A language prefix decides; an unprefixed page URL is the default language; any other
    path follows the language cookie, then the browser.
    """
    from_path = translation.get_language_from_path(request.path_info)
    if from_path:
        return from_path
    if is_language_neutral_path(request.path_info, getattr(request, "urlconf", None)):
        return translation.get_language_from_request(request)
    return settings.LANGUAGE_CODE


class _ScopeRequest:
    """What Django's language choice reads of a request, taken from an ASGI scope."""

    def __init__(self, scope):
        self.path_info = scope.get("path", "/")
        self.COOKIES = scope.get("cookies") or {}
        accept = ""
        for name, value in scope.get("headers", []):
            if name.lower() == b"accept-language":
                accept = value.decode("latin-1")
        self.META = {"HTTP_ACCEPT_LANGUAGE": accept}


def scope_language(scope):
    """The language of a websocket (an ASGI scope): the same choice as ``request_language``
    makes for a door with one URL in every language (the language cookie, then the
    browser's Accept-Language, then the site's default)."""
    return translation.get_language_from_request(_ScopeRequest(scope))


def cookie_language(request):
    """The language the visitor chose with the switcher on this browser (its cookie), or None."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return code if code in dict(settings.LANGUAGES) else None


def language_restore(request, language):
    """Answer the rest of ``request``, and this browser's later requests, in ``language``.

    For sign-in: the person's saved language becomes the active one, ``ClusterLocaleMiddleware``
    sets the language cookie on the response and sends a redirect to the page it names in that
    language (``restored_location``).
    """
    if language not in dict(settings.LANGUAGES):
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language
    request.restored_language = language


def restored_location(location, language, urlconf=None):
    """``location`` (a redirect's target) in ``language``: a page path gets that language's
    prefix instead of its own (none for the default language); the doors with one URL in every
    language, and other sites' addresses, are kept as they are.

    The path after the prefix is kept: a Wagtail translation whose slug differs is reached
    through the page's own language switcher, not here.
    """
    parts = urlsplit(location)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return location
    path = parts.path
    current = translation.get_language_from_path(path)
    if current:
        path = path[len(current) + 1 :] or "/"
    if is_language_neutral_path(path, urlconf):
        return location
    if language != settings.LANGUAGE_CODE:
        path = f"/{language}{path}"
    return (
        path
        + (f"?{parts.query}" if parts.query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )


class ClusterLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, choosing the language with ``request_language``; a language
    restored during the request (``language_restore``) is kept by the cookie and followed by
    the response's redirect."""

    def process_request(self, request):
        translation.activate(request_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response = super().process_response(request, response)
        language = getattr(request, "restored_language", None)
        if not language:
            return response
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        if response.status_code in (301, 302, 303, 307, 308) and response.has_header("Location"):
            response["Location"] = restored_location(
                response["Location"], language, getattr(request, "urlconf", None)
            )
        return response


def page_not_found(request, exception):
    """Django's 404 page, in the visitor's language when the URL named none.

    An unknown unprefixed path is routed as a default-language page; its "not found" page still
    speaks the language the visitor chose.
    """
    if translation.get_language_from_path(request.path_info):
        return defaults.page_not_found(request, exception)
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = defaults.page_not_found(request, exception)
    response.headers["Content-Language"] = language
    return response


# Paths that are never pages, whatever the urlconf says (files served before the URLs).
_NEVER_PAGES = ("/static/", "/media/", "/favicon.ico", "/.well-known/")


def _unprefixed_page_path(request):
    """Whether ``request`` is a GET/HEAD for a page URL without a language prefix."""
    if request.method not in ("GET", "HEAD"):
        return False
    path = request.path_info
    if translation.get_language_from_path(path) or path.startswith(_NEVER_PAGES):
        return False
    static_url = getattr(settings, "STATIC_URL", None) or "/static/"
    media_url = getattr(settings, "MEDIA_URL", None) or "/media/"
    if path.startswith((static_url, media_url)):
        return False
    return not is_language_neutral_path(path, getattr(request, "urlconf", None))


def preferred_language_path(request):
    """Where an unprefixed page URL should send a visitor who chose another language, or None.

    The choice is the language cookie (the switcher's), else the browser's Accept-Language: a
    first visit follows the browser, later ones the person's choice. Only GET/HEAD requests for
    a page path (not one of the doors with one URL in every language) are sent on, to the same
    path under the language's prefix; ``LocaleFallbackMixin`` serves the default-locale page
    there while its translation is missing. Runs no SQL, so it may sit before the page cache.
    """
    language = translation.get_language_from_request(request)
    if language == settings.LANGUAGE_CODE or language not in dict(settings.LANGUAGES):
        return None
    if not _unprefixed_page_path(request):
        return None
    target = f"{request.META.get('SCRIPT_NAME', '')}/{language}{request.path_info}"
    query = request.META.get("QUERY_STRING", "")
    return f"{target}?{query}" if query else target


class PreferredLanguageRedirectMiddleware:
    """Sends an unprefixed page URL to the visitor's language (``preferred_language_path``).

    It sits before the anonymous page cache: the cached default-language page at ``/`` must
    not be served to someone who chose Catalan. The redirect varies with the cookie and the
    browser's languages, and is never stored by a shared cache; the unprefixed page itself
    says it varies with them too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        target = preferred_language_path(request)
        if target is None:
            response = self.get_response(request)
            if _unprefixed_page_path(request):
                # The same URL redirects other visitors: shared caches must tell them apart.
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
            return response
        response = HttpResponseRedirect(target)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        patch_cache_control(response, private=True, max_age=0)
        return response
