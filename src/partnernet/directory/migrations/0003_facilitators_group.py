"""The facilitators group: people who run the framework and the agreement process."""

from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="facilitators")


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="facilitators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("directory", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
