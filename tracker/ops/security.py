"""What the tracker adds around django-axes' login throttling (see "Login throttling" in
config/settings.py): the client's address, a success that forgets only its own account, and
the 429 answer."""

import ipaddress
import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.translation import gettext as _


def _is_address(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_address(request):
    """The client's address: the socket peer, or — behind TRUSTED_PROXY_COUNT proxies —
    the address the outermost trusted proxy saw. Entries a client adds to
    X-Forwarded-For itself are never trusted, and a hop that is not an address falls
    back to the socket peer (axes stores addresses in an address column)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies and _is_address(hops[-proxies]):
            return hops[-proxies]
    return remote


@receiver(user_logged_in, dispatch_uid="tracker_forget_login_failures")
def forget_the_accounts_failures(sender, request, user, **kwargs):
    """A success proves the password of this account only: its failures (from any
    address) are forgotten, other accounts' failures from the same address still count."""
    AxesProxyHandler.reset_attempts(username=user.get_username())


def lockout_response(request, original_response=None, credentials=None):
    """HTTP 429 in the reader's language, with Retry-After: axes restarts the cool-off
    with every refused attempt, so the whole period is the longest the client waits."""
    seconds = int(get_cool_off(request).total_seconds())
    message = _("Too many failed logins. Try again in %(minutes)s minutes.") % {
        "minutes": max(math.ceil(seconds / 60), 1)
    }
    response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(seconds)
    return response
