"""/api/v1/: the lists and records (a router), the OpenAPI schema and its Swagger UI, and a
JSON 404 for any other address."""

from django.urls import path, re_path
from django.utils.translation import gettext_lazy
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .base import PublicRecord
from .errors import no_such_address
from .views import Router, list_views

app_name = "api"


class Schema(PublicRecord, SpectacularAPIView):
    """The OpenAPI 3 schema (JSON with `?format=json`, else YAML)."""


class Docs(PublicRecord, SpectacularSwaggerSplitView):
    """Swagger UI from the app's own static files; its start-up script is a URL of its own
    (`?script`), so the page runs under the site's Content-Security-Policy."""

    url_name = "api:schema"
    title = gettext_lazy("Follow-up tracker API")


router = Router()
for prefix, viewset, basename in list_views():
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    *router.urls,
    path("schema/", Schema.as_view(), name="schema"),
    path("docs/", Docs.as_view(), name="docs"),
    # Only addresses that end in a slash, so that CommonMiddleware still adds a missing one.
    re_path(r"^(?P<path>.*/)$", no_such_address),
]
