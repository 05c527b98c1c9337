"""A published cycle is locked: its ratings, evidence and status changes change only by a
superuser (or by the system: commands and seed loading, run by whoever runs the server)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audit.context import current_user


def is_locked_for(cycle, user):
    return bool(cycle and cycle.is_published and user is not None and not user.is_superuser)


def ensure_unlocked(cycle, user=None):
    user = current_user() if user is None else user
    if is_locked_for(cycle, user):
        raise ValidationError(
            _("Cycle %(cycle)s is published and locked: only a superuser can change its records.")
            % {"cycle": cycle.numeral}
        )


class LockedCycleMixin:
    """For models with a `cycle`: refuse saving or deleting in a locked cycle (checked
    against the cycle the record is in now and the one it was in before)."""

    def _cycles_touched(self):
        cycles = [self.cycle] if self.cycle_id else []
        if not self._state.adding and self.pk is not None:
            old = type(self)._base_manager.filter(pk=self.pk).values_list("cycle_id", flat=True).first()
            if old and old != self.cycle_id:
                from ratings.models import Cycle

                cycles.append(Cycle.objects.get(pk=old))
        return cycles

    def ensure_editable(self):
        for cycle in self._cycles_touched():
            ensure_unlocked(cycle)

    def delete(self, *args, **kwargs):
        if self.cycle_id:
            ensure_unlocked(self.cycle)
        return super().delete(*args, **kwargs)


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
        from .locks import is_locked_for

        return obj is not None and is_locked_for(obj.cycle, request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._locked(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._locked(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from django.contrib import messages

        obj = self.get_object(request, object_id)
        if obj is not None and obj.cycle.is_published:
            if self._locked(request, obj):
                text = _("Cycle %(cycle)s is published and locked: this record is read-only.")
            else:
                text = _("Cycle %(cycle)s is published and locked; as a superuser you can still change it.")
            messages.warning(request, text % {"cycle": obj.cycle.numeral})
        return super().change_view(request, object_id, form_url, extra_context)
