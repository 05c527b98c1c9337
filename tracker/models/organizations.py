from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.models import Audited
from ratings.languages import bilingual
from ratings.models import choice_values

from .countries import country_choices, country_name


class OrganizationKind(models.TextChoices):
    COMPANY = "company", _("company")
    STATE_COMPANY = "state_company", _("state company")
    GOVERNMENT = "government", _("government or province")
    BANK_FUND = "bank_fund", _("bank or fund")
    UNIVERSITY = "university", _("university")
    OTHER = "other", _("other")


class Organization(Audited):
    """A partner: a company, a government or province, a bank, a university…"""

    # Choices are defined beside the model so that its Meta constraints can name them;
    # code reaches them through the model (`Organization.Kind.COMPANY`).
    Kind = OrganizationKind

    name = models.CharField(
        _("name"), max_length=300, help_text=_("As the sources write it (Russian or Latin).")
    )
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        choices=country_choices,
        help_text=_("Empty when the sources do not say."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    note = models.TextField(
        _("editors' note"), blank=True, help_text=_("Remarks on data entry; never shown on public pages.")
    )

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
    def country_name(self):
        """The country's name in the reader's language («Китай»)."""
        return country_name(self.country)

    @property
    def display_name(self):
        return bilingual(self, "name", "name_en")
