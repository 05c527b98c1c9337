"""SQLite rebuilds a table to alter one of its columns and drops the table's triggers on
the way (0007 altered tracker_statuschange): put "status_change_effective_in_cycle" back.
Any later migration that alters tracker_statuschange must end the same way; the model
tests fail if the trigger is missing."""

from django.db import migrations

from tracker.migrations import _triggers


class Migration(migrations.Migration):
    dependencies = [("tracker", "0007_drop_redundant_fk_indexes")]
    operations = [migrations.RunPython(_triggers.recreate, migrations.RunPython.noop)]
