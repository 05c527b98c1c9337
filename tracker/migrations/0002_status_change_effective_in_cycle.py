"""Named invariant "status_change_effective_in_cycle": an effective date lies inside its
cycle's period when both are known. It spans two tables, so a trigger holds it
(the SQL is in _triggers.py)."""

from django.db import migrations

from tracker.migrations import _triggers


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial"), ("ratings", "0001_initial")]
    operations = [migrations.RunPython(_triggers.create, _triggers.drop)]
