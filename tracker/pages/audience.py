"""Who is reading (docs/domain.md "Publication"): the public — anonymous visitors and
researchers — sees the published record only; editors see the drafts too, marked, and
can switch to the public view to check what readers will see.

Published cycles run from cycle I up without a gap (an editor publishes the open cycle,
the lowest unpublished one), so the public record is "every cycle up to `up_to`": a
project first reported later does not exist for the public, evidence and status changes
of later cycles do not show, and a project's current status is its status at the end of
`up_to` — the letter of its status path there (tracker/status/letters.py).
"""

from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject

from ratings.models import Cycle
from ratings.numerals import to_roman
from tracker.status import letters
from tracker.status.unresolved import letter_at

#: Session key of an editor's choice to see the site as the public does.
PUBLIC_VIEW = "tracker_public_view"


@dataclass(frozen=True)
class Audience:
    up_to: int  # the highest cycle number this reader sees (0: none)
    drafts: bool  # whether that includes unpublished cycles
    editor: bool  # may see drafts (and switch between the two views)
    highest: int = 0  # the highest cycle number recorded
    published: int = 0  # the highest cycle number of the published record

    def cycles(self):
        return Cycle.objects.filter(number__lte=self.up_to).order_by("number")

    def projects(self, queryset):
        """`queryset` narrowed to the projects this reader knows of."""
        return queryset.filter(first_number__lte=self.up_to)

    def evidence(self, queryset):
        return queryset.filter(cycle__number__lte=self.up_to)

    def sees(self, cycle):
        return cycle is not None and cycle.number <= self.up_to

    def is_draft(self, cycle_number):
        return cycle_number > self.published

    @property
    def published_numeral(self):
        return to_roman(self.published) if self.published else "—"

    def with_status(self, queryset, status):
        """Projects whose current status — at the end of `up_to` — is `status`."""
        if self.up_to >= self.highest:
            return queryset.filter(status=status)
        return queryset.alias(_status_now=letter_at(self.up_to)).filter(_status_now=letters.CODES[status])


def published_up_to():
    """The highest cycle number n such that cycles 1…n are all published."""
    numbers = list(Cycle.objects.order_by("number").values_list("number", "is_published"))
    shown = 0
    for number, published in numbers:
        if not published:
            break
        shown = number
    return shown


def is_editor(user):
    return user.is_authenticated and user.is_active and user.has_perm("tracker.change_project")


def audience_of(request):
    """The request's Audience, worked out once per request."""
    cached = getattr(request, "_tracker_audience", None)
    if cached is not None:
        return cached
    editor = is_editor(request.user)
    highest = Cycle.objects.order_by("-number").values_list("number", flat=True).first() or 0
    published = published_up_to()
    if editor and not request.session.get(PUBLIC_VIEW):
        audience = Audience(highest, highest > published, True, highest, published)
    else:
        audience = Audience(published, False, editor, highest, published)
    request._tracker_audience = audience
    return audience


def context(request):
    """Template context processor: `audience` on every page (worked out when first read)."""
    return {"audience": SimpleLazyObject(lambda: audience_of(request))}
