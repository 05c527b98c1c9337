
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.models import Audited
from ratings.locks import LockedCycleMixin, ensure_unlocked
from ratings.models import Cycle, Region, choice_values

from . import paths
from .queries import ProjectQuerySet


class EditConflict(ValidationError):
    """A record was saved by someone else since it was read."""


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")


def precision_constraint(date_field, precision_field, name):
    """A precision is given exactly when its date is."""
    return models.CheckConstraint(
        condition=(
            Q(**{f"{date_field}__isnull": True, precision_field: ""})
            | Q(
                **{
                    f"{date_field}__isnull": False,
                    f"{precision_field}__in": choice_values(DatePrecision),
                }
            )
        ),
        name=name,
        violation_error_message=_(
            "Give a date precision (day, month, quarter or year) exactly when a date is given."
        ),
    )


def format_date(day, precision):
    """A date shown no more precisely than it is known: 2025, Q3 2025, 2025-07, 2025-07-14."""
    if day is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{day.year}"
    if precision == DatePrecision.QUARTER:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if precision == DatePrecision.MONTH:
        return f"{day.year}-{day.month:02d}"
    return day.isoformat()


def bilingual(obj, russian, english):
    if (get_language() or "ru").startswith("en") and getattr(obj, english):
        return getattr(obj, english)
    return getattr(obj, russian) or getattr(obj, english)


class OrganizationKind(models.TextChoices):
    COMPANY = "company", _("company")
    STATE_COMPANY = "state_company", _("state company")
    GOVERNMENT = "government", _("government or province")
    BANK_FUND = "bank_fund", _("bank or fund")
    UNIVERSITY = "university", _("university")
    OTHER = "other", _("other")


