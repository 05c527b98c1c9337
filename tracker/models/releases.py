"""A published cycle's release: the record as it stood when the cycle was published,
as files with their checksums (docs/domain.md "Publication"). Written once by
`tracker.ops.releases.publish`, never changed."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ratings.models import Cycle


class ChecksumMismatch(Exception):
    """A release file no longer matches the checksum it was published with."""


class Release(models.Model):
    cycle = models.OneToOneField(Cycle, on_delete=models.PROTECT, related_name="release", verbose_name=_("cycle"))
    created_at = models.DateTimeField(_("published at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("published by"), db_index=False,
    )
    #: [{"name": "projects.csv", "path": storage path, "sha256": …, "size": …}], the archive last.
    files = models.JSONField(_("files"), default=list)
    #: Figures of the release (projects, evidence, statuses at the end of the cycle…).
    counts = models.JSONField(_("counts"), default=dict)
    #: Changes since the previous release (new projects, status moves, resolved, scores).
    changes = models.JSONField(_("changes since the previous release"), default=dict)
    #: What the next release compares with: {"statuses": {reference: status}, "scores": {iso: score}}.
    snapshot = models.JSONField(_("snapshot"), default=dict)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-cycle__number"]

    def __str__(self):
        return self.cycle.numeral

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A release never changes once published."))
        super().save(*args, **kwargs)

    def citation(self):
        """How to cite this release: a line in Russian, one in English, a BibTeX entry."""
        cycle = self.cycle
        released = self.created_at.date()
        year = (cycle.published_on or released).year
        ru_date = f"{cycle.published_on:%d.%m.%Y}" if cycle.published_on else "дата публикации не указана"
        en_date = f"{cycle.published_on:%Y-%m-%d}" if cycle.published_on else "publication date not given"
        return {
            "ru": f"Трекер исполнения проектов регионов России с Китаем. Выпуск {cycle.numeral} "
                  f"(цикл {cycle.numeral}), опубликован: {ru_date}; файлы выпуска от {released:%d.%m.%Y}.",
            "en": f"Follow-up tracker of Russian regions' projects with China. Release {cycle.numeral} "
                  f"(cycle {cycle.numeral}), published: {en_date}; release files of {released:%Y-%m-%d}.",
            "bibtex": (
                f"@misc{{followup_tracker_{cycle.numeral.lower()},\n"
                f"  title = {{Follow-up tracker, release {cycle.numeral}}},\n"
                f"  year = {{{year}}},\n"
                f"  note = {{Cycle {cycle.numeral}, {en_date}; release files of {released:%Y-%m-%d}}}\n}}"
            ),
        }

    def file(self, name):
        for item in self.files:
            if item["name"] == name:
                return item
        return None

    @property
    def archive(self):
        return self.files[-1] if self.files else None

    #: Records whose corrections after publication are errata, and the field naming their cycle.
    ERRATA_MODELS = {"tracker.Evidence": "cycle_id", "tracker.StatusChange": "cycle_id", "ratings.Rating": "cycle_id"}

    def errata(self, limit=200):
        """Corrections made after publication to the record this release holds (from the
        audit trail): evidence, status changes and ratings of its cycle or earlier ones,
        and the cycle itself; latest first."""
        from audit.models import AuditEntry

        cycles = {str(pk) for pk in Cycle.objects.filter(number__lte=self.cycle.number).values_list("pk", flat=True)}
        later = AuditEntry.objects.filter(at__gt=self.created_at).order_by("-at", "-id")
        found = []
        for entry in later.filter(model__in=list(self.ERRATA_MODELS)).iterator():
            values = entry.changes.get("cycle_id")
            if values is None:
                values = [_current_cycle(entry)]
            if any(str(v) in cycles for v in values if v is not None):
                found.append(entry)
                if len(found) >= limit:
                    break
        cycle_entries = later.filter(model="ratings.Cycle", object_id=str(self.cycle_id))
        return sorted([*found, *cycle_entries[:limit]], key=lambda e: e.at, reverse=True)[:limit]

    def read_verified(self, name):
        """The bytes of file `name`, checked against its published checksum; raises
        ChecksumMismatch (never returns altered content) or KeyError."""
        item = self.file(name)
        if item is None:
            raise KeyError(name)
        try:
            with default_storage.open(item["path"], "rb") as handle:
                content = handle.read()
        except OSError as error:  # gone from the storage (e.g. a database restored without them)
            raise ChecksumMismatch(name) from error
        if hashlib.sha256(content).hexdigest() != item["sha256"]:
            raise ChecksumMismatch(name)
        return content


def _current_cycle(entry):
    from django.apps import apps

    model = apps.get_model(entry.model)
    return model._base_manager.filter(pk=entry.object_id).values_list("cycle_id", flat=True).first()
