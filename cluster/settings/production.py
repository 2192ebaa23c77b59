"""Production: refuses to start without a secret key and allowed hosts; hardened defaults.

Every setting here is checked by ``manage.py check --deploy --fail-level WARNING`` in CI and
explained in the README ("Security and privacy").
"""

from copy import deepcopy

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, CONTENT_SECURITY_POLICY, SECRET_KEY, env

if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set in production.")

DEBUG = False

# Links in e-mails (notifications, digests, unsubscribe, invitations) point at the public
# address: WAGTAILADMIN_BASE_URL, or else https:// and the first allowed host when it names
# one host; never the port a process happens to listen on behind the proxy.
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="").rstrip("/")
if not WAGTAILADMIN_BASE_URL:
    _public_host = ALLOWED_HOSTS[0]
    if _public_host.startswith(".") or "*" in _public_host:
        raise ImproperlyConfigured(
            "WAGTAILADMIN_BASE_URL must be set in production when the first of "
            "DJANGO_ALLOWED_HOSTS is not one host name (it is the base of links in e-mails)."
        )
    WAGTAILADMIN_BASE_URL = f"https://{_public_host}"

# --- HTTPS only -----------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients'
# requests), Django must trust that header to know a request came over HTTPS; and the client
# address for rate limits is then the one the proxy appends to X-Forwarded-For.
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=1)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)

# --- Cookies: sent over HTTPS only, out of scripts' reach where nothing needs them ----------
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Other response headers -----------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
# Links to partners' websites carry no trace of which portal page they came from.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = deepcopy(CONTENT_SECURITY_POLICY)
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
