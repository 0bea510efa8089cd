"""Synthetic needs and pledges for ``partnernet generate``: one need per four generated stewardships, a
pledge to every other need, in bounded batches. Invented, so labelled as demo (``is_demo``), with keys of the
generated run's prefix. Amounts cycle through the units and a few currencies; a third of the pledges are
delivered, and each need's status is derived from them (``core.needs``) like any need's."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from partnernet.base.signals import records_created
from partnernet.core.needs import DELIVERED, PLEDGED, PledgeFigure, need_status
from partnernet.sustainability.models import Need, Pledge

BATCH = 5000
KINDS = ("staff", "funding", "tools", "training", "mentoring", "legal_fiscal", "other")
UNITS = (("fte", "", "0.50"), ("money", "EUR", "5000"), ("hours", "", "40"), ("money", "GHS", "12000"),
         ("", "", None), ("money", "USD", "2500"))  # fmt: skip
VISIBILITIES = ("movement", "public", "movement", "private")
URGENCIES = ("normal", "high", "low", "critical", "normal")


def need_count(stewardships: int) -> int:
    return (stewardships + 3) // 4


def pledge_count(needs: int) -> int:
    return (needs + 1) // 2


def generate_needs(
    prefix: str,
    stewardships: list[tuple[int, int]],
    entity_ids: list[int],
    report: Callable[[str, int], None],
) -> tuple[int, int]:
    """Insert the needs of every fourth stewardship and their pledges; returns (needs, pledges)."""
    chosen = stewardships[::4]
    made_needs = made_pledges = 0
    for start in range(0, len(chosen), BATCH):
        batch = list(enumerate(chosen[start : start + BATCH], start=start))
        with transaction.atomic():
            needs, links, pledges = [], [], []
            for index, (stewardship_id, entity_id) in batch:
                unit, currency, amount = UNITS[index % len(UNITS)]
                value = Decimal(amount) if amount else None
                pledge = None
                if index % 2 == 0 and len(entity_ids) > 1:
                    giver = entity_ids[(index * 7 + 1) % len(entity_ids)]
                    giver = giver if giver != entity_id else entity_ids[(index * 7 + 2) % len(entity_ids)]
                    status = DELIVERED if index % 3 == 0 else PLEDGED
                    pledge = (giver, status, value)
                figures = [PledgeFigure(pledge[1], pledge[2])] if pledge else []
                need = Need(
                    key=f"{prefix}n{index:07d}",
                    entity_id=entity_id,
                    kind=KINDS[index % len(KINDS)],
                    title=f"Demo · Synthetic need {index}",
                    amount=value,
                    unit=unit,
                    currency=currency,
                    urgency=URGENCIES[index % len(URGENCIES)],
                    visibility=VISIBILITIES[index % len(VISIBILITIES)],
                    status=need_status(value, figures),
                    is_demo=True,
                )
                needs.append((need, stewardship_id, pledge))
            Need.objects.bulk_create([need for need, _, _ in needs], batch_size=BATCH)
            through = Need.stewardships.through
            links = [through(need_id=need.pk, stewardship_id=sid) for need, sid, _ in needs]
            through.objects.bulk_create(links, batch_size=BATCH)
            pledges = [
                Pledge(
                    key=f"{need.key}-p",
                    need_id=need.pk,
                    entity_id=giver,
                    what="Demo · Synthetic pledge",
                    amount=value,
                    status=status,
                    is_demo=True,
                )
                for need, _, made in needs
                if made is not None
                for giver, status, value in [made]
            ]
            Pledge.objects.bulk_create(pledges, batch_size=BATCH)
            records_created.send(sender=Need, records=[need for need, _, _ in needs])
            records_created.send(sender=Pledge, records=pledges)
        made_needs += len(needs)
        made_pledges += len(pledges)
        report("needs", len(needs))
        report("pledges", len(pledges))
    return made_needs, made_pledges
