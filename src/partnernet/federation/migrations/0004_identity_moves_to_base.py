"""The instance identity row moves to the ``base`` app, below every domain app; its id is kept."""

from django.db import migrations


def copy_identity(apps, schema_editor):
    old = apps.get_model("federation", "InstanceIdentity")
    new = apps.get_model("base", "InstanceIdentity")
    for row in old.objects.using(schema_editor.connection.alias).order_by("pk"):
        new.objects.using(schema_editor.connection.alias).get_or_create(
            instance_id=row.instance_id, defaults={"created_at": row.created_at}
        )


def copy_back(apps, schema_editor):
    old = apps.get_model("federation", "InstanceIdentity")
    new = apps.get_model("base", "InstanceIdentity")
    for row in new.objects.using(schema_editor.connection.alias).order_by("pk"):
        old.objects.using(schema_editor.connection.alias).get_or_create(
            instance_id=row.instance_id, defaults={"created_at": row.created_at}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("base", "0001_initial"),
        ("federation", "0003_delivery_stewardship"),
    ]

    operations = [
        migrations.RunPython(copy_identity, copy_back),
        migrations.DeleteModel(name="InstanceIdentity"),
    ]
