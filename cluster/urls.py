from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from core.i18n import language_set
from home import pwa
from sitesearch import views as sitesearch_views
from sitesearch.feeds import NewProjectsFeed
from sitesearch.sitemaps import MultilingualSitemap
from workspace.feeds import ProjectUpdatesFeed

from .api import api_router
from .health import healthz

# A 404 for an unknown unprefixed path speaks the visitor's language (core.i18n).
handler404 = "core.i18n.page_not_found"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("i18n/setlang/", language_set, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("allauth.urls")),
    path("portal/", include("home.portal_urls")),
    path("search/", sitesearch_views.search, name="search"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": MultilingualSitemap}}, name="sitemap"),
    path("robots.txt", sitesearch_views.robots_txt, name="robots_txt"),
    path("feeds/projects/", NewProjectsFeed(), name="projects_feed"),
    path("feeds/updates/", ProjectUpdatesFeed(), name="project_updates_feed"),
    path("impact/", include("impact.public_urls")),
    path("", include("privacy.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's pages in every content language: /es/…, /ca/…, and the default language unprefixed,
# so the English URLs stay what they were. Everything above keeps one URL in every language.
# The communities of practice sit beside the knowledge base's pages, and the resource directory
# is there too (/es/resources/ is the Spanish directory), in the same languages.
urlpatterns += i18n_patterns(
    path("communities/", include("knowledge.urls")),
    path("resources/", include("resources.urls")),
    path("opportunities/", include("opportunities.urls")),
    path("events/", include("opportunities.event_urls")),
    path("cluster/", include("opportunities.cluster_urls")),
    path("training/", include("training.public_urls")),
    path("volunteer/", include("volunteers.urls")),
    path("calls/", include("volunteers.call_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
