"""Who may read the API (REST framework's DEFAULT_PERMISSION_CLASSES, so this module
imports nothing of the API's views)."""

from django.conf import settings
from rest_framework.permissions import BasePermission


class ReadersOnly(BasePermission):
    """Everyone reads, unless TRACKER_REQUIRE_LOGIN closes the site to all but signed-in users."""

    def has_permission(self, request, view):
        return not settings.TRACKER_REQUIRE_LOGIN or request.user.is_authenticated
