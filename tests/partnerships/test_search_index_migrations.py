"""Django remakes a SQLite table to alter it (copy, drop, rename). With the search triggers in place the
rename fails, since a trigger names a table that is missing for a moment; ``migrate`` pauses them first.

Shown on a scratch SQLite database holding the real tables, whichever engine the suite runs on. Not a
``django_db`` test: the test database's transaction would forbid the schema editor a second connection.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connections

from partnernet.directory.models import Entity, Partner
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.search import (
    ensure_search_index,
    pause_search_triggers,
    resume_search_triggers,
)


def test_tables_the_triggers_name_can_be_remade_while_they_are_paused(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    connections.settings["scratch"] = {
        **connections["default"].settings_dict, "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(tmp_path / "scratch.sqlite3"), "OPTIONS": {}, "TEST": {},
    }  # fmt: skip
    scratch = connections["scratch"]
    old = Entity._meta.get_field("name")
    new = old.clone()
    new.max_length = (old.max_length or 0) + 10  # type: ignore[attr-defined]
    new.set_attributes_from_name("name")
    new.model = Entity
    try:
        with django_db_blocker.unblock():
            with scratch.schema_editor() as editor:
                for model in (Entity, Partner, Partnership):
                    editor.create_model(model)
            assert ensure_search_index(scratch)
            with pytest.raises(OperationalError, match="error in trigger"), scratch.schema_editor() as editor:
                editor.alter_field(Entity, old, new, strict=True)  # remakes directory_entity
            pause_search_triggers(scratch)
            with scratch.schema_editor() as editor:
                editor.alter_field(Entity, old, new, strict=True)
            assert resume_search_triggers(scratch)  # triggers made again, index refilled
            assert not resume_search_triggers(scratch)  # all in place: nothing to do
    finally:
        scratch.close()
        del connections["scratch"]
        del connections.settings["scratch"]
