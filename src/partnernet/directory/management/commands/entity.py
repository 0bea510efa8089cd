"""``partnernet entity home|move-home``: where a seeded entity is homed; the operator moves its home."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnernet.base.identity import instance_id
from partnernet.core.federation.identity import is_instance_id
from partnernet.directory.models import Entity
from partnernet.directory.profiles import NotHome, move_home


def _seeded(key: str) -> Entity:
    entity = Entity.objects.filter(origin="seed", key=key).first()
    if entity is None:
        raise CommandError(f"KEY: no seeded entity with key '{key}'", returncode=2)
    return entity


def _state(entity: Entity) -> dict[str, Any]:
    home = entity.home_instance
    return {
        "entity": entity.key,
        "home": home or None,
        "here": home == instance_id(),
        "instance": instance_id(),
    }


class Command(BaseCommand):
    help = (
        "Seeded entities' homes. home KEY: where the entity is homed (the one instance that keeps and "
        "publishes its profile). move-home KEY --to INSTANCE_ID: the operator's explicit, audited move of "
        "its home; run it on both instances (the old home stops accepting edits of the profile, the new home "
        "begins its profile from the one shown now)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True, parser_class=CommandParser)
        show = verbs.add_parser("home", help="show where a seeded entity is homed")
        show.add_argument("key", metavar="KEY", help="the seeded entity's key, such as wikimedia-sweden")
        show.add_argument("--json", action="store_true", help="print one JSON document")
        move = verbs.add_parser("move-home", help="home a seeded entity at another instance (audited)")
        move.add_argument("key", metavar="KEY", help="the seeded entity's key, such as wikimedia-sweden")
        move.add_argument(
            "--to",
            required=True,
            metavar="INSTANCE_ID",
            help="the instance id of its new home ('here': this one)",
        )
        move.add_argument("--json", action="store_true", help="print one JSON document")

    def handle(self, *args: Any, **options: Any) -> None:
        entity = _seeded(options["key"])
        if options["verb"] == "move-home":
            to = instance_id() if options["to"] == "here" else options["to"]
            if not is_instance_id(to):
                raise CommandError(
                    f"--to: '{to}' is not an instance id (such as pn-0123456789abcdef)", returncode=2
                )
            before = entity.home_instance
            try:
                move_home(None, entity, to)
            except NotHome as error:
                raise CommandError(f"KEY: {error}", returncode=2) from None
            entity.refresh_from_db()
            state = {**_state(entity), "moved_from": before or None}
        else:
            state = _state(entity)
        if options["json"]:
            self.stdout.write(json.dumps(state, sort_keys=True))
            return
        where = "this instance" if state["here"] else (state["home"] or "nowhere yet (no claim approved)")
        self.stdout.write(f"{entity.key} is homed at {where}")
