from django.db import migrations, models


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
    ]
