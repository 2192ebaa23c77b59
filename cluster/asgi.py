"""ASGI entry point: HTTP to Django, websockets through the session-authenticated router."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cluster.settings.dev")

# Django must be set up before anything imports models (the websocket routes do).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from chat.origin import SiteOriginValidator  # noqa: E402
from cluster.gc_tuning import tune_after_startup  # noqa: E402
from cluster.routing import websocket_urlpatterns  # noqa: E402
from core.dbthreads import AuthMiddlewareStack  # noqa: E402
from core.pagecache import PageCacheASGI  # noqa: E402

application = ProtocolTypeRouter(
    {
        # Anonymous page cache hits are answered before Django's request machinery.
        "http": PageCacheASGI(django_asgi_app),
        # Only pages of this site (scheme, host and port) may open a websocket.
        "websocket": SiteOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# Everything made so far lives as long as the process: out of the collector's way.
tune_after_startup(freeze=settings.GC_FREEZE_AFTER_STARTUP, thresholds=settings.GC_THRESHOLDS)
