from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("tracker.api.urls", namespace="api")),
    path("", include("tracker.pages.urls")),
]

handler500 = "tracker.ops.errors.server_error"
