"""The security headers on every response, whichever layer made it.

Django's SecurityMiddleware and XFrameOptionsMiddleware add them to what passes through
them; a response made outside them does not: static files (whitenoise answers before
the clickjacking middleware), a request refused for its Host header (400, raised inside
SecurityMiddleware itself when it redirects to HTTPS). This middleware, the outermost,
fills in whichever of them is missing, with the same settings.
"""

from django.conf import settings


def security_headers(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response

    return middleware
