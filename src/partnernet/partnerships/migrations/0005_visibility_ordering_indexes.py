from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes for the public reads that sort: the home page's latest partnerships, the API's key order and
    what an entity leads, newest first."""

    dependencies = [
        ("partnerships", "0004_partnership_search"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(fields=["visibility", "updated_at"], name="partnership_vis_updated"),
        ),
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(fields=["visibility", "key", "origin"], name="partnership_vis_key"),
        ),
        migrations.AddIndex(
            model_name="partnership",
            index=models.Index(fields=["lead", "visibility", "start"], name="partnership_lead_vis_start"),
        ),
    ]
