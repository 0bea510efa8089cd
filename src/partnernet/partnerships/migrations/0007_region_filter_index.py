from importlib import import_module

from django.db import migrations, models

refresh_statistics = import_module(
    "partnernet.partnerships.migrations.0006_keyed_filter_indexes"
).refresh_statistics


class Migration(migrations.Migration):
    """The registry's region filter (with type and status) finds and dates its rows from one index; the
    planner's statistics are refreshed for it, as in 0006."""

    dependencies = [
        ("partnerships", "0006_keyed_filter_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(
                fields=["region", "type", "status", "visibility", "start"], name="partnership_region_filter"
            ),
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, elidable=True),
    ]
