from django.db import migrations, models

from tracker.status import letters as paths


def fill_paths(apps, schema_editor):
    Project = apps.get_model("tracker", "Project")
    StatusChange = apps.get_model("tracker", "StatusChange")
    history = {}
    for project_id, *change in StatusChange.objects.values_list(
        "project_id", "cycle__number", "effective_on", "pk", "status"
    ):
        history.setdefault(project_id, []).append(change)
    Cycle = apps.get_model("ratings", "Cycle")
    length = Cycle.objects.order_by("-number").values_list("number", flat=True).first() or 1
    projects = []
    for pk, first_number in Project.objects.values_list("pk", "first_cycle__number"):
        projects.append(Project(pk=pk, status_path=paths.status_path(first_number, history.get(pk, []), length)))
    Project.objects.bulk_update(projects, ["status_path"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("tracker", "0011_project_version"),
        ("ratings", "0002_import_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="status_path",
            field=models.CharField(
                blank=True,
                default="",
                editable=False,
                help_text="One letter per cycle number: the status at the end of that cycle (see tracker/paths.py).",
                max_length=100,
                verbose_name="status per cycle",
            ),
        ),
        migrations.RunPython(fill_paths, migrations.RunPython.noop),
    ]
