from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.models import Audited
from ratings.models import choice_values

from .common import DatePrecision, WebURLField, check_precision, precision_constraint


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
    url = WebURLField(_("URL"), max_length=1000, blank=True)
    published_on = models.DateField(_("date"), null=True, blank=True)
    published_precision = models.CharField(
        _("date precision"), max_length=10, choices=DatePrecision.choices, blank=True
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.RUSSIAN
    )
    note = models.TextField(
        _("editors' note"), blank=True, help_text=_("Remarks on data entry; never shown on public pages.")
    )

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
            # The field's own check (`web_url`) in its simplest form, for every door.
            models.CheckConstraint(
                condition=Q(url="") | Q(url__iregex=r"^https?://"),
                name="source_url_web",
                violation_error_message=_("A source's URL starts with http:// or https://."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = check_precision(self.published_on, self.published_precision, "published_precision")
        if errors:
            raise ValidationError(errors)

