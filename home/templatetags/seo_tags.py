"""Meta description, canonical URL and Open Graph image for base.html, for any page type."""

from django import template
from django.core.exceptions import DisallowedHost
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

register = template.Library()

DESCRIPTION_LENGTH = 160
# Image fields a page type may have, in order of preference, for og:image.
OG_IMAGE_FIELDS = ("og_image", "hero_image", "logo")
OG_IMAGE_FILTER = "fill-1200x630"


def default_description():
    return _(
        "NGOs, foundations, companies, universities and public bodies running innovative "
        "social projects together."
    )


@register.simple_tag
def meta_description(page=None):
    """The page's search description, else its summary or introduction, else the site's."""
    # A partner's or project's summary in the visitor's language (core.i18n_content).
    texts = page.texts_in() if hasattr(page, "texts_in") else {}
    for name in ("search_description", "summary", "intro"):
        value = getattr(page, name, "") if page is not None else ""
        if name in texts:
            value = texts[name].value
        text = " ".join(strip_tags(str(value or "")).split())
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    return default_description()


def _absolute(request, url):
    """``url`` made absolute with the request's host, or left as it is if the host is forged.

    Error pages (a 400 for a bad Host header among them) render this template too.
    """
    if request is None:
        return url
    try:
        return request.build_absolute_uri(url)
    except DisallowedHost:
        return url


@register.simple_tag(takes_context=True)
def canonical_url(context, page=None):
    request = context.get("request")
    if request is None:
        return ""
    if page is not None and getattr(page, "pk", None) and hasattr(page, "get_full_url"):
        url = page.get_full_url(request)
        if url:
            return url
    return _absolute(request, request.path)


@register.simple_tag(takes_context=True)
def og_image_url(context, page=None):
    """An absolute URL of a 1200×630 rendition of the page's main image, or ""."""
    request = context.get("request")
    for name in OG_IMAGE_FIELDS:
        image = getattr(page, name, None) if page is not None else None
        if image is not None and hasattr(image, "get_rendition"):
            return _absolute(request, image.get_rendition(OG_IMAGE_FILTER).url)
    return ""


@register.simple_tag(takes_context=True)
def language_alternates(context, page=None):
    """The page's versions in other languages for ``<link rel="alternate" hreflang>``.

    [(language code, absolute URL), …] followed by ("x-default", the default language's
    version), or [] when the page has no other language. A page's versions are its live Wagtail
    translations; partner and project pages (``ProfileTextsMixin``) exist once and are served in
    every content language with their texts in it, so every language is one of their versions.
    """
    from django.conf import settings

    from core.i18n_content import language_versions, version_urls

    request = context.get("request")
    if request is None or page is None or not getattr(page, "pk", None):
        return []
    if not hasattr(page, "get_translations"):
        return []
    translations = page.get_translations(inclusive=True).live().select_related("locale")
    urls = version_urls(language_versions(page, translations), request)
    if len(urls) < 2:
        return []
    default = urls.get(settings.LANGUAGE_CODE) or urls.get(page.locale.language_code)
    return [*urls.items(), ("x-default", default)]
