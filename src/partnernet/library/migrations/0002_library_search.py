"""The library's full-text index (``library/search.py``): an FTS5 table on SQLite, a tsvector table on
PostgreSQL."""

from typing import Any

from django.db import migrations


def create(apps: Any, schema_editor: Any) -> None:
    from partnernet.library.search import create_library_index

    create_library_index(schema_editor.connection)


def drop(apps: Any, schema_editor: Any) -> None:
    from partnernet.library.search import drop_library_index

    drop_library_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
