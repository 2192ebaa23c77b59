"""Settings shared by every environment.

The environment is read once, here, through django-environ. Each integration is switched on by
the presence of its variable: ``DATABASE_URL`` (PostgreSQL), ``REDIS_URL`` (channels_redis,
Redis cache), ``EMAIL_URL`` (SMTP). With none of them set the portal runs on embedded defaults:
a SQLite file, the in-memory channel layer, a local-memory cache and the console e-mail backend.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE

from core.redis_connection import channel_layer_host, parse_sentinels, sentinel_kwargs

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env file is a convenience for developers; real deployments set the environment.
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# With DEBUG on, show Django's debug page for a 404 (it lists every URL pattern) rather than
# the portal's own page (core/not_found.py).
DEBUG_404 = env.bool("DJANGO_DEBUG_404", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

DATABASE_URL = env.str("DATABASE_URL", default="")
REDIS_URL = env.str("REDIS_URL", default="")
# Redis behind Sentinel (core/redis_connection.py): the channel layer, the cache, presence and
# rate limits ask these Sentinels for the current primary. REDIS_URL then names only the
# database number and password (its host is not used) and may be left out.
REDIS_SENTINELS = parse_sentinels(env.list("REDIS_SENTINELS", default=[]))
REDIS_SENTINEL_MASTER = env.str("REDIS_SENTINEL_MASTER", default="mymaster")
REDIS_SENTINEL_PASSWORD = env.str("REDIS_SENTINEL_PASSWORD", default="")
if REDIS_SENTINELS and not REDIS_URL:
    REDIS_URL = f"redis://{REDIS_SENTINEL_MASTER}/0"


def _redis_db(url):
    """The database number of a redis:// URL (0 when it names none)."""
    path = url.split("?", 1)[0].rsplit("/", 1)
    return int(path[1]) if len(path) == 2 and path[1].isdigit() else 0


EMAIL_URL = env.str("EMAIL_URL", default="")

INSTALLED_APPS = [
    "daphne",
    "core",
    "home",
    "taxonomy",
    "notifications",
    "partners",
    "projects",
    "chat",
    "scale",
    "impact",
    "knowledge",
    "resources",
    "opportunities",
    "crm",
    "training",
    "people",
    "volunteers",
    "workspace",
    "privacy",
    "sitesearch",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "guardian",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",
]

MIDDLEWARE = [
    # Before the page cache: an unprefixed page URL sends a visitor who chose another language
    # (cookie, else Accept-Language) to that language's URL; no SQL (core/i18n.py).
    "core.i18n.PreferredLanguageRedirectMiddleware",
    # First: a hit runs no SQL and no other middleware; what it serves was stored with the
    # headers all the others added (cluster/pagecache.py).
    "core.pagecache.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.csp.ClusterCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions (it reads the language cookie's fallback there), before CommonMiddleware
    # (whose slash redirects must see the language prefix) and before anything that renders.
    "core.i18n.ClusterLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Everything made for a signed-in person, and the portal and account pages for anyone:
    # Cache-Control: private, no-store.
    "core.privatecache.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Debug mode only: the portal's own 404 page rather than Django's list of URL patterns,
    # unless DJANGO_DEBUG_404 asks for it. Last, so that the redirects above still apply.
    "core.not_found.OwnNotFoundPageMiddleware",
]

