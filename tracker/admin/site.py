"""The admin site as the editors see it: without the side bar of every model, so lists
and forms keep the whole 1366-px width (the home page and the breadcrumbs lead wherever it
did); yes/no icons described in the interface's language (Django's read "True"/"False")."""

from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_noop, pgettext

admin.site.enable_nav_sidebar = False

ICONS = {True: "yes", False: "no", None: "unknown"}


def boolean_icon(value):
    """Django admin's yes/no/unknown icon, its text in words («да», «нет», «неизвестно»)."""
    word = {True: pgettext("boolean", "yes"), False: pgettext("boolean", "no"), None: pgettext("boolean", "unknown")}[value]
    return format_html('<img src="{}" alt="{}" title="{}">', static(f"admin/img/icon-{ICONS[value]}.svg"), word, word)


# Every list, read-only field and filter of the admin draws its yes/no icons through this
# one function of Django's (looked up at each call), so replacing it covers them all.
admin_list._boolean_icon = boolean_icon

#: Strings of Django and django-import-export that their own Russian catalogues lack,
#: listed so that the tracker's catalogue (which takes precedence) carries them.
LIBRARY_STRINGS = [
    gettext_noop("Select all"),
]
