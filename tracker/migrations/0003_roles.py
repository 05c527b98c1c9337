from django.db import migrations

from tracker.ops.roles import sync_groups_in_migration


def remove_roles(apps, schema_editor):
    from tracker.ops.roles import EDITORS, RESEARCHERS

    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, RESEARCHERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0002_status_change_effective_in_cycle"),
        ("ratings", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(sync_groups_in_migration, remove_roles)]
