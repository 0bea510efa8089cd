"""``partnernet proposal list [--open] [--json]`` and ``partnernet proposal close-due``."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from partnernet.framework.proposals import proposal_row, proposals_listing
from partnernet.framework.services import close_due_proposals


class Command(BaseCommand):
    help = (
        "Proposals of the agreement process. 'list' prints them newest first with their tallies (the final "
        "tally for a closed proposal, the current one while open); 'close-due' decides every proposal whose "
        "closing time has passed (the worker does this at each closing time; this is the manual safety net)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        listing = actions.add_parser("list", help="list proposals with their tallies")
        listing.add_argument("--open", action="store_true", help="only proposals still open")
        listing.add_argument("--json", action="store_true", help="print one JSON document on stdout")
        closing = actions.add_parser("close-due", help="close every proposal whose closing time has passed")
        closing.add_argument("--json", action="store_true", help="print one JSON document on stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "close-due":
            decisions = close_due_proposals()
            closed = [{"proposal": d.proposal.key, "outcome": d.outcome} for d in decisions]
            if options["json"]:
                self.stdout.write(json.dumps({"closed": closed}))
            else:
                for entry in closed:
                    self.stdout.write(f"{entry['proposal']}: {entry['outcome']}")
                self.stderr.write(f"closed {len(closed)} proposals")
            return
        rows: list[dict[str, Any]] = [proposal_row(p) for p in proposals_listing(only_open=options["open"])]
        if options["json"]:
            self.stdout.write(json.dumps({"proposals": rows}, ensure_ascii=False))
            return
        if not rows:
            self.stderr.write("no proposals")
            return
        for row in rows:
            tally: dict[str, int] = row["tally"]
            state = row["outcome"] or f"open until {row['closes_at'][:16].replace('T', ' ')}"
            self.stdout.write(
                f"{row['key']}  {row['kind']:<11}  {state:<28}  "
                f"+{tally['support']} -{tally['oppose']} ={tally['abstain']}  {row['title']}"
            )
