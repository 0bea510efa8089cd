"""``partnernet lapse_terms``: lapse the stewardships whose term has ended (the worker does it daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from partnernet.framework.services import lapse_ended_terms


class Command(BaseCommand):
    help = (
        "Lapse every active stewardship whose term ended before today (a term's last day still serves) and "
        "move the requests still offered to it to their next candidate. Safe to repeat; for cron, or after "
        "the worker was down."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        lapsed = lapse_ended_terms()
        for stewardship in lapsed:
            self.stdout.write(f"lapsed {stewardship.key} (term ended {stewardship.term_end})")
        self.stderr.write(f"{len(lapsed)} stewardship(s) lapsed")
