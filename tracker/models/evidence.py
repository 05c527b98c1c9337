from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.models import Audited
from ratings.languages import reader_text
from ratings.locks import LockedCycleMixin
from ratings.models import Cycle, choice_values

from .common import DatePrecision, check_precision, format_date, precision_constraint
from .projects import Project
from .sources import Source


class EvidenceKind(models.TextChoices):
    RESULT = "result", _("result")
    EFFORT = "effort", _("effort")
    FOLLOW_UP = "follow_up", _("follow-up")
    SETBACK = "setback", _("setback")
    CONTRADICTION = "contradiction", _("contradiction")


class InEdition(models.TextChoices):
    """Whether a row goes into its cycle's edition (README "The edition"): by the rule —
    results, follow-ups, setbacks and denials always; efforts too, except a region's
    efforts on new projects beyond TRACKER_EDITION_MAX_EFFORTS —, or by the editors' choice."""

    RULE = "", _("by the rule")
    YES = "yes", _("in the edition")
    NO = "no", _("left out of the edition")


class Evidence(LockedCycleMixin, Audited):
    """One dated, sourced observation about a project, recorded in a cycle."""

    Kind = EvidenceKind

    reference = models.CharField(
        _("reference"),
        max_length=30,
        blank=True,
        help_text=_("Optional stable key such as AMU-001-E1, used by spreadsheets."),
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("project"),
        db_index=False,  # covered by evidence_project_cycle_idx
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("cycle"),
        # Index: evidence of one cycle (admin filter, a region's facts for scoring); PROTECT check.
    )
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    precision = models.CharField(
        _("date precision"), max_length=10, choices=DatePrecision.choices, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    summary = models.TextField(_("summary (English)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("source"),
        # Index: evidence citing a source (admin filter); PROTECT check when a source is deleted.
    )
    locator = models.CharField(
        _("where in the source"),
        max_length=300,
        blank=True,
        help_text=_("Section, column or page."),
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=300,
        blank=True,
        help_text=_("Who makes the claim, e.g. “according to Reuters”."),
    )
    attribution_ru = models.CharField(
        _("attribution (Russian)"),
        max_length=300,
        blank=True,
        help_text=_("The same in Russian, e.g. «по данным Reuters»."),
    )
    in_edition = models.CharField(
        _("in the edition"), max_length=3, choices=InEdition.choices, blank=True, default=InEdition.RULE,
        db_default=InEdition.RULE,  # rows inserted in bulk by SQL take the rule too
        help_text=_("Whether the cycle's edition shows this row; by the rule unless chosen."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
        db_index=False,  # never filtered on; kept small for bulk imports
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = pgettext_lazy("plural", "evidence")
        permissions = [("import_evidence", "Can import evidence from spreadsheets")]
        ordering = ["project", "cycle__number", "occurred_on", "id"]
        constraints = [
            # Index: import rows keyed by evidence reference, status changes citing one.
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="evidence_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=choice_values(EvidenceKind)), name="evidence_kind_valid"
            ),
            precision_constraint("occurred_on", "precision", "evidence_date_precision"),
            models.CheckConstraint(
                condition=Q(in_edition__in=choice_values(InEdition)), name="evidence_in_edition_valid"
            ),
            models.CheckConstraint(
                condition=~Q(summary="", summary_ru=""),
                name="evidence_has_a_summary",
                violation_error_message=_("Give the summary in Russian, in English or both."),
            ),
        ]
        indexes = [
            # Follow-up figures of the unresolved report (`project_id = … AND cycle … ORDER BY
            # occurred_on`: last evidence, silent this cycle), a project page's timeline, the
            # "has evidence in cycle" filter (EXISTS per project).
            models.Index(fields=["project", "cycle", "occurred_on"], name="evidence_project_cycle_idx"),
        ]

    def __str__(self):
        return f"{self.project.reference} {self.cycle}: {self.get_kind_display()}"

    @property
    def date_display(self):
        return format_date(self.occurred_on, self.precision)

    LOCKED_FIELDS = ("cycle_id", "occurred_on", "precision", "kind", "summary", "summary_ru", "source_id", "locator", "attribution", "attribution_ru", "reference", "project_id", "in_edition")

    @property
    def summary_text(self):
        """The summary in the reader's language (docs/domain.md "Languages")."""
        return reader_text(self, "summary_ru", "summary")

    @property
    def attribution_text(self):
        return reader_text(self, "attribution_ru", "attribution")

    def clean(self):
        errors = check_precision(self.occurred_on, self.precision, "precision")
        if not (self.summary or "").strip() and not (self.summary_ru or "").strip():
            errors["summary_ru"] = _("Give the summary in Russian, in English or both.")
        if errors:
            raise ValidationError(errors)

