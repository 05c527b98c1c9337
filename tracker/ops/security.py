"""Response headers the security middleware does not set, and login throttling."""

import hashlib

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _


class ContentSecurityPolicyMiddleware:
    """CONTENT_SECURITY_POLICY on every response. The admin's export page carries an
    inline event handler (django-import-export's field toggle), so admin pages also allow
    inline script; the researchers' pages do not."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("admin:index")

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if request.path.startswith(self.admin_prefix):
            policy = policy.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        response.setdefault("Content-Security-Policy", policy)
        return response


def client_address(request):
    """The client's address: the socket peer, or — behind TRUSTED_PROXY_COUNT proxies —
    the address the outermost trusted proxy saw. Entries a client adds to
    X-Forwarded-For itself are never trusted."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return remote


def _keys(request, username):
    keys = [f"login-failures:addr:{client_address(request)}"]
    if username:
        digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()
        keys.append(f"login-failures:user:{digest}")
    return keys


def is_throttled(request, username):
    limit = settings.TRACKER_LOGIN_MAX_FAILURES
    return any((cache.get(key) or 0) >= limit for key in _keys(request, username))


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    for key in _keys(request, credentials.get("username", "")):
        if not cache.add(key, 1, settings.TRACKER_LOGIN_COOLOFF_SECONDS):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, settings.TRACKER_LOGIN_COOLOFF_SECONDS)


@receiver(user_logged_in)
def forget_failures(sender, request, user, **kwargs):
    if request is not None:
        cache.delete_many(_keys(request, user.get_username()))


class LoginThrottleMiddleware:
    """Answers 429 to login attempts for an account or from an address that failed too
    often, until the cool-off period has passed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == reverse("admin:login"):
            if is_throttled(request, request.POST.get("username", "")):
                minutes = max(settings.TRACKER_LOGIN_COOLOFF_SECONDS // 60, 1)
                message = _(
                    "Too many failed logins. Try again in %(minutes)s minutes."
                ) % {"minutes": minutes}
                response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
                response["Retry-After"] = str(settings.TRACKER_LOGIN_COOLOFF_SECONDS)
                return response
        return self.get_response(request)
