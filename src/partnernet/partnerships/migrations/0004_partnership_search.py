"""The registry's full-text index: an FTS5 table (SQLite) or a tsvector table with a GIN index (PostgreSQL),
kept by triggers and filled here from the partnerships already stored (see ``partnerships/search.py``)."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

import partnernet.partnerships.search
from partnernet.partnerships.search import drop_search_index, ensure_search_index


def create_index(apps: Any, schema_editor: Any) -> None:
    ensure_search_index(schema_editor.connection)


def drop_index(apps: Any, schema_editor: Any) -> None:
    drop_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_entity_profile"),
        ("partnerships", "0003_registry_tally_and_ordering_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="PartnershipText",
            fields=[
                (
                    "partnership",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="text",
                        serialize=False,
                        to="partnerships.partnership",
                    ),
                ),
                ("document", partnernet.partnerships.search.SearchDocumentField()),
            ],
            options={"db_table": "partnerships_search", "managed": False},
        ),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
