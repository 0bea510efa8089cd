from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from partnernet.partnerships.services import rebuild_registry_tally, tally_is_fresh


class Command(BaseCommand):
    help = (
        "Recount the registry's facet tally now. The registry does it by itself on its first view after rows "
        "were written around the services (import, generate, federation); at a million partnerships that "
        "takes about a minute, so run this after a large import instead of letting a visitor wait."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if tally_is_fresh():
            self.stderr.write("the registry tally is already up to date")
            return
        rebuild_registry_tally()
        self.stderr.write("the registry tally was rebuilt")
