"""The published-cycle lock in the admin (the rule itself: ratings/locks.py)."""

from django.contrib import messages
from django.utils.translation import gettext as _

from ratings.locks import ensure_unlocked, is_locked_for


class LockedCycleFormMixin:
    """Admin forms: a changed record in a locked cycle is a form error, not a crash."""

    def clean(self):
        cleaned = super().clean()
        if self.has_changed():
            cycles = {cleaned.get("cycle"), getattr(self.instance, "cycle", None) if self.instance.pk else None}
            for cycle in filter(None, cycles):
                ensure_unlocked(cycle)
        return cleaned


class LockedCycleAdminMixin:
    """Records of a locked cycle open read-only and cannot be deleted (but by superusers)."""

    def _locked(self, request, obj):
        return obj is not None and is_locked_for(obj.cycle, request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and obj.cycle.is_published:
            if self._locked(request, obj):
                text = _("Cycle %(cycle)s is published and locked: this record is read-only.")
            else:
                text = _("Cycle %(cycle)s is published and locked; as a superuser you can still change it.")
            messages.warning(request, text % {"cycle": obj.cycle.numeral})
        return super().change_view(request, object_id, form_url, extra_context)
