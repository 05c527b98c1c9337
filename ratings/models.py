from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.models import Audited

from .languages import bilingual, reader_text
from .locks import LockedCycleMixin, ensure_cycle_editable, ensure_unlocked
from .numerals import from_roman, to_roman


def choice_values(choices):
    return [value for value, _label in choices.choices]


class FederalDistrict(models.TextChoices):
    CENTRAL = "central", _("Central")
    NORTHWESTERN = "northwestern", _("Northwestern")
    SOUTHERN = "southern", _("Southern")
    NORTH_CAUCASIAN = "north_caucasian", _("North Caucasian")
    VOLGA = "volga", _("Volga")
    URAL = "ural", _("Ural")
    SIBERIAN = "siberian", _("Siberian")
    FAR_EASTERN = "far_eastern", _("Far Eastern")


class Region(Audited):
    """A subject of the Russian Federation as the rating names it (or a location outside it)."""

    FederalDistrict = FederalDistrict

    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, db_index=False)  # region_slug_unique indexes it
    iso_code = models.CharField(
        _("ISO 3166-2 code"), max_length=6, help_text=_("For example RU-AMU; UA-43 for Crimea.")
    )
    federal_district = models.CharField(
        _("federal district"), max_length=20, choices=FederalDistrict.choices, blank=True
    )
    borders_china = models.BooleanField(_("borders China"), default=False)
    note = models.TextField(
        _("editors' note"), blank=True, help_text=_("Remarks on data entry; never shown on public pages.")
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        permissions = [("import_region", "Can import regions from spreadsheets")]
        ordering = ["name_ru"]
        constraints = [
            # Index: import rows naming a region by ISO code (`iso_code IN (…)`).
            models.UniqueConstraint(fields=["iso_code"], name="region_iso_code_unique"),
            # Index: the region page `/regions/<slug>/` (`slug = …`).
            models.UniqueConstraint(fields=["slug"], name="region_slug_unique"),
            models.CheckConstraint(
                condition=Q(iso_code__regex=r"^[A-Z]{2}-[A-Z0-9]{1,3}$"),
                name="region_iso_code_format",
            ),
            # The SlugField's own check (`validate_slug`), for every door: the region page's
            # URL is built from it.
            models.CheckConstraint(
                condition=Q(slug__regex=r"^[-a-zA-Z0-9_]+\Z"),
                name="region_slug_format",
                violation_error_message=_("A slug holds only Latin letters, digits, hyphens and underscores, such as amur-oblast."),
            ),
            models.CheckConstraint(
                condition=Q(federal_district__in=["", *choice_values(FederalDistrict)]),
                name="region_federal_district_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tracker:region_detail", args=[self.slug])

    @property
    def name(self):
        """The name in the active language, falling back to Russian."""
        return bilingual(self, "name_ru", "name_en")


class CycleQuerySet(models.QuerySet):
    def by_numeral(self, numeral):
        """The cycle named by a Roman numeral ("III") or a number; DoesNotExist otherwise."""
        try:
            number = from_roman(numeral)
        except ValueError:
            raise self.model.DoesNotExist(f"{numeral!r} is not a cycle number") from None
        return self.get(number=number)

    def locked_for(self, user):
        """The cycles `user` may not change ({id: cycle}): published ones, unless `user`
        is a superuser or None (the system)."""
        if user is None or user.is_superuser:
            return {}
        return {cycle.pk: cycle for cycle in self.filter(is_published=True)}

    def latest_published(self):
        return self.filter(is_published=True).order_by("-number").first()


class Cycle(Audited):
    """One edition of the rating and the period of events it covers."""

    number = models.PositiveSmallIntegerField(_("number"))
    #: How the history shows a stored value: the number as the rating names it (IV).
    audit_values = {"number": lambda raw: to_roman(int(raw))}
    title = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    period_start = models.DateField(
        _("period start"), null=True, blank=True, help_text=_("Empty for the first edition.")
    )
    period_end = models.DateField(_("period end"), null=True, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    public_note_ru = models.TextField(_("public note (Russian)"), blank=True)
    public_note_en = models.TextField(_("public note (English)"), blank=True)
    note = models.TextField(
        _("editors' note"), blank=True, help_text=_("Remarks on data entry; never shown on public pages.")
    )

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        permissions = [("import_cycle", "Can import cycles from spreadsheets"), ("publish_cycle", "Can publish a cycle")]
        ordering = ["number"]
        constraints = [
            # Index: `?cycle=III` on every page (`Cycle.objects.by_numeral`: `number = …`).
            models.UniqueConstraint(fields=["number"], name="cycle_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="cycle_number_positive"),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=models.F("period_end")),
                name="cycle_period_ordered",
            ),
        ]

    def __str__(self):
        return self.numeral

    @property
    def numeral(self):
        return to_roman(self.number)

    @property
    def title_text(self):
        return reader_text(self, "title", "title_en")

    @property
    def public_note(self):
        return reader_text(self, "public_note_ru", "public_note_en")

    def contains(self, day):
        """Whether a date falls inside this cycle's period (open ends count as inside)."""
        if self.period_start and day < self.period_start:
            return False
        if self.period_end and day > self.period_end:
            return False
        return True

    def previous(self):
        return Cycle.objects.filter(number__lt=self.number).order_by("-number").first()

    def ensure_editable(self):
        """Raise ValidationError when this cycle, published, may not be saved as it is now
        by the acting user (ratings/locks.py)."""
        ensure_cycle_editable(self)

    def save(self, *args, **kwargs):
        self.ensure_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = Cycle._base_manager.filter(pk=self.pk, is_published=True).first()
        if stored is not None:
            ensure_unlocked(stored)
        return super().delete(*args, **kwargs)


class Rating(LockedCycleMixin, Audited):
    """A region's expert score in one cycle; the tier follows from the score."""

    class Tier(models.TextChoices):
        HIGH = "high", _("high")
        MODERATE = "moderate", _("moderate")
        LOW = "low", _("low")

    #: The lowest score of each tier above the lowest (docs/domain.md "Ratings and tiers").
    HIGH_FROM, MODERATE_FROM = 7, 4

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("region"),
        db_index=False,  # covered by one_rating_per_region_cycle (region, cycle)
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("cycle"),
        # Index: the overview's ratings of one cycle (`cycle_id = …`); PROTECT check.
    )
    score = models.PositiveSmallIntegerField(_("score"), help_text=_("1 to 10."))
    tier = models.GeneratedField(
        expression=models.Case(
            models.When(score__gte=HIGH_FROM, then=models.Value(Tier.HIGH)),
            models.When(score__gte=MODERATE_FROM, then=models.Value(Tier.MODERATE)),
            default=models.Value(Tier.LOW),
        ),
        output_field=models.CharField(max_length=10, choices=Tier.choices),
        db_persist=True,
        verbose_name=_("tier"),
    )
    public_note_ru = models.TextField(_("public note (Russian)"), blank=True)
    public_note_en = models.TextField(_("public note (English)"), blank=True)
    commentary_ru = models.TextField(
        _("edition commentary (Russian)"), blank=True, db_default="",
        help_text=_("The editors' paragraph that opens the region's row in the cycle's edition."),
    )
    commentary_en = models.TextField(_("edition commentary (English)"), blank=True, db_default="")
    note = models.TextField(
        _("editors' note"), blank=True, help_text=_("Remarks on data entry; never shown on public pages.")
    )

    LOCKED_FIELDS = (
        "region_id", "cycle_id", "score", "public_note_ru", "public_note_en", "commentary_ru", "commentary_en", "note",
    )

    @property
    def public_note(self):
        return reader_text(self, "public_note_ru", "public_note_en")

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        permissions = [("import_rating", "Can import ratings from spreadsheets")]
        ordering = ["cycle__number", "-score", "region__name_ru"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=10), name="rating_score_1_10"
            ),
            # Index: a region's scores (`region_id = …`), the previous score subquery.
            models.UniqueConstraint(
                fields=["region", "cycle"], name="one_rating_per_region_cycle"
            ),
        ]

    def __str__(self):
        return f"{self.region} {self.cycle}: {self.score}"

    @property
    def tier_label(self):
        return Rating.Tier(self.tier).label if self.tier else ""
