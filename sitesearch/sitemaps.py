"""The sitemap in every language, each URL with its ``hreflang`` alternates.

Wagtail's own sitemap lists the default site's tree in the language the sitemap happens to be
requested in. Here every live public page is grouped with its translations (one
``translation_key``); each version is listed under its own language's URL, and each entry
names every version (``<xhtml:link rel="alternate" hreflang>``) and the default language's as
``x-default``: the same versions as the page's own ``<link rel="alternate">``
(``core.i18n_content.language_versions``). Partner and project pages, served in every content
language, are listed once per language.
"""

from django.conf import settings
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale, Page

from core.i18n_content import language_versions, version_urls


class MultilingualSitemap(Sitemap):
    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        trees = Q()
        for root in roots.only("path"):
            trees |= Q(path__startswith=root.path)
        pages = (
            Page.objects.filter(trees)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
        locales = dict(Locale.objects.values_list("pk", "language_code"))
        groups = {}
        for page in pages:
            groups.setdefault(page.translation_key, []).append(page)
        for group in groups.values():
            for page in group:
                # language_versions reads the language from the locale; the one query above
                # stands for one per page.
                page.locale = Locale(pk=page.locale_id, language_code=locales[page.locale_id])
        return list(groups.values())

    def _entries(self, group):
        original = next(
            (page for page in group if page.locale.language_code == settings.LANGUAGE_CODE),
            group[0],
        )
        versions = language_versions(original, group)
        urls = version_urls(versions, self.request)
        alternates = []
        if len(urls) > 1:
            default = urls.get(settings.LANGUAGE_CODE) or next(iter(urls.values()))
            alternates = [{"lang_code": code, "location": url} for code, url in urls.items()] + [
                {"lang_code": "x-default", "location": default}
            ]
        return [
            {
                "item": versions[code],
                "location": url,
                "lastmod": self.lastmod(versions[code]),
                "alternates": alternates,
            }
            for code, url in urls.items()
        ]

    def _urls(self, page, protocol, domain):
        urls = []
        for group in self.paginator.page(page).object_list:
            urls.extend(self._entries(group))
        last_mods = {url["lastmod"] for url in urls}
        # Empty when the whole site is private.
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