class Organization(Audited):
    """A partner: a company, a government or province, a bank, a university…"""

    Kind = OrganizationKind

    name = models.CharField(
        _("name"), max_length=300, help_text=_("As the sources write it (Russian or Latin).")
    )
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_("ISO 3166-1 alpha-2 code: CN, RU…; empty when the sources do not say."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        permissions = [("import_organization", "Can import organizations from spreadsheets")]
        ordering = ["name"]
        constraints = [
            # Index: import rows and the partner filter naming an organisation (`name = …`).
            models.UniqueConstraint(fields=["name"], name="organization_name_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=choice_values(OrganizationKind)), name="organization_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$"),
                name="organization_country_iso",
                violation_error_message=_("Country must be a two-letter code such as CN or RU."),
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("tracker:organization_detail", args=[self.pk])

    @property
    def display_name(self):
        return bilingual(self, "name", "name_en")


class SourceKind(models.TextChoices):
    OFFICIAL = "official", _("official")
    COMPANY = "company", _("company")
    MEDIA = "media", _("media")
    INTELLIGENCE_CLAIM = "intelligence_claim", _("intelligence claim")
    RATING_REPORT = "rating_report", _("rating report")
    OTHER = "other", _("other")


class SourceLanguage(models.TextChoices):
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    CHINESE = "zh", _("Chinese")
    OTHER = "other", _("other")


class Source(Audited):
    """Where evidence comes from."""

    Kind = SourceKind

    Language = SourceLanguage

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    publisher = models.CharField(_("publisher"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    published_on = models.DateField(_("date"), null=True, blank=True)
    published_precision = models.CharField(
        _("date precision"), max_length=10, choices=DatePrecision.choices, blank=True
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.RUSSIAN
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        permissions = [("import_source", "Can import sources from spreadsheets")]
        ordering = ["title"]
        constraints = [
            # Index: import rows naming a source by title (`title IN (…)`).
            models.UniqueConstraint(fields=["title"], name="source_title_unique"),
            # Index: import rows naming a source by URL (`url IN (…)`).
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="source_url_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=choice_values(SourceKind)), name="source_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(language__in=choice_values(SourceLanguage)), name="source_language_valid"
            ),
            precision_constraint("published_on", "published_precision", "source_date_precision"),
        ]

    def __str__(self):
        return self.title


class ProjectStatus(models.TextChoices):
    ANNOUNCED = "announced", _("announced")
    STALLED = "stalled", _("stalled")
    LAUNCHED = "launched", _("launched")
    DROPPED = "dropped", _("dropped")


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("agriculture")
    FOOD = "food", _("food industry")
    FORESTRY = "forestry", _("forestry and wood processing")
    MINING = "mining", _("mining")
    OIL_GAS = "oil_gas", _("oil and gas")
    CHEMICALS = "chemicals", _("chemicals")
    METALLURGY = "metallurgy", _("metallurgy")
    ENERGY = "energy", _("energy")
    AUTOMOTIVE = "automotive", _("automotive")
    MACHINERY = "machinery", _("machinery")
    ELECTRONICS = "electronics", _("electronics")
    CONSTRUCTION = "construction", _("construction")
    BUILDING_MATERIALS = "building_materials", _("building materials")
    TRANSPORT = "transport", _("transport")
    LOGISTICS = "logistics", _("logistics")
    TOURISM = "tourism", _("tourism")
    HEALTHCARE = "healthcare", _("healthcare")
    EDUCATION_SCIENCE = "education_science", _("education and science")
    FINANCE = "finance", _("finance")
    TRADE = "trade", _("trade")
    IT_TELECOM = "it_telecom", _("IT and telecom")
    DEFENSE = "defense", _("defence")
    OTHER = "other", _("other")


class Currency(models.TextChoices):
    RUB = "RUB", "RUB"
    USD = "USD", "USD"
    CNY = "CNY", "CNY"
    EUR = "EUR", "EUR"


class Project(Audited):
    """One announced undertaking in one region, followed across rating cycles."""

    Status = ProjectStatus

    UNFINISHED = (Status.ANNOUNCED, Status.STALLED)
    RESOLVED = (Status.LAUNCHED, Status.DROPPED)

    Sector = Sector

    Currency = Currency

    reference = models.CharField(
        _("reference"), max_length=20, help_text=_("Stable reference such as AMU-001.")
    )
    title_ru = models.CharField(_("title (Russian)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="projects", verbose_name=_("region"),
        db_index=False,  # covered by project_region_status_idx
    )
    location = models.CharField(_("location"), max_length=300, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    participants = models.ManyToManyField(
        Organization,
        through="Participation",
        related_name="projects",
        verbose_name=_("participants"),
    )
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    announced_precision = models.CharField(
        _("announcement date precision"), max_length=10, choices=DatePrecision.choices, blank=True
    )
    amount = models.DecimalField(
        _("announced amount"), max_digits=20, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    first_cycle = models.ForeignKey(
        Cycle,
        on_delete=models.PROTECT,
        related_name="first_reported_projects",
        verbose_name=_("first reported in cycle"),
        db_index=False,  # covered by project_firstcycle_status_idx
    )
    status = models.CharField(
        _("current status"),
        max_length=10,
        choices=Status.choices,
        default=Status.ANNOUNCED,
        editable=False,
        help_text=_("Kept in step with the latest status change."),
    )
    status_path = models.CharField(
        _("status per cycle"),
        max_length=100,
        blank=True,
        default="",
        editable=False,
        help_text=_("One letter per cycle number: the status at the end of that cycle (see tracker/paths.py)."),
    )
    first_number = models.PositiveSmallIntegerField(
        _("first cycle number"),
        default=0,
        editable=False,
        help_text=_("The number of the first-reported cycle, kept in step with it (orders the unresolved report)."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every save; a form saved from an older version is refused.")
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        permissions = [("import_project", "Can import projects from spreadsheets")]
        ordering = ["reference"]
        constraints = [
            # Index: the project page `/projects/<reference>/`, import keys, and the projects
            # list's default order (ORDER BY reference LIMIT 50).
            models.UniqueConstraint(fields=["reference"], name="project_reference_unique"),
            models.CheckConstraint(
                condition=Q(reference__regex=r"^[A-Z0-9]{1,6}-[0-9]{3,5}$"),
                name="project_reference_format",
                violation_error_message=_("A reference looks like AMU-001: letters, a dash, digits."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=choice_values(ProjectStatus)), name="project_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(sector__in=choice_values(Sector)), name="project_sector_valid"
            ),
            precision_constraint("announced_on", "announced_precision", "project_date_precision"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True, currency="")
                | Q(amount__isnull=False, amount__gte=0, currency__in=choice_values(Currency)),
                name="project_amount_with_currency",
                violation_error_message=_(
                    "Give a currency (RUB, USD, CNY, EUR) exactly when an amount is given."
                ),
            ),
        ]
        indexes = [
            # Region page: its lists by current status (`region_id = … AND status = … ORDER BY
            # reference LIMIT 25`, read in index order) and its status figures
            # (`region_id = … GROUP BY status_path`); projects list `?region=…&status=…`;
            # PROTECT check when a region is deleted.
            models.Index(fields=["region", "status", "reference"], name="project_region_status_idx"),
            # Projects list `?first_cycle=…` (with `&status=…`); PROTECT check on cycle delete.
            models.Index(fields=["first_cycle", "status"], name="project_firstcycle_status_idx"),
            # Status figures of every cycle: `stats.path_counts` groups projects by path
            # (GROUP BY status_path), read from this index without the project rows.
            models.Index(fields=["status_path"], name="project_status_path_idx"),
            # The unresolved report in its order (oldest, then largest first): `ORDER BY
            # first_number, amount DESC, reference LIMIT 50` walks this index and stops after
            # a page, testing each project's path letters in the index itself.
            models.Index(
                fields=["first_number", "-amount", "reference", "status_path"], name="project_report_order_idx"
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("tracker:project_detail", args=[self.reference])

    @property
    def title(self):
        return bilingual(self, "title_ru", "title_en")

    @property
    def announced_display(self):
        return format_date(self.announced_on, self.announced_precision)

    def clean(self):
        if bool(self.announced_on) != bool(self.announced_precision):
            raise ValidationError(
                {"announced_precision": _("Give a precision exactly when a date is given.")}
            )
        if (self.amount is None) != (not self.currency):
            raise ValidationError({"currency": _("Give a currency exactly when an amount is given.")})

    def save(self, *args, **kwargs):
        """Save; a new project also gets its initial `announced` change, in one transaction.

        Optimistic locking: saving a project read at an older version than the stored one
        (someone saved in between) raises EditConflict and changes nothing."""
        with transaction.atomic():
            is_new = self._state.adding
            stored_first_cycle = None
            if is_new:
                self.status = self.Status.ANNOUNCED
                self.status_path = paths.initial_path(self.first_cycle.number, paths.path_length())
                self.first_number = self.first_cycle.number
            else:
                stored, stored_first_cycle = (
                    Project.objects.select_for_update()
                    .filter(pk=self.pk)
                    .values_list("version", "first_cycle_id")
                    .first()
                ) or (None, None)
                if stored is not None and stored != self.version:
                    raise EditConflict(
                        _("Someone else saved this project after you opened it. Reload it to see their "
                          "changes; yours were not saved.")
                    )
                self.version += 1
            super().save(*args, **kwargs)
            if is_new:
                StatusChange.objects.create(
                    project=self,
                    cycle=self.first_cycle,
                    status=self.Status.ANNOUNCED,
                    note="First reported.",
                    is_initial=True,
                )
            else:
                # A corrected first-reported cycle moves the initial change with it.
                moved = self.status_changes.filter(is_initial=True).exclude(
                    cycle_id=self.first_cycle_id
                )
                if moved.update(cycle_id=self.first_cycle_id) or stored_first_cycle != self.first_cycle_id:
                    self._sync_status()

    def _sync_status(self):
        """Bring `status` and `status_path` in step with the status history."""
        path, status, first_number = sync_status_paths(Project.objects.filter(pk=self.pk)).get(
            self.pk, ("", None, self.first_number)
        )
        self.status_path, self.first_number = path, first_number
        if status:
            self.status = status

    @transaction.atomic
    def record_status(self, status, cycle, *, effective_on=None, evidence=None, note="", by=None):
        """Append a status change and keep `status` in step — the only way to change status.

        The project row is locked while the new current status (that of the latest change,
        see `StatusChange.history_order`) is computed, so concurrent appends cannot leave it
        stale. Raises ValidationError when the change is inconsistent.
        """
        locked = Project.objects.select_for_update().get(pk=self.pk)
        change = StatusChange(
            project=locked,
            cycle=cycle,
            status=status,
            effective_on=effective_on,
            evidence=evidence,
            note=note,
            recorded_by=by,
        )
        change.full_clean()
        change.save()
        self._sync_status()
        return change


def recomputed_status_paths(projects):
    """For each of `projects` (a queryset): (pk, reference, stored, computed), where both
    are (status_path, status, first_number) — as stored on the row, and as its status
    history and first cycle give them. Two queries per thousand projects."""
    length = paths.path_length()
    columns = ("pk", "reference", "first_cycle__number", "status_path", "status", "first_number")
    for chunk in _pk_chunks(projects.order_by("pk").values_list(*columns)):
        history = {row[0]: [] for row in chunk}
        rows = StatusChange.objects.filter(project_id__in=list(history)).values_list(
            "project_id", "cycle__number", "effective_on", "pk", "status"
        )
        for project_id, *change in rows:
            history[project_id].append(change)
        for pk, reference, first_number, old_path, old_status, old_first in chunk:
            path = paths.status_path(first_number, history[pk], length)
            computed = (path, paths.current_status(path) or old_status, first_number)
            yield pk, reference, (old_path, old_status, old_first), computed


def sync_status_paths(projects):
    """Recompute `status_path`, `status` and `first_number` of `projects` (a queryset) and
    store those that differ; returns {pk: (path, status, first_number)}."""
    computed, stale = {}, []
    for pk, _reference, stored, (path, status, first_number) in recomputed_status_paths(projects):
        computed[pk] = (path, status, first_number)
        if stored != (path, status, first_number):
            stale.append(Project(pk=pk, status_path=path, status=status, first_number=first_number))
    if stale:
        from .pagecache import bump

        Project.objects.bulk_update(stale, ["status_path", "status", "first_number"], batch_size=1000)
        bump()
    return computed


def _pk_chunks(rows, size=1000):
    rows = list(rows)  # read before writing: SQLite cursors do not survive writes to their table
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


class ParticipationRole(models.TextChoices):
    INVESTOR = "investor", _("investor")
    DEVELOPER = "developer", _("developer or operator")
    CONTRACTOR = "contractor", _("contractor")
    SUPPLIER = "supplier", _("supplier")
    BUYER = "buyer", _("buyer")
    LENDER = "lender", _("lender")
    PARTNER = "partner", _("partner")
    GOVERNMENT = "government", _("government party")


class Participation(Audited):
    """An organisation's part in a project."""

    Role = ParticipationRole

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="participations", verbose_name=_("project"),
        db_index=False,  # covered by participation_unique (project, organization, role)
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("organization"),
        db_index=False,  # covered by participation_org_idx
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        permissions = [("import_participation", "Can import participants from spreadsheets")]
        constraints = [
            # Index: a project page's participants (`project_id = …`), import keys.
            models.UniqueConstraint(
                fields=["project", "organization", "role"], name="participation_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=choice_values(ParticipationRole)), name="participation_role_valid"
            ),
        ]
        indexes = [
            # Organisation page and the partner filter: `organization_id = …` (EXISTS per project).
            models.Index(fields=["organization", "project"], name="participation_org_idx"),
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_role_display()})"


class EvidenceKind(models.TextChoices):
    RESULT = "result", _("result")
    EFFORT = "effort", _("effort")
    FOLLOW_UP = "follow_up", _("follow-up")
    SETBACK = "setback", _("setback")
    CONTRADICTION = "contradiction", _("contradiction")


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
    summary = models.TextField(_("summary"))
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

    EDITABLE = ["cycle_id", "occurred_on", "precision", "kind", "summary", "source_id", "locator", "attribution", "reference", "project_id"]

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            self.ensure_editable()
        else:
            old = Evidence._base_manager.filter(pk=self.pk).values(*self.EDITABLE).first()
            if old != {name: getattr(self, name) for name in self.EDITABLE}:
                self.ensure_editable()
        super().save(*args, **kwargs)

    def clean(self):
        if bool(self.occurred_on) != bool(self.precision):
            raise ValidationError({"precision": _("Give a precision exactly when a date is given.")})


class StatusChange(Audited):
    """An editor's verdict that from a date in a cycle on, the project's status is X.

    Appended through `Project.record_status`, never edited in place.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("project"),
        db_index=False,  # covered by statuschange_history_idx
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="status_changes", verbose_name=_("cycle"),
        # Index: changes recorded in one cycle (worklist, scoring facts); PROTECT check.
    )
    status = models.CharField(_("status"), max_length=10, choices=Project.Status.choices)
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
    note = models.TextField(_("note"), blank=True)
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
        ordering = ["project", "cycle__number", models.F("effective_on").asc(nulls_first=True), "id"]
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
                condition=Q(is_initial=False) | Q(status="announced"),
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
        """Order of a project's history, latest first (DESIGN: ties by later date, then later record).

        A change without an effective date counts from the start of its cycle.
        """
        return ["-cycle__number", models.F("effective_on").desc(nulls_last=True), "-id"]

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

    def delete(self, *args, **kwargs):
        """Only superusers delete a change; the project's status follows what remains."""
        with transaction.atomic():
            project = self.project
            result = super().delete(*args, **kwargs)
            if Project.objects.filter(pk=project.pk).exists():
                project._sync_status()
            return result


class DataVersion(models.Model):
    """One row: a counter raised by every write to the tracker's data (tracker/pagecache.py)."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        default_permissions = ()

    def __str__(self):
        return str(self.value)