ROOT_URLCONF = "cluster.urls"
WSGI_APPLICATION = "cluster.wsgi.application"
ASGI_APPLICATION = "cluster.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# Widgets render through the project's template engine, so templates/wagtailadmin/widgets/ can
# replace Wagtail's inline-script widgets (see cluster/csp.py).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------------------------
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Under ASGI a connection per query batch halves throughput: use psycopg's pool.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env.int("DATABASE_POOL_MIN", default=2),
            "max_size": env.int("DATABASE_POOL_MAX", default=20),
            # How long a request waits for a connection, /healthz included.
            "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        if not env.bool("DATABASE_POOL", default=True):
            # Each query batch opens its own connection (cheap through a local PgBouncer).
            del DATABASES["default"]["OPTIONS"]["pool"]
        # PgBouncer in transaction mode hands a server connection to another client after each
        # transaction: no server-side cursors (they outlive the transaction) and no prepared
        # statements (psycopg prepares a query run 5 times, on the server connection it had).
        DATABASE_PGBOUNCER = env.bool("DATABASE_PGBOUNCER", default=False)
        if DATABASE_PGBOUNCER:
            DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
            DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
        # A pooled connection is checked before use, so one that a restarted PgBouncer or
        # PostgreSQL closed is replaced instead of failing a request.
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool(
            "DATABASE_HEALTH_CHECKS", default=DATABASE_PGBOUNCER
        )
        # PostgreSQL's default random_page_cost (4) models spinning disks; for SSDs or a data set
        # that fits in memory its documentation suggests about 1.1. With 4, the planner reads the
        # whole wagtailcore_page table to check ``live`` on a few hundred filtered projects
        # (measured at scale: 9-12 ms, against 1.4 ms through the primary key; bench/README.md).
        # PgBouncer refuses the ``options`` start-up parameter: there the database carries it
        # (ALTER DATABASE … SET random_page_cost, docs/deployment.md).
        if not DATABASE_PGBOUNCER:
            DATABASES["default"]["OPTIONS"].setdefault(
                "options",
                f"-c random_page_cost={env.float('DATABASE_RANDOM_PAGE_COST', default=1.1)}",
            )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {
                # WAL and a busy timeout let the chat's writes and page reads share the file.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Channel layer, cache -------------------------------------------------------------------
if REDIS_URL:
    # Redis pub/sub: a group send is one PUBLISH, and each server process receives it once
    # and hands it to its own sockets in memory. (The list-based RedisChannelLayer stores one
    # copy per socket and pops them one round trip each: a 200-member room cost 200 of each
    # per message.) Delivery is at most once, which the chat is built for: the database is the
    # record, clients `sync` on any gap in `seq` and on reconnect.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    channel_layer_host(
                        REDIS_URL,
                        REDIS_SENTINELS,
                        REDIS_SENTINEL_MASTER,
                        REDIS_SENTINEL_PASSWORD,
                        socket_timeout=env.float("CHANNEL_SOCKET_TIMEOUT", default=30),
                        socket_connect_timeout=5,
                    )
                ],
                # Pub/sub channels are global to a Redis server, not per database number:
                # the prefix keeps sites (and test runs) sharing one server apart.
                "prefix": env.str("CHANNEL_PREFIX", default=f"cluster.{_redis_db(REDIS_URL)}."),
            },
        }
    }
    CACHES = {
        "default": {
            # Django's RedisCache, served from local memory while Redis is unreachable.
            "BACKEND": "core.cache.FailoverRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cluster",
            "RETRY_SECONDS": env.float("CACHE_RETRY_SECONDS", default=5),
            "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
        }
    }
    if REDIS_SENTINELS:
        CACHES["default"]["OPTIONS"].update(
            {
                "pool_class": "core.redis_connection.SentinelPool",
                "sentinels": REDIS_SENTINELS,
                "master_name": REDIS_SENTINEL_MASTER,
                "sentinel_kwargs": sentinel_kwargs(REDIS_SENTINEL_PASSWORD),
            }
        )
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public views outside Wagtail's page tree that the anonymous page cache may store
# (core/pagecache.py): the resource directory and a listing's page; the communities of
# practice, a community and its public questions.
PAGECACHE_URL_NAMES = [
    "resource_directory",
    "resource_detail",
    "knowledge:community_index",
    "knowledge:community",
    "knowledge:question_list",
    "knowledge:question",
]

# --- E-mail ---------------------------------------------------------------------------------
if EMAIL_URL:
    vars().update(env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Social Cluster <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background work (docs/notifications.md) -------------------------------------------------
# Mail, digests and Wagtail's index updates are queued in the database and run by
# `manage.py db_worker` (scripts/run starts one). TASKS_BACKEND=immediate runs them in the
# request instead (no worker needed).
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env.str("TASKS_BACKEND", default="database")]
    }
}

