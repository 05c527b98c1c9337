"""The published-cycle lock: a published cycle's ratings, evidence and status changes —
and the cycle's own record — change only by a superuser or by the system (commands and
seed loading, run by whoever runs the server). Every door asks `ensure_unlocked` (or, in
bulk, `Cycle.objects.locked_for`); the message is `lock_message`."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from audit.context import current_user


def is_locked_for(cycle, user):
    return bool(cycle and cycle.is_published and user is not None and not user.is_superuser)


def lock_message(cycle):
    return _("Cycle %(cycle)s is published and locked: only a superuser can change its records.") % {
        "cycle": cycle.numeral
    }


def ensure_unlocked(cycle, user=None):
    user = current_user() if user is None else user
    if is_locked_for(cycle, user):
        raise ValidationError(lock_message(cycle))


def ensure_cycle_editable(cycle):
    """Saving `cycle` as it is now: refused when the stored cycle is published and it
    changed — for anyone but a superuser (the lock's message), and, when it would be
    unpublished, for anyone but the system: its release is public and never changes."""
    if cycle._state.adding or cycle.pk is None:
        return
    stored = type(cycle)._base_manager.filter(pk=cycle.pk, is_published=True).first()
    names = [f.attname for f in cycle._meta.concrete_fields]
    if stored is None or all(getattr(stored, n) == getattr(cycle, n) for n in names):
        return
    ensure_unlocked(stored)
    if not cycle.is_published and current_user() is not None:
        raise ValidationError(
            _("Cycle %(cycle)s stays published: its release is public and never changes. Correct its records instead; the corrections are listed as errata.")
            % {"cycle": stored.numeral}
        )


class LockedCycleMixin:
    """For models with a `cycle`: refuse saving (when a field in `LOCKED_FIELDS` changed)
    or deleting in a locked cycle, checked against the cycle the record is in now and the
    one it was in before."""

    #: Attribute names whose change the lock refuses.
    LOCKED_FIELDS = ()

    def _stored(self):
        if self._state.adding or self.pk is None:
            return None
        return type(self)._base_manager.filter(pk=self.pk).values(*self.LOCKED_FIELDS).first()

    def ensure_editable(self):
        stored = self._stored()
        if stored is not None and stored == {name: getattr(self, name) for name in self.LOCKED_FIELDS}:
            return
        cycle_ids = {self.cycle_id, stored and stored.get("cycle_id")} - {None}
        cycles = self._meta.get_field("cycle").related_model._base_manager
        for cycle in cycles.filter(pk__in=cycle_ids):
            ensure_unlocked(cycle)

    def save(self, *args, **kwargs):
        self.ensure_editable()
        super().save(*args, **kwargs)

    def ensure_deletable(self):
        """Refuse deleting a record whose cycle — as stored, or as set now — is locked."""
        stored = None if self.pk is None else type(self)._base_manager.filter(pk=self.pk).values_list("cycle_id", flat=True).first()
        cycles = self._meta.get_field("cycle").related_model._base_manager
        for cycle in cycles.filter(pk__in={self.cycle_id, stored} - {None}):
            ensure_unlocked(cycle)

    def delete(self, *args, **kwargs):
        self.ensure_deletable()
        return super().delete(*args, **kwargs)
