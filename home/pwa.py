"""What makes the portal installable on a phone and usable when the network drops.

- ``/manifest.webmanifest``: the web app manifest, its names in the visitor's language.
- ``/sw.js``: the service worker. It must be served from the site root for its scope to be the
  whole site (``Service-Worker-Allowed: /`` says so explicitly). Its version is a digest of the
  language and of the precached files, so a new stylesheet or another language makes browsers
  install it afresh and precache the new files and the offline page in that language.
- ``/offline/``: the page the service worker shows when a navigation finds no network. It is
  precached, so it is rendered as for an anonymous visitor: nothing about the person who
  happened to install the worker is stored.

The worker never stores pages (see ``templates/home/sw.js``), so nothing under ``/portal/``,
``/admin/``, ``/ws/`` or any signed-in page can be replayed from its cache.
"""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

THEME_COLOUR = "#073f49"
BACKGROUND_COLOUR = "#f7f7f4"
ICONS = (
    ("img/icons/icon-192.png", "192x192", "any"),
    ("img/icons/icon-512.png", "512x512", "any"),
    ("img/icons/icon-maskable-512.png", "512x512", "maskable"),
)
# Static files the offline page needs, precached by the service worker.
PRECACHED_STATIC = (
    "css/site.css",
    "js/sw-register.js",
    "img/icon.svg",
    *(path for path, _size, _purpose in ICONS),
)


def _per_language(response, max_age):
    # The language comes from the cookie or Accept-Language: a shared cache must not mix them.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    patch_cache_control(response, max_age=max_age)
    return response


def _start_url(language):
    if not language or language == settings.LANGUAGE_CODE:
        return "/"
    return f"/{language}/" if language in dict(settings.LANGUAGES) else "/"


@require_safe
def manifest(request):
    data = {
        "id": "/",
        "name": _("Social Cluster"),
        "short_name": _("Cluster"),
        "description": _(
            "Organizations of the third sector, companies, universities and public bodies "
            "running social projects together."
        ),
        "lang": get_language(),
        "dir": "ltr",
        # The installed app opens on the home page in the language the manifest was read in.
        "start_url": _start_url(get_language()),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static(path), "sizes": sizes, "type": "image/png", "purpose": purpose}
            for path, sizes, purpose in ICONS
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/manifest+json; charset=utf-8",
    )
    return _per_language(response, max_age=3600)


@lru_cache(maxsize=1)
def _static_digest():
    digest = hashlib.sha256()
    for path in PRECACHED_STATIC:
        digest.update(static(path).encode())
        found = finders.find(path)
        if found:
            with open(found, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


def _precache_urls():
    return [reverse("offline"), *(static(path) for path in PRECACHED_STATIC)]


@require_safe
def service_worker(request):
    urls = _precache_urls()
    version = hashlib.sha256(
        f"{get_language()}:{_static_digest()}:{':'.join(urls)}".encode()
    ).hexdigest()[:16]
    script = render_to_string(
        "home/sw.js",
        {
            "version": version,
            "offline_url": json.dumps(reverse("offline")),
            "precache": json.dumps(urls),
        },
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    _per_language(response, max_age=0)
    # Browsers check the worker for updates on navigation; always against the server.
    patch_cache_control(response, no_cache=True)
    return response


@require_safe
def offline(request):
    # Rendered as for an anonymous visitor: the worker stores this page.
    response = render(
        request, "home/offline.html", {"user": AnonymousUser(), "messages": (), "page": None}
    )
    return _per_language(response, max_age=0)
