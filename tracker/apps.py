from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Follow-up tracker")

    def ready(self):
        from .ops import security  # noqa: F401 (a login success forgets its account's failures)
        from .ops.sqlite import install_search_words, install_unicode_like
        from .pages import cache

        cache.connect()

        connection_created.connect(install_unicode_like, dispatch_uid="tracker_unicode_like")
        connection_created.connect(install_search_words, dispatch_uid="tracker_search_words")
