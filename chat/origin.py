"""Which pages may open a websocket to this site: exactly the site's own origins.

A browser sends the ``Origin`` of the page that opens a websocket, and sends the site's session
cookie with it whatever that page is: the Origin is the only thing that stops another site
from opening a signed-in person's chat. Accepted: the origin the socket itself was opened on
(scheme, host and port, as Django's CSRF check compares a request's ``Origin`` with
``request.scheme://request.get_host()``), its host one of ``ALLOWED_HOSTS``; and the origins
listed in ``CSRF_TRUSTED_ORIGINS``, exactly. Any other scheme or port on an allowed host, a
missing Origin, or ``null`` is refused before the consumer runs (the handshake is denied).
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def _normalized(origin):
    """``(scheme, host, port)`` of an origin URL, or None when it is not one."""
    try:
        parts = urlsplit(origin)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]


def _headers(scope):
    headers = {}
    for name, value in scope.get("headers", []):
        headers.setdefault(name.decode("latin-1").lower(), value.decode("latin-1"))
    return headers


def _scheme(scope, headers):
    """http or https, as Django's ``request.scheme`` would say (``SECURE_PROXY_SSL_HEADER``)."""
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        header, secure_value = proxy
        name = header.removeprefix("HTTP_").replace("_", "-").lower()
        value = headers.get(name)
        if value is not None:
            return "https" if value.split(",")[0].strip() == secure_value else "http"
    return "https" if scope.get("scheme") in ("wss", "https") else "http"


def _host(headers):
    """The Host the socket was opened on, when it is one of ``ALLOWED_HOSTS``."""
    host = headers.get("host", "")
    if settings.USE_X_FORWARDED_HOST and "x-forwarded-host" in headers:
        host = headers["x-forwarded-host"]
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return host if domain and validate_host(domain, allowed) else None


def site_origins(scope):
    """The normalized origins a websocket opened with ``scope`` may come from."""
    headers = _headers(scope)
    origins = {_normalized(origin) for origin in settings.CSRF_TRUSTED_ORIGINS}
    host = _host(headers)
    if host:
        origins.add(_normalized(f"{_scheme(scope, headers)}://{host}"))
    origins.discard(None)
    return origins


def origin_allowed(scope):
    origins = [value for name, value in scope.get("headers", []) if name.lower() == b"origin"]
    if len(origins) != 1:
        return False
    try:
        origin = _normalized(origins[0].decode("ascii"))
    except UnicodeDecodeError:
        return False
    return origin is not None and origin in site_origins(scope)


class SiteOriginValidator:
    """ASGI middleware: a websocket whose Origin is not one of the site's is denied (403 at
    the handshake); settings are read at each connection."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] != "websocket":
            raise ValueError("SiteOriginValidator is for websocket connections only")
        if origin_allowed(scope):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