# --- Accounts -------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:dashboard"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
# Confirming the address in the browser that signed up signs the person in; both sign-up and
# confirmation land on their profile, where the next steps are.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SIGNUP_REDIRECT_URL = "portal:profile"
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "portal:profile"
# Sign-up asks for consent to the privacy notice (privacy.forms.SignupForm).
ACCOUNT_FORMS = {"signup": "privacy.forms.SignupForm"}
# Change it whenever templates/privacy/notice.html changes in substance: new consents record it.
PRIVACY_NOTICE_VERSION = "2026-01"
ACCOUNT_ADAPTER = "cluster.accounts.AccountAdapter"
# Failed sign-ins (cluster/accounts.py): growing delays per account and address together, and
# loosely per account from anywhere; never a lockout someone else can cause. Seconds.
LOGIN_BACKOFF = {
    "pair": {"free": 3, "base": 2, "cap": 15 * 60, "window": 24 * 3600},
    "account": {"free": 20, "base": 1, "cap": 60, "window": 3600},
}
ACCOUNT_RATE_LIMITS = {
    # Per address only, and generous: per account (allauth's "key") would be a lockout anyone
    # can cause; account and address together are limited by LOGIN_BACKOFF.
    "login_failed": "60/15m/ip",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# Our own doors, through core.ratelimit (same "amount/period" syntax as allauth's).
CLUSTER_RATE_LIMITS = {
    "invitation_accept": env.str("RATE_LIMIT_INVITATION_ACCEPT", default="20/h"),
    "account_delete": env.str("RATE_LIMIT_ACCOUNT_DELETE", default="5/15m"),
    "privacy_export": env.str("RATE_LIMIT_PRIVACY_EXPORT", default="20/h"),
    # Invitations send e-mail naming the organization: limited per person who sends them, per
    # organization and per invited address.
    "invitation_per_person": env.str("RATE_LIMIT_INVITATION_PER_PERSON", default="30/h"),
    "invitation_per_organization": env.str(
        "RATE_LIMIT_INVITATION_PER_ORGANIZATION", default="50/h"
    ),
    "invitation_per_recipient": env.str("RATE_LIMIT_INVITATION_PER_RECIPIENT", default="3/d"),
    # Applications to register an organization notify the editors.
    "organization_apply_per_person": env.str("RATE_LIMIT_APPLY_PER_PERSON", default="3/h"),
    "organization_apply_per_address": env.str("RATE_LIMIT_APPLY_PER_ADDRESS", default="10/h"),
    # Inviting an organization to a project notifies its admins, naming the project.
    # The chat's form for browsers without JavaScript: the socket's limit, per person.
    "chat_form": env.str("RATE_LIMIT_CHAT_FORM", default="10/10s"),
    # Messages in the private conversations of partner searches notify the other organization.
    "opportunities_message": env.str("RATE_LIMIT_OPPORTUNITIES_MESSAGE", default="30/h"),
    "project_invite_per_person": env.str("RATE_LIMIT_PROJECT_INVITE_PER_PERSON", default="30/h"),
    "project_invite_per_project": env.str("RATE_LIMIT_PROJECT_INVITE_PER_PROJECT", default="30/h"),
    "project_invite_per_organization": env.str(
        "RATE_LIMIT_PROJECT_INVITE_PER_ORGANIZATION", default="5/d"
    ),
}

# --- Permissions (django-guardian) ----------------------------------------------------------
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("ca", "Català")]
# Editors translate pages in the admin (wagtail.contrib.simple_translation); each locale's tree
# is served under its prefix (/es/…, /ca/…), the default language's without one.
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Madrid"
# English dates day first (cluster/formats/en), like the Spanish and Catalan ones.
FORMAT_MODULE_PATH = ["cluster.formats"]
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads (logos, photos, images, documents) go to MEDIA_ROOT, or with MEDIA_STORAGE=s3 to an
# S3-compatible bucket (django-storages). The bucket stays private: every URL the portal
# writes is signed and expires (MEDIA_S3_QUERYSTRING_AUTH), because project documents are
# among the files; the team's downloads still go through the permission check.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "filesystem":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("MEDIA_S3_BUCKET"),
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "custom_domain": env.str("MEDIA_S3_CUSTOM_DOMAIN", default="") or None,
            "location": env.str("MEDIA_S3_PREFIX", default=""),
            "querystring_auth": env.bool("MEDIA_S3_QUERYSTRING_AUTH", default=True),
            "querystring_expire": env.int("MEDIA_S3_QUERYSTRING_EXPIRE", default=3600),
            "default_acl": None,
            "file_overwrite": False,
        },
    }
    # The origin the files are served from, for the Content-Security-Policy below.
    _options = _media_storage["OPTIONS"]
    if _options["custom_domain"]:
        MEDIA_URL = f"https://{_options['custom_domain']}/"
    elif _options["endpoint_url"]:
        MEDIA_URL = _options["endpoint_url"].rstrip("/") + "/"
    else:
        MEDIA_URL = f"https://{_options['bucket_name']}.s3.amazonaws.com/"
