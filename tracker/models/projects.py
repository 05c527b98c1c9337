from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.models import Audited
from ratings.languages import bilingual, reader_text
from ratings.models import Cycle, Region, choice_values

from .common import DatePrecision, check_precision, ensure_current, format_date, precision_constraint
from .organizations import Organization


class StatusBasis(models.TextChoices):
    """How a status is known (docs/domain.md "Basis"); `StatusChange.Basis`."""

    STATED = "stated", _("stated")
    INFERRED = "inferred", _("inferred from silence")
    JUDGEMENT = "judgement", _("editors' judgement")


#: `Project.basis_path` letters (tracker/status/letters.py).
BASIS_LETTERS = {StatusBasis.STATED: "s", StatusBasis.INFERRED: "i", StatusBasis.JUDGEMENT: "j"}


class ProjectQuerySet(models.QuerySet):
    """Named reads of projects that need no status rules; the per-cycle status reads
    live in `tracker.status.unresolved` (`status_projects()`)."""

    def first_reported_before(self, cycle):
        """Earlier news for `cycle`: first reported in an earlier cycle."""
        return self.filter(first_number__lt=cycle.number)


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


#: The first amount `Project.amount` cannot hold (20 digits, 2 of them decimals).
AMOUNT_LIMIT = Decimal(10**18)


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
        _("announced amount"), max_digits=20, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
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
        help_text=_("One letter per cycle number: the status at the end of that cycle (see tracker/status/letters.py)."),
    )
    first_number = models.PositiveSmallIntegerField(
        _("first cycle number"),
        default=0,
        editable=False,
        help_text=_("The number of the first-reported cycle, kept in step with it (orders the unresolved report)."),
    )
    basis_path = models.CharField(
        _("basis per cycle"),
        max_length=100,
        blank=True,
        default="",
        editable=False,
        help_text=_("One letter per cycle number: how the status at the end of that cycle is known (see tracker/status/letters.py)."),
    )
    public_note_ru = models.TextField(_("public note (Russian)"), blank=True)
    public_note_en = models.TextField(_("public note (English)"), blank=True)
    note = models.TextField(
        _("editors' note"), blank=True, help_text=_("Remarks on data entry; never shown on public pages.")
    )
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
            # What `max_digits` allows (the DecimalField's validator), for every door: on
            # SQLite a larger number would be stored and then fail every read of its row.
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__lt=AMOUNT_LIMIT),
                name="project_amount_in_range",
                violation_error_message=_("An amount has at most 18 digits before the decimal point."),
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
    def public_note(self):
        return reader_text(self, "public_note_ru", "public_note_en")

    @property
    def basis(self):
        """How the current status is known: the basis of the change that set it."""
        return {code: basis for basis, code in BASIS_LETTERS.items()}.get(self.basis_path[-1:])

    @property
    def announced_display(self):
        return format_date(self.announced_on, self.announced_precision)

    def clean(self):
        errors = check_precision(self.announced_on, self.announced_precision, "announced_precision")
        if (self.amount is None) != (not self.currency):
            errors["currency"] = _("Give a currency exactly when an amount is given.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        """Optimistic locking: saving a project read at an older version than the stored
        one (someone saved in between) raises EditConflict and changes nothing. New
        projects are created by `tracker.status.history.create_project`."""
        with transaction.atomic():
            if not self._state.adding and self.pk is not None:
                ensure_current(Project, self.pk, self.version)
                self.version += 1
            super().save(*args, **kwargs)


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



class FollowUp(Project):
    """The open cycle's follow-up of earlier unfinished projects, as the admin lists it
    (the same rows as Project; its own admin list, filters and review queue)."""

    class Meta:
        proxy = True
        verbose_name = _("project to follow up")
        verbose_name_plural = _("follow-up of the open cycle")
        default_permissions = ()
