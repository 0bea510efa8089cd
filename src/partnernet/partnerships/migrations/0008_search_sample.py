"""The broad search's sample: SQLite's table of the first buckets' rows and PostgreSQL's partial full-text
indexes of them (``search.SAMPLE_TABLE``, ``search.PG_SAMPLED_INDEXES``), made by ``ensure_search_index``.

A migration of its own so that an instance upgraded, or restored from an older backup, is told to run
``migrate`` (the preflight sees it pending) rather than serving searches without the table. On SQLite the
first making also refills the search index, which mends names an older rebuild had wrong. Reversing it
leaves the table and indexes in place: the code before it reads neither, and its writes keep them in step.
"""

from typing import Any

from django.db import migrations

from partnernet.partnerships.search import ensure_search_index


def make_sample(apps: Any, schema_editor: Any) -> None:
    ensure_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0007_region_filter_index")]

    operations = [migrations.RunPython(make_sample, migrations.RunPython.noop, elidable=False)]
