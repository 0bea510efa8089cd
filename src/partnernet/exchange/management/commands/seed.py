from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from partnernet.base.seeding import SeedCounts
from partnernet.exchange.demo import seed_demo
from partnernet.exchange.seed import seed_reference
from partnernet.library.starter import load_starter


class Command(BaseCommand):
    help = (
        "Migrate if needed, then load the default taxonomy, every M49 region with its countries, the real "
        "movement entities and the library's starter set of cited public resources. With --demo, also the "
        "real partnerships of the shipped data and clearly labelled demo stewardships, partners, "
        "partnerships and requests. Running it again changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--demo", action="store_true", help="also load the demo data set")
        parser.add_argument("--json", action="store_true", help="print the counts as one JSON document")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        reference = load_starter(seed_reference())
        demo = seed_demo() if options["demo"] else SeedCounts()
        created = _merge(reference.created, demo.created)
        updated = _merge(reference.updated, demo.updated)
        if options["json"]:
            self.stdout.write(json.dumps({"created": created, "updated": updated}, sort_keys=True))
            return
        if not created and not updated:
            self.stdout.write("Seed data is already up to date: nothing changed.")
        for label, count in sorted(created.items()):
            self.stdout.write(f"created {count} {label}")
        for label, count in sorted(updated.items()):
            self.stdout.write(f"updated {count} {label}")


def _merge(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {key: a.get(key, 0) + b.get(key, 0) for key in sorted(set(a) | set(b))}