else:
    raise environ.ImproperlyConfigured(
        f"MEDIA_STORAGE must be 'filesystem' or 's3', not {MEDIA_STORAGE!r}."
    )
STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Behind nginx, a team member's download of a project document is sent by nginx from this
# internal location once the portal has said yes (deploy/nginx/cluster.conf). Filesystem
# storage only: a bucket's files stream through the portal instead.
WORKSPACE_X_ACCEL_REDIRECT = env.str("WORKSPACE_X_ACCEL_REDIRECT", default="")
if WORKSPACE_X_ACCEL_REDIRECT and MEDIA_STORAGE != "filesystem":
    raise environ.ImproperlyConfigured(
        "WORKSPACE_X_ACCEL_REDIRECT serves files from MEDIA_ROOT: leave it empty with"
        " MEDIA_STORAGE=s3."
    )
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Social Cluster"


def _served_base_url():
    """Where ``scripts/run`` serves the portal (``HOST``, ``PORT``, as daphne is started):
    the base of every absolute link (e-mails, digests, unsubscribe) when
    ``WAGTAILADMIN_BASE_URL`` is not set. A wildcard bind address is reached as 127.0.0.1."""
    from django.core.exceptions import ImproperlyConfigured

    host = env.str("HOST", default="") or "127.0.0.1"
    if host in {"0.0.0.0", "::", "[::]"}:
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    port = env.str("PORT", default="") or "8000"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ImproperlyConfigured(f"PORT must be a port number (1-65535), not {port!r}.")
    return f"http://{host}:{int(port)}"


WAGTAILADMIN_BASE_URL = (
    env.str("WAGTAILADMIN_BASE_URL", default="") or _served_base_url()
).rstrip("/")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Accent- and case-insensitive full text, made by sitesearch's migration (SQLite's FTS5
    # tokenizer already folds both). After changing it: python manage.py update_index.
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "cluster_unaccent"
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Formats judged by content; SVG (scripts), HEIC and AVIF are refused. Every upload is
# re-encoded without EXIF by core.uploads.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.wagtail_images.SafeImageForm"
WAGTAIL_MODERATION_ENABLED = True
TAGGIT_CASE_INSENSITIVE = True


