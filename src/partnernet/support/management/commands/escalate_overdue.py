"""``partnernet escalate_overdue``: the SLA sweep, for cron or after an outage of the worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from partnernet.support.services import escalate_all_overdue


class Command(BaseCommand):
    help = (
        "Move every offer left unanswered past its stewardship's response time to the next candidate (or the "
        "facilitators' queue). Idempotent; the worker does the same per offer at its due time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        moved = escalate_all_overdue()
        self.stdout.write(f"{moved} overdue offer{'s' if moved != 1 else ''} moved on.")
