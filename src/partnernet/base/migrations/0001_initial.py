from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="InstanceIdentity",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("instance_id", models.CharField(max_length=64, unique=True, verbose_name="instance id")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "instance identity",
                "verbose_name_plural": "instance identity",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("instance_id", "seed"), _negated=True),
                        name="base_instance_id_is_not_seed",
                    )
                ],
            },
        ),
    ]
