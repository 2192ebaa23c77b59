"""Fixed-window rate limits kept in Django's cache, so every process shares them.

With ``REDIS_URL`` set the cache is Redis and a limit holds across all daphne processes and
machines; without it the local-memory cache limits one process (development only).

Sign-in, sign-up and password reset use allauth's own limits (``ACCOUNT_RATE_LIMITS``); this
module is for our own doors, e.g. invitation acceptance::

    from core.ratelimit import ratelimit

    @ratelimit("invitation_accept")            # rate from settings.CLUSTER_RATE_LIMITS
    def invitation_accept(request, token): ...

Rates are written like allauth's: ``"10/h"`` (10 per hour), ``"5/15m"``, ``"3/30s"``, ``"50/d"``.
"""

import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate):
    """``"10/5m"`` → ``(10, 300)``: at most 10 hits per 300-second window."""
    amount, _sep, duration = rate.partition("/")
    unit = duration[-1:]
    if not amount.isdigit() or unit not in UNITS:
        raise ValueError(f"Invalid rate {rate!r}: expected e.g. '10/h' or '5/15m'.")
    multiplier = duration[:-1]
    return int(amount), (int(multiplier) if multiplier else 1) * UNITS[unit]


def ratelimit_hit(key, limit, period, *, now=None):
    """Count one hit for ``key``; return True when it goes over ``limit`` in this window.

    True means "refuse": the caller answers 429. Windows are fixed (they start at multiples of
    ``period`` seconds since the epoch), so a client can at worst make ``2 × limit`` hits
    across a window boundary; that is the price of one atomic INCR per hit.

    If the cache is unreachable the hit is allowed (and logged): a broken Redis must not lock
    everybody out of the portal.
    """
    now = time.time() if now is None else now
    window = int(now // period)
    cache_key = f"ratelimit:{key}:{period}:{window}"
    try:
        # add() is a no-op when the key exists; incr() is atomic on Redis and locmem alike.
        cache.add(cache_key, 0, timeout=period + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.set(cache_key, 1, timeout=period + 1)
            count = 1
    except Exception:  # noqa: BLE001 - any cache failure: fail open, loudly
        logger.warning("rate limit cache unavailable; allowing %s", key, exc_info=True)
        return False
    return count > limit


def ratelimit_many(limits, *, now=None):
    """Count one action against several limits at once; None if all allow it.

    ``limits`` is a list of ``(scope, identity)``: the rate of each is
    ``settings.CLUSTER_RATE_LIMITS[scope]`` and ``identity`` says whose counter it is (a
    person, an organization, a recipient's address). For actions limited along several axes,
    e.g. an invitation: per person, per organization and per recipient. Every counter is
    counted; when any is over, the answer is the seconds until the longest refusal ends
    (for a ``Retry-After``), and the caller changes nothing.
    """
    now = time.time() if now is None else now
    retry_after = None
    for scope, identity in limits:
        limit, period = parse_rate(settings.CLUSTER_RATE_LIMITS[scope])
        if ratelimit_hit(f"{scope}:{identity}", limit, period, now=now):
            wait = seconds_until_next_window(period, now=now)
            retry_after = max(retry_after or 0, wait)
    return retry_after


def backoff_wait(key, *, now=None):
    """Seconds the holder of ``key`` must still wait before trying again (0: go ahead)."""
    now = time.time() if now is None else now
    try:
        until = cache.get(f"backoff:{key}:until")
    except Exception:  # noqa: BLE001 - any cache failure: fail open, loudly
        logger.warning("rate limit cache unavailable; no delay for %s", key, exc_info=True)
        return 0
    return max(0, int(until - now + 0.999)) if until else 0


def backoff_failure(key, *, free, base, cap, window, now=None):
    """Record one failure for ``key``; return the delay (seconds) it now has to wait.

    Growing delays instead of a lockout: the first ``free`` failures in ``window`` seconds
    cost nothing, each later one doubles the wait (``base``, 2 × ``base``, 4 × ``base``…) up to
    ``cap``. The count is forgotten ``window`` seconds after the first failure.
    """
    now = time.time() if now is None else now
    count_key = f"backoff:{key}:count"
    try:
        cache.add(count_key, 0, timeout=window)
        try:
            count = cache.incr(count_key)
        except ValueError:  # expired between add() and incr()
            cache.set(count_key, 1, timeout=window)
            count = 1
        if count < free:
            return 0
        delay = min(cap, base * 2 ** (count - free))
        cache.set(f"backoff:{key}:until", now + delay, timeout=int(delay) + 1)
    except Exception:  # noqa: BLE001
        logger.warning("rate limit cache unavailable; not counting %s", key, exc_info=True)
        return 0
    return delay


def backoff_reset(key):
    """Forget ``key``'s failures (after a success)."""
    try:
        cache.delete_many([f"backoff:{key}:count", f"backoff:{key}:until"])
    except Exception:  # noqa: BLE001
        logger.warning("rate limit cache unavailable; %s not reset", key, exc_info=True)


def seconds_until_next_window(period, *, now=None):
    now = time.time() if now is None else now
    return int(period - now % period) + 1


def client_ip(request):
    """The client's address as allauth sees it (``ALLAUTH_TRUSTED_PROXY_COUNT`` behind a proxy)."""
    from allauth.account.adapter import get_adapter

    return get_adapter().get_client_ip(request)


def ratelimited_response(request, *, retry_after=None, detail=None):
    """The 429 page (``templates/429.html``, also used by allauth) with a clear message."""
    response = render(
        request,
        "429.html",
        {
            "detail": detail
            or _("You have tried this too many times in a short while. Please wait and try again.")
        },
        status=429,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _identity(request, key):
    if callable(key):
        return str(key(request))
    if key == "user" and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{client_ip(request)}"


def ratelimit(scope, *, rate=None, key="ip", methods=("POST",), message=None):
    """Decorate a view so each client gets at most ``rate`` requests per window in ``scope``.

    ``rate`` defaults to ``settings.CLUSTER_RATE_LIMITS[scope]`` (read on every request, so a
    deployment or a test can change it). ``key`` says who "a client" is: ``"ip"``, ``"user"``
    (the signed-in user, else the IP) or a function of the request returning a string.
    Only ``methods`` are counted: by default a GET that merely shows a form is free.
    ``message`` (a lazily translated string) says what was refused, instead of the generic one.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                limit, period = parse_rate(rate or settings.CLUSTER_RATE_LIMITS[scope])
                if ratelimit_hit(f"{scope}:{_identity(request, key)}", limit, period):
                    return ratelimited_response(
                        request,
                        retry_after=seconds_until_next_window(period),
                        detail=str(message) if message else None,
                    )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
