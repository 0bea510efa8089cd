from django.db import migrations, models


def refresh_statistics(apps, schema_editor):  # type: ignore[no-untyped-def]
    """The planner's statistics for the new indexes: without them SQLite guessed, and at 1,000,000
    partnerships chose one of these for the home page's latest partnerships and sorted every public row
    (1.2 s a request) until the next ``ANALYZE``."""
    connection = schema_editor.connection
    table = connection.ops.quote_name("partnerships_partnership")
    with connection.cursor() as cursor:
        if connection.vendor in ("sqlite", "postgresql"):
            cursor.execute(f"ANALYZE {table}")
        elif connection.vendor == "mysql":
            cursor.execute(f"ANALYZE TABLE {table}")


class Migration(migrations.Migration):
    """The status and type filters' indexes carry the key order too, so the API's filtered list reads its
    page in order instead of sorting every match."""

    dependencies = [
        ("directory", "0006_join_requests_and_claims"),
        ("framework", "0005_term_labels"),
        ("partnerships", "0005_visibility_ordering_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="partnership",
            name="partnership_vis_status",
        ),
        migrations.RemoveIndex(
            model_name="partnership",
            name="partnership_vis_type",
        ),
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(
                fields=["visibility", "status", "key", "origin"], name="partnership_vis_status_key"
            ),
        ),
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(
                fields=["visibility", "type", "key", "origin"], name="partnership_vis_type_key"
            ),
        ),
        migrations.RunPython(refresh_statistics, migrations.RunPython.noop, elidable=True),
    ]
