from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Follow-up tracker")

    def ready(self):
        from . import pagecache, security, signals  # noqa: F401 (connect their receivers)
        from .sqlite import install_unicode_like

        connection_created.connect(install_unicode_like, dispatch_uid="tracker_unicode_like")
