"""The Content Security Policy sent with every response (django-csp 4).

The site-wide policy lives in ``settings.CONTENT_SECURITY_POLICY``: scripts and styles from our
own origin only, no inline code, no framing. This middleware adds what a static setting cannot
know, and nothing else:

- ``connect-src`` gets the websocket origin of the current host (``ws://host`` or
  ``wss://host``), so the chat client can connect. CSP3 says ``'self'`` already covers it, but
  browsers disagreed for years; naming it costs nothing. ``request.get_host()`` is validated
  against ``ALLOWED_HOSTS``, so the header never echoes an arbitrary Host.
- Wagtail's page previews (rendered through a dummy request) may be framed by the admin.
- Under ``/admin/`` (Wagtail's admin, used by editors only) the directives of
  ``settings.CSP_ADMIN_REPLACE`` replace the site-wide ones: the admin sets element styles
  from its scripts and draws previews in same-origin frames. Measured in Chromium by
  ``tests/e2e/test_csp.py``, which fails if the admin needs more than this.
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import DisallowedHost


class ClusterCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the per-host websocket origin and the admin's exceptions."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        update = dict(parts.update or {})
        try:
            host = request.get_host()
        except DisallowedHost:
            host = None
        if host:
            scheme = "wss" if request.is_secure() else "ws"
            update["connect-src"] = [*update.get("connect-src", []), f"{scheme}://{host}"]
        parts.update = update
        if is_admin_path(request.path_info):
            parts.replace = {**settings.CSP_ADMIN_REPLACE, **(parts.replace or {})}
        elif getattr(request, "is_dummy", False):
            # Wagtail renders a page preview through a dummy request for the page's own URL,
            # shown in a frame of the admin's editor.
            parts.replace = {"frame-ancestors": [SELF], **(parts.replace or {})}
        return parts


def is_admin_path(path):
    return path.startswith(settings.CSP_ADMIN_PREFIXES)