# --- Content Security Policy (django-csp; cluster/csp.py adds the websocket origin) ------
def _origin(url):
    """The scheme://host of an absolute URL setting (a CDN, S3), or None for a local path."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


_asset_origins = [o for o in {_origin(STATIC_URL), _origin(MEDIA_URL)} if o]
# Video embeds in StreamField bodies (wagtail.embeds) are iframes from these providers.
CSP_FRAME_SOURCES = env.list(
    "CSP_FRAME_SOURCES",
    default=[
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, *_asset_origins],
        "style-src": [SELF, *_asset_origins],
        "img-src": [SELF, "data:", *_asset_origins],
        "media-src": [SELF, *_asset_origins],
        "font-src": [SELF, *_asset_origins],
        "connect-src": [SELF],
        "frame-src": [SELF, *CSP_FRAME_SOURCES],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Wagtail's admin (measured by tests/e2e/test_csp.py): its rich-text editor injects <style>
# elements, its live preview is a same-origin frame and upload previews are blob: URLs.
CSP_ADMIN_PREFIXES = ("/admin/",)
CSP_ADMIN_REPLACE = {
    "style-src": [SELF, UNSAFE_INLINE, *_asset_origins],
    "img-src": [SELF, "data:", "blob:", *_asset_origins],
    "frame-ancestors": [SELF],
}
# The admin's "new version" check fetches releases.wagtail.org from every editor's browser.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Avatars from gravatar.com would send a hash of every editor's e-mail to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Chat -----------------------------------------------------------------------------------
CHAT_RATE_LIMIT_COUNT = env.int("CHAT_RATE_LIMIT_COUNT", default=10)
CHAT_RATE_LIMIT_SECONDS = env.int("CHAT_RATE_LIMIT_SECONDS", default=10)
CHAT_EDIT_WINDOW_SECONDS = env.int("CHAT_EDIT_WINDOW_SECONDS", default=15 * 60)
# Presence: each socket refreshes its entry every HEARTBEAT seconds; an entry not refreshed
# for TTL seconds (a killed process) no longer counts as online.
CHAT_PRESENCE_HEARTBEAT_SECONDS = env.float("CHAT_PRESENCE_HEARTBEAT_SECONDS", default=20)
CHAT_PRESENCE_TTL_SECONDS = env.float("CHAT_PRESENCE_TTL_SECONDS", default=60)
# Presence frames of a room are sent at most once per this many seconds by each process (the
# latest full list; the first change after a quiet spell at once): a join storm costs a few
# frames, not one growing list per join to every member.
CHAT_PRESENCE_COALESCE_SECONDS = env.float("CHAT_PRESENCE_COALESCE_SECONDS", default=0.2)
# People joining a room within this many seconds of each other share one read of its latest
# messages in each process (kept only while no message of the room changes; 0: never).
CHAT_HELLO_KEEP_SECONDS = env.float("CHAT_HELLO_KEEP_SECONDS", default=2)
# Presence and rate-limit calls share a bounded pool of Redis connections per process; a call
# waits this long for a free one before it counts as Redis being unavailable.
CHAT_REDIS_MAX_CONNECTIONS = env.int("CHAT_REDIS_MAX_CONNECTIONS", default=20)
CHAT_REDIS_POOL_TIMEOUT = env.float("CHAT_REDIS_POOL_TIMEOUT", default=2)

# --- Server process --------------------------------------------------------------------------
# The ASGI application freezes the objects made at start-up out of the garbage collector's
# walks and raises its thresholds (cluster/gc_tuning.py): full collections of a loaded process
# were 100 ms pauses. GC_THRESHOLDS: Python's (gen0,gen1,gen2), empty for Python's 700,10,10.
GC_FREEZE_AFTER_STARTUP = env.bool("GC_FREEZE_AFTER_STARTUP", default=True)
GC_THRESHOLDS = env.str("GC_THRESHOLDS", default="10000,20,20")

# --- Health ---------------------------------------------------------------------------------
# Operators (monitoring) see /healthz's details with "Authorization: Bearer <this token>";
# staff members signed in see them too. Everyone else gets the status alone.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "daphne": {"level": "WARNING"},
        "django.channels.server": {"level": "WARNING"},
        # Two lines per background task (RUNNING, SUCCESSFUL): only failures unless asked.
        "django_tasks": {"level": env.str("DJANGO_TASKS_LOG_LEVEL", default="WARNING")},
    },
}
