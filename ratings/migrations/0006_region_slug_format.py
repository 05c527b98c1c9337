"""Region slugs are valid slugs for every door (the bulk import used to skip the field's
check): slugs stored before are made valid first, the old one kept in the editors' note."""

import re

from django.db import migrations, models
from django.utils.text import slugify

SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def repair_slugs(apps, schema_editor):
    Region = apps.get_model("ratings", "Region")
    regions = list(Region.objects.order_by("pk"))
    taken = {region.slug for region in regions}
    for region in regions:
        if SLUG.fullmatch(region.slug):
            continue
        base = slugify(region.slug) or slugify(region.name_en) or region.iso_code.lower() or f"region-{region.pk}"
        slug, n = base[:100], 2
        while slug in taken:
            slug, n = f"{base[:95]}-{n}", n + 1
        taken.add(slug)
        note = f"Slug “{region.slug}” was not a valid slug and was replaced by “{slug}”."
        Region.objects.filter(pk=region.pk).update(slug=slug, note="\n".join(filter(None, [region.note, note])))


class Migration(migrations.Migration):

    dependencies = [
        ("ratings", "0005_releases"),
    ]

    operations = [
        migrations.RunPython(repair_slugs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="region",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug__regex", "^[-a-zA-Z0-9_]+\\Z")),
                name="region_slug_format",
                violation_error_message="A slug holds only Latin letters, digits, hyphens and underscores, such as amur-oblast.",
            ),
        ),
    ]
