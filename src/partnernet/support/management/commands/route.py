"""``partnernet route``: rank the stewards for a would-be request, with the explanation of each rank."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from partnernet.support.candidates import candidate_json, route_candidates
from partnernet.support.forms import RouteQueryForm


class Command(BaseCommand):
    help = (
        "Rank the active stewardships that could take a support request of this type, theme, region and "
        "language, best first, with the reason for each rank (capacity, match, region distance, shared "
        "language, level, load). The requester's own entity is never a candidate, co-signing and fiscal "
        "sponsorship go only to entities with a legal identity, and stewardships outside their term are left "
        "out. Changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--type", required=True, help="partnership type key, such as glam")
        parser.add_argument("--theme", help="theme key, such as cultural_heritage (default: none)")
        parser.add_argument("--region", required=True, help="M49 code or ISO 3166-1 country code, such as SE")
        parser.add_argument(
            "--need",
            help="co_signing, fiscal_sponsorship, tools, training, …; co_signing and fiscal_sponsorship rank "
            "only stewards whose entity has a legal identity",
        )
        parser.add_argument("--language", help="BCP 47 tag of the request's language, such as sv")
        parser.add_argument(
            "--requester",
            help="the asking entity's key, or KEY@ORIGIN for a peer's entity: it is never a candidate",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON document (FORMATS.md)")

    def handle(self, *args: Any, **options: Any) -> None:
        names = ("type", "theme", "region", "need", "language", "requester")
        form = RouteQueryForm({name: options[name] or "" for name in names})
        if not form.is_valid():
            problems = [
                f"argument --{name}: {message}"
                for name, messages in form.errors.items()
                for message in messages
            ]
            raise CommandError("\n".join(problems), returncode=2)
        request = form.routing_request()
        candidates = route_candidates(request)
        if options["json"]:
            document = {
                "request": {
                    "type": request.type,
                    "theme": request.theme,
                    "region": request.region,
                    "need": request.need,
                    "language": request.language,
                    "requester": request.requester,
                },
                "candidates": [candidate_json(candidate) for candidate in candidates],
            }
            self.stdout.write(json.dumps(document, ensure_ascii=False))
            return
        if not candidates:
            self.stdout.write(
                "No active stewardship matches: the request would go to the facilitators' queue."
            )
            return
        for candidate in candidates:
            self.stdout.write(
                f"{candidate.rank:>3}. {candidate.entity_name} [{candidate.entity}] "
                f"stewardship {candidate.stewardship}: {candidate.explanation}"
            )
