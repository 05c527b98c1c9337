"""The published-cycle lock in the admin (the rule itself: ratings/locks.py)."""

from django.contrib import messages
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from ratings.locks import ensure_unlocked, is_locked_for, lock_message


class LockedCycleFormMixin:
    """Admin forms: a changed record in a locked cycle is a form error, not a crash."""

    def clean(self):
        cleaned = super().clean()
        if self.has_changed():
            cycles = {cleaned.get("cycle"), getattr(self.instance, "cycle", None) if self.instance.pk else None}
            for cycle in filter(None, cycles):
                ensure_unlocked(cycle)
        return cleaned


class LockedCycleFormSet(BaseInlineFormSet):
    """Inline rows: deleting one of a locked cycle is the formset's error, with the lock's
    message (Django does not validate the rows it is asked to delete)."""

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk is not None:
                form.instance.ensure_deletable()


class LockedCycleAdminMixin:
    """Records of a locked cycle open read-only and cannot be deleted (but by superusers)."""

    def cycle_of(self, obj):
        """The cycle whose lock covers `obj`."""
        return obj.cycle

    def _locked(self, request, obj):
        return obj is not None and is_locked_for(self.cycle_of(obj), request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        cycle = self.cycle_of(obj) if obj is not None else None
        if cycle is not None and cycle.is_published:
            if self._locked(request, obj):
                messages.warning(request, lock_message(cycle))
            else:
                text = _("Cycle %(cycle)s is published and locked; as a superuser you can still change it.")
                messages.warning(request, text % {"cycle": cycle.numeral})
        return super().change_view(request, object_id, form_url, extra_context)
