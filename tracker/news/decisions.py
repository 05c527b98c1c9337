"""What an editor decides about a news item: the evidence it became, the project it
created, or dismissed. One function records each, in the caller's transaction (the save
of the evidence or project it names), and refuses an item already decided; the audit
trail records who decided and when, as for every write."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.models import NewsItem


def decide(item, decision, user, *, evidence=None, project=None):
    """Record `decision` on `item`; ValidationError when someone decided it already."""
    with transaction.atomic():
        current = NewsItem.objects.select_for_update().get(pk=item.pk)
        if current.decision != NewsItem.Decision.NEW:
            raise ValidationError(
                _("This news item was already decided (%(decision)s).") % {"decision": current.get_decision_display()}
            )
        current.decision = decision
        current.evidence = evidence
        current.project = project
        current.decided_by = user if getattr(user, "pk", None) else None
        current.decided_at = timezone.now()
        current.save()
        return current


def link(item, evidence, user):
    return decide(item, NewsItem.Decision.LINKED, user, evidence=evidence, project=evidence.project)


def new_project(item, project, user):
    return decide(item, NewsItem.Decision.NEW_PROJECT, user, project=project)


def dismiss(item, user):
    return decide(item, NewsItem.Decision.DISMISSED, user)
