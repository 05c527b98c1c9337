from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import Audited
from ratings.languages import reader_text
from ratings.locks import ensure_unlocked
from ratings.models import Cycle, choice_values

from .evidence import Evidence
from .projects import Project, ProjectStatus, StatusBasis


class StatusChange(Audited):
    """An editor's verdict that from a date in a cycle on, the project's status is X.

    Appended through `tracker.status.history.append_status_change`, never edited in place.
    """

    Basis = StatusBasis

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("project"),
        db_index=False,  # covered by statuschange_history_idx
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="status_changes", verbose_name=_("cycle"),
        # Index: changes recorded in one cycle (worklist, scoring facts); PROTECT check.
    )
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus.choices)
    effective_on = models.DateField(
        _("effective date"),
        null=True,
        blank=True,
        help_text=_("Empty: from the start of the cycle."),
    )
    evidence = models.ForeignKey(
        Evidence,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_changes",
        verbose_name=_("evidence"),
        # Index: PROTECT check when evidence is deleted (`evidence_id = …`).
    )
    basis = models.CharField(
        _("basis"),
        max_length=10,
        choices=Basis.choices,
        default=Basis.STATED,
        help_text=_("How we know: the source says so, inferred from silence, or the editors' reading of indirect evidence."),
    )
    public_note_ru = models.TextField(_("public note (Russian)"), blank=True)
    public_note_en = models.TextField(_("public note (English)"), blank=True)
    note = models.TextField(
        _("editors' note"), blank=True, help_text=_("Remarks on data entry; never shown on public pages.")
    )
    is_initial = models.BooleanField(_("initial"), default=False, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,  # never filtered on
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        permissions = [("import_statuschange", "Can import status changes from spreadsheets")]
        ordering = ["project", "cycle__number", "-is_initial", models.F("effective_on").asc(nulls_first=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=choice_values(ProjectStatus)),
                name="status_change_status_valid",
            ),
            # Index: moving a project's initial change (`project_id = … AND is_initial`).
            models.UniqueConstraint(
                fields=["project"], condition=Q(is_initial=True), name="one_initial_status_change"
            ),
            models.CheckConstraint(
                condition=Q(basis__in=choice_values(StatusBasis)), name="status_change_basis_valid"
            ),
            models.CheckConstraint(
                condition=Q(is_initial=False) | Q(status=ProjectStatus.ANNOUNCED),
                name="initial_status_change_is_announced",
            ),
            # "status_change_effective_in_cycle" spans two tables; a trigger holds it
            # (migration tracker 0002).
        ]
        indexes = [
            # A project's history (`project_id IN (…)`) read to rebuild its status path, the
            # project page's timeline, `sync_status_paths --check`.
            models.Index(fields=["project", "cycle", "effective_on"], name="statuschange_history_idx"),
        ]

    def __str__(self):
        return f"{self.project.reference} {self.cycle}: {self.get_status_display()}"

    @staticmethod
    def latest_first():
        """Order of a project's history, latest first (docs/domain.md "Status history": ties by later date, then later record; the initial change earliest in its cycle).

        A change without an effective date counts from the start of its cycle.
        """
        return ["-cycle__number", "is_initial", models.F("effective_on").desc(nulls_last=True), "-id"]

    @property
    def public_note(self):
        return reader_text(self, "public_note_ru", "public_note_en")

    def clean(self):
        if self.effective_on and self.cycle_id and not self.cycle.contains(self.effective_on):
            raise ValidationError(
                {
                    "effective_on": _(
                        "The effective date %(date)s is outside cycle %(cycle)s (%(start)s – %(end)s)."
                    )
                    % {
                        "date": self.effective_on.isoformat(),
                        "cycle": self.cycle.numeral,
                        "start": self.cycle.period_start or "…",
                        "end": self.cycle.period_end or "…",
                    }
                }
            )
        if self.cycle_id:
            ensure_unlocked(self.cycle)
        if self.evidence_id and self.project_id and self.evidence.project_id != self.project_id:
            raise ValidationError({"evidence": _("The evidence belongs to another project.")})
        if self.project_id and self.cycle_id:
            first = self.project.first_cycle
            if self.cycle.number < first.number:
                raise ValidationError(
                    {
                        "cycle": _("The project was first reported in cycle %(cycle)s.")
                        % {"cycle": first.numeral}
                    }
                )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Status changes are appended, never edited in place."))
        super().save(*args, **kwargs)
