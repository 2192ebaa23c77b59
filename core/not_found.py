"""With DEBUG on, Django answers a 404 with its yellow debug page, which lists every URL
pattern of the site. A newcomer trying the portal sees the portal's own 404 page instead
(``handler404``: templates/404.html, in the visitor's language); developers who want the
debug page set ``DJANGO_DEBUG_404=1``. With DEBUG off Django shows the portal's page anyway and
this middleware steps aside."""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import Http404
from django.urls import Resolver404, get_resolver


class OwnNotFoundPageMiddleware:
    def __init__(self, get_response):
        if not settings.DEBUG or settings.DEBUG_404:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        resolver = get_resolver(getattr(request, "urlconf", None))
        try:
            resolver.resolve(request.path_info)
        except Resolver404 as exception:  # no route at all: Django would show its debug page
            return self._not_found(request, exception, resolver)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):  # a view's 404 (a page, an object) in debug mode
            return self._not_found(
                request, exception, get_resolver(getattr(request, "urlconf", None))
            )
        return None

    @staticmethod
    def _not_found(request, exception, resolver):
        return resolver.resolve_error_handler(404)(request, exception)
