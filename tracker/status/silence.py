"""The silence policy (docs/domain.md "Silence policy"): what an editor is advised to record for an
unresolved project that brought no news.

- dropped, when its last progress (latest `result` evidence, else the announcement date,
  else its earliest evidence) is more than TRACKER_DROP_AFTER_YEARS before the end of the
  cycle;
- stalled, after TRACKER_STALL_AFTER_SILENT_CYCLES cycles without any evidence;
- otherwise its status at the end of the cycle.

A suggestion never changes data; an editor decides. The rule exists twice — as SQL for
reports over many projects, and in Python for a page's worth of rows — and a property
test over random histories checks that both give the same answer.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Value, When

from tracker.models import Project


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def cutoff_for(cycle, drop_after_years=None):
    """Last progress before this date suggests `dropped` in `cycle`."""
    years = drop_after_years or settings.TRACKER_DROP_AFTER_YEARS
    return years_before(cycle.period_end or datetime.date.today(), years)


def suggested_status(status_at_end, last_progress_on, silent_cycles, cutoff, stall_after):
    """The policy for figures worked out in Python."""
    if last_progress_on is not None and last_progress_on < cutoff:
        return Project.Status.DROPPED
    if silent_cycles >= stall_after:
        return Project.Status.STALLED
    return status_at_end


def suggested_status_expression(cutoff, stall_after):
    """The policy as an SQL expression over the annotations `last_progress_on`,
    `silent_cycles` and `status_at_end`."""
    return Case(
        When(last_progress_on__lt=cutoff, then=Value(Project.Status.DROPPED)),
        When(silent_cycles__gte=stall_after, then=Value(Project.Status.STALLED)),
        default=F("status_at_end"),
        output_field=models.CharField(),
    )
