"""Who is asking: the client's address, for login throttling (tracker/ops/security.py) and
for the public pages' per-client limit (tracker/pages/limits.py)."""

import ipaddress

from django.conf import settings


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
