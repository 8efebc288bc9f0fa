"""Each partnership gets its own agency (learning group and business unit), which can own
actions and have people like any agency; at most one per partnership."""

from typing import Any

from django.db import migrations, models

PARTNERSHIP = "partnership"


def add_partnership_agencies(apps: Any, schema_editor: Any) -> None:
    Partnership = apps.get_model("accounts", "Partnership")
    Agency = apps.get_model("accounts", "Agency")
    for partnership in Partnership.objects.exclude(agencies__agency_type=PARTNERSHIP):
        name = f"{partnership.short_name or partnership.name}: learning group and business unit"
        Agency.objects.get_or_create(
            partnership=partnership, name=name, defaults={"agency_type": PARTNERSHIP}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_partnership_owner_embed_months"),
    ]

    operations = [
        migrations.RunPython(add_partnership_agencies, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="agency",
            constraint=models.UniqueConstraint(
                condition=models.Q(("agency_type", "partnership")),
                fields=("partnership",),
                name="one_partnership_agency",
            ),
        ),
    ]
