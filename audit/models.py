import datetime
import decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .context import current_source, current_user


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")


class AuditEntry(models.Model):
    """One change to one record, by any path: who, when, how, and the values before and
    after. Written by `Audited` models and by the bulk import; never edited."""

    # Defined beside the model so that its Meta constraint can name the values.
    Action = AuditAction

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("who"), db_index=False,  # never filtered on
    )
    source = models.CharField(_("through"), max_length=20)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    model = models.CharField(_("record type"), max_length=60)
    object_id = models.CharField(_("record id"), max_length=40)
    object_repr = models.CharField(_("record"), max_length=300)
    changes = models.JSONField(_("old and new values"), default=dict)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="audit_action_valid"
            )
        ]
        indexes = [
            # A record's history in the admin: entries for one model and object id.
            models.Index(fields=["model", "object_id", "at"], name="audit_record_idx"),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"


def plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, decimal.Decimal)):
        return str(value)
    return value


def snapshot(instance, attnames):
    return {name: plain(getattr(instance, name)) for name in attnames}


def audited_fields(model):
    return [
        f.attname for f in model._meta.concrete_fields
        if not f.primary_key and not getattr(f, "generated", False) and f.name not in ("updated_at", "version")
    ]


def entry(instance, action, changes):
    return AuditEntry(
        user=current_user(), source=current_source(), action=action,
        model=instance._meta.label, object_id=str(instance.pk), object_repr=str(instance)[:300],
        changes=changes,
    )


def diff(before, after):
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


class Audited(models.Model):
    """Records every save and delete of a model in the audit trail, in the same
    transaction as the change itself."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from django.db import transaction

        names = audited_fields(type(self))
        with transaction.atomic():
            adding = self._state.adding
            before = None
            if not adding and self.pk is not None:
                before = type(self)._base_manager.filter(pk=self.pk).values(*names).first()
            super().save(*args, **kwargs)
            after = snapshot(self, names)
            if before is None:
                created = {k: [None, v] for k, v in after.items() if v not in (None, "")}
                entry(self, AuditEntry.Action.CREATE, created).save()
            else:
                changes = diff({k: plain(v) for k, v in before.items()}, after)
                if changes:
                    entry(self, AuditEntry.Action.UPDATE, changes).save()

    def delete(self, *args, **kwargs):
        from django.db import transaction

        with transaction.atomic():
            before = snapshot(self, audited_fields(type(self)))
            record = entry(self, AuditEntry.Action.DELETE, {k: [v, None] for k, v in before.items()})
            result = super().delete(*args, **kwargs)
            record.save()
            return result
