"""The allauth adapter: failed sign-ins slow down the guesser, not the account's owner.

A fixed lockout per account lets anyone lock anyone out (five wrong passwords for someone
else's name), and one per address locks out everybody behind a shared one (an office, a
university, a mobile carrier). So failures are counted

- per account **and** address together: after ``free`` failures each further attempt from
  that address for that account waits a growing delay (2 s, 4 s, 8 s… up to 15 minutes). The
  owner signing in from anywhere else is not affected, nor are other people at that address;
- per account from every address, much more loosely (a botnet guessing one password): after
  many failures a short delay, capped at a minute, never a lockout;
- per address over every account, by allauth's own ``login_failed`` rate in
  ``ACCOUNT_RATE_LIMITS`` (generous, against one address trying thousands of accounts).

While a delay runs even the right password is refused (otherwise the delay would tell a
guesser when they are right); the message says how long to wait. A successful sign-in clears
that account-and-address pair. Settings: ``LOGIN_BACKOFF`` (see cluster/settings/base.py).
"""

import hashlib
import ipaddress

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext

from core.ratelimit import backoff_failure, backoff_reset, backoff_wait, client_ip


def _address(request):
    """The client's address; an IPv6 address stands for its /64 (one customer's network)."""
    ip = client_ip(request)
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if parsed.version == 6:
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False).network_address)
    return ip


def _account(credentials):
    login = credentials.get("email") or credentials.get("username") or ""
    return hashlib.sha256(login.strip().lower().encode()).hexdigest()[:32]


class PortalSite:
    """What allauth's e-mails call the site: the portal's name (not the host it was reached
    at, "127.0.0.1:8000"), and the request's host for links."""

    def __init__(self, request):
        self.name = gettext("Social Cluster")
        self.domain = request.get_host() if request is not None else ""

    def __str__(self):
        return self.name


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject):
        return f"[{gettext('Social Cluster')}] {subject}"

    def send_mail(self, template_prefix, email, context):
        from allauth.core import context as allauth_context

        context = {"current_site": PortalSite(allauth_context.request), **context}
        super().send_mail(template_prefix, email, context)

    def _backoff_keys(self, request, credentials):
        account = _account(credentials)
        return {
            "pair": f"login:pair:{account}:{_address(request)}",
            "account": f"login:account:{account}",
        }

    def pre_authenticate(self, request, **credentials):
        keys = self._backoff_keys(request, credentials)
        wait = max(backoff_wait(key) for key in keys.values())
        if wait:
            raise ValidationError(
                ngettext(
                    "Too many failed sign-in attempts. Wait %(seconds)d second and try again.",
                    "Too many failed sign-in attempts. Wait %(seconds)d seconds and try again.",
                    wait,
                )
                % {"seconds": wait},
                code="too_many_login_attempts",
            )
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            backoff_reset(self._backoff_keys(request, credentials)["pair"])
        return user

    def authentication_failed(self, request, **credentials):
        super().authentication_failed(request, **credentials)
        policy = settings.LOGIN_BACKOFF
        for name, key in self._backoff_keys(request, credentials).items():
            backoff_failure(key, **policy[name])
