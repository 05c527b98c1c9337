"""Source URLs are web addresses (http, https) and amounts fit the field, for every door
(the bulk import used to skip the fields' checks). Values stored before that break the
new checks are removed first and kept in the record's editors' note."""

import re
from decimal import Decimal

import django.core.validators
from django.db import migrations, models

import tracker.models.common

WEB = re.compile(r"https?://", re.IGNORECASE)
LIMIT = 10**18


def _noted(note, line):
    return "\n".join(filter(None, [note, line]))


def remove_other_urls(apps, schema_editor):
    Source = apps.get_model("tracker", "Source")
    for pk, url, note in Source.objects.exclude(url="").values_list("pk", "url", "note"):
        if not WEB.match(url):
            line = f"URL “{url}” was removed: a source links only to http:// or https:// addresses."
            Source.objects.filter(pk=pk).update(url="", note=_noted(note, line))


def remove_amounts_out_of_range(apps, schema_editor):
    # Read as text: such an amount cannot be read as the field's Decimal (SQLite stored it).
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, CAST(amount AS TEXT), currency, note FROM tracker_project WHERE amount >= %s OR amount < 0",
            [LIMIT],
        )
        found = cursor.fetchall()
        for pk, amount, currency, note in found:
            line = f"Amount “{amount} {currency}” was removed: it is not an amount the field can hold."
            cursor.execute(
                "UPDATE tracker_project SET amount = NULL, currency = '', note = %s WHERE id = %s",
                [_noted(note, line), pk],
            )


class Migration(migrations.Migration):

    dependencies = [
        ("tracker", "0022_releases"),
    ]

    operations = [
        migrations.RunPython(remove_other_urls, migrations.RunPython.noop),
        migrations.RunPython(remove_amounts_out_of_range, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="project",
            name="amount",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=20, null=True,
                validators=[django.core.validators.MinValueValidator(0)], verbose_name="announced amount",
            ),
        ),
        migrations.AlterField(
            model_name="source",
            name="url",
            field=tracker.models.common.WebURLField(blank=True, max_length=1000, verbose_name="URL"),
        ),
        migrations.AddConstraint(
            model_name="project",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount__isnull", True), ("amount__lt", Decimal("1000000000000000000")), _connector="OR"),
                name="project_amount_in_range",
                violation_error_message="An amount has at most 18 digits before the decimal point.",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(("url", ""), ("url__iregex", "^https?://"), _connector="OR"),
                name="source_url_web",
                violation_error_message="A source's URL starts with http:// or https://.",
            ),
        ),
    ]
