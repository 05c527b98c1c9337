"""Requests per minute and client (README "API"): anonymous clients are counted by their
address — the one login throttling uses, never a client-sent X-Forwarded-For —, signed-in
users by account; the counts live in the default cache. Past the rate a request gets 429
with Retry-After and a message saying when to try again, in the reader's language."""

import math

from django.conf import settings
from django.utils.translation import ngettext
from rest_framework.exceptions import Throttled
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from tracker.clients import client_address


class PerMinute:
    """The rate from the tracker's setting `setting`, read on each request (so a changed
    setting takes effect at once, in tests too)."""

    setting = ""

    def get_rate(self):
        return f"{getattr(settings, self.setting)}/minute"

    def get_ident(self, request):
        return client_address(request)


class AnonThrottle(PerMinute, AnonRateThrottle):
    setting = "TRACKER_API_ANON_PER_MINUTE"


class UserThrottle(PerMinute, UserRateThrottle):
    """Signed-in users only; anonymous clients are AnonThrottle's."""

    setting = "TRACKER_API_USER_PER_MINUTE"

    def get_cache_key(self, request, view):
        return super().get_cache_key(request, view) if request.user.is_authenticated else None


class TooManyRequests(Throttled):
    """The 429: Retry-After (whole seconds, at least one) and the same in words."""

    def __init__(self, wait):
        seconds = max(1, math.ceil(wait)) if wait is not None else 60
        detail = ngettext(
            "You have sent too many requests. Try again in %(seconds)d second.",
            "You have sent too many requests. Try again in %(seconds)d seconds.",
            seconds,
        ) % {"seconds": seconds}
        super().__init__(detail=detail)
        self.wait = seconds
