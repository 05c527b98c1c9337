"""The news inbox: news items pasted or imported by editors, each kept with the editors'
decision on it (README "News inbox"). What the tracker proposes for an item is computed
when it is read (tracker/news/), never stored: the record it is matched against changes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.models import Audited
from ratings.models import choice_values

from .evidence import Evidence
from .projects import Project

#: The longest news item the inbox keeps, in characters: a long article, not a whole site.
MAX_NEWS_CHARS = 50_000


class NewsDecision(models.TextChoices):
    NEW = "new", _("new")
    LINKED = "linked", _("linked to evidence")
    NEW_PROJECT = "new_project", _("new project")
    DISMISSED = "dismissed", _("dismissed")


class NewsLanguage(models.TextChoices):
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")
    OTHER = "other", _("another language")


class NewsItem(Audited):
    """One news item in the inbox and what the editors decided about it."""

    Decision = NewsDecision
    Language = NewsLanguage

    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, blank=True)
    occurred_on = models.DateField(_("date"), null=True, blank=True, help_text=_("The date of the news item."))
    source_name = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Who published it."))
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, default=Decision.NEW)
    evidence = models.ForeignKey(
        Evidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="news_items",
        verbose_name=_("evidence it became"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="news_items",
        verbose_name=_("project it created"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"), db_index=False,  # never filtered on
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news inbox")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=choice_values(NewsDecision)), name="news_decision_valid"
            ),
            models.CheckConstraint(
                condition=Q(language__in=["", *choice_values(NewsLanguage)]), name="news_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision=NewsDecision.NEW, decided_at__isnull=True)
                | (~Q(decision=NewsDecision.NEW) & Q(decided_at__isnull=False)),
                name="news_decided_when_decided",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="news_has_text"),
        ]
        indexes = [
            # The inbox's default list: items left to decide, newest first
            # (`decision = 'new' ORDER BY created_at DESC`).
            models.Index(fields=["decision", "-created_at"], name="news_decision_created_idx"),
        ]

    def __str__(self):
        excerpt = " ".join(self.text.split())[:60]
        return f"{excerpt}…" if len(self.text) > 60 else excerpt
