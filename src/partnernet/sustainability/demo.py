"""Needs, pledges and a capacity plan for ``seed --demo``: invented and labelled as demo everywhere.

Every row has a key starting ``demo-``, a title starting "Demo ·" and ``is_demo`` set; the amounts, people
and pledges are invented to show the support side at work, not anything an entity asked for. Deterministic
keys and UUIDs, compared before written: a second run changes nothing. Needs belong to the demo stewardships'
entities; their statuses are derived from the delivered pledges like any need's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from partnernet.base.identity import instance_id
from partnernet.base.seeding import SeedCounts, seed_uuid, upsert
from partnernet.directory.models import Entity, Partner
from partnernet.framework.models import Stewardship
from partnernet.sustainability.models import CapacityPlan, Milestone, Need, PlanGoal, Pledge
from partnernet.sustainability.services import refresh_needs

NEEDS = (
    # key, entity, kind, title, amount, unit, currency, urgency, visibility, stewardship prefix, why
    (
        "demo-need-ghana-coordinator",
        "wikimedia-ghana-user-group",
        "staff",
        "Demo · A part-time GLAM coordinator",
        "0.5",
        "fte",
        "",
        "critical",
        "public",
        "demo-wikimedia-ghana-user-group-glam",
        "Demo · One volunteer holds every museum contact in Western Africa.",
    ),
    (
        "demo-need-ghana-travel",
        "wikimedia-ghana-user-group",
        "funding",
        "Demo · Travel to partner museums",
        "2400",
        "money",
        "GHS",
        "high",
        "movement",
        "demo-wikimedia-ghana-user-group-glam",
        "Demo · Visits to sign and follow up museum agreements.",
    ),
    (
        "demo-need-bangladesh-training",
        "wikimedia-bangladesh",
        "training",
        "Demo · Trainer hours for campus programmes",
        "60",
        "hours",
        "",
        "normal",
        "public",
        "demo-wikimedia-bangladesh-education",
        "Demo · More campuses ask.",
    ),
    (
        "demo-need-sweden-tools",
        "wikimedia-sweden",
        "funding",
        "Demo · Hosting for the upload tools",
        "3000",
        "money",
        "EUR",
        "normal",
        "movement",
        "demo-wikimedia-sweden-glam",
        "Demo · Server costs.",
    ),
    (
        "demo-need-sweden-mentoring",
        "wikimedia-sweden",
        "mentoring",
        "Demo · Mentoring on fiscal hosting",
        None,
        "",
        "",
        "low",
        "private",
        "",
        "Demo · Private to the entity's members.",
    ),
)
PLEDGES = (
    # key, need, entity, partner, person, what, amount, status, days before the demo epoch
    (
        "demo-pledge-sweden-mentor",
        "demo-need-ghana-coordinator",
        "wikimedia-sweden",
        "",
        "",
        "Demo · A coordinator seconded two days a week",
        "0.25",
        "delivered",
        40,
    ),
    (
        "demo-pledge-museum-travel",
        "demo-need-ghana-travel",
        "",
        "demo-coastal-heritage-museum",
        "Demo · Ama Mensah",
        "Demo · Travel grant",
        "1200",
        "pledged",
        10,
    ),
    (
        "demo-pledge-france-trainers",
        "demo-need-bangladesh-training",
        "wikimedia-france",
        "",
        "",
        "Demo · Trainer hours",
        "60",
        "delivered",
        30,
    ),
    (
        "demo-pledge-person-hosting",
        "demo-need-sweden-tools",
        "",
        "",
        "Demo · A. Volunteer",
        "Demo · Hosting for a year",
        "3000",
        "cancelled",
        20,
    ),
)
EPOCH = dt.date(2026, 11, 1)


def _ids(model: type[Any], keys: set[str]) -> dict[str, int]:
    local = instance_id()
    ids: dict[str, int] = {}
    for key, pk, origin in (
        model.objects.filter(key__in=keys).values_list("key", "pk", "origin").order_by("origin")
    ):
        if key not in ids or origin == local:
            ids[key] = pk
    return ids


def _stewardship(entity_id: int, prefix: str) -> list[int]:
    if not prefix:
        return []
    rows = Stewardship.objects.filter(entity_id=entity_id, key__startswith=prefix, origin=instance_id())
    return list(rows.values_list("pk", flat=True)[:1])


def load_needs_demo(counts: SeedCounts) -> None:
    local = instance_id()
    entities = _ids(Entity, {row[1] for row in NEEDS} | {row[2] for row in PLEDGES if row[2]})
    partners = _ids(Partner, {row[3] for row in PLEDGES if row[3]})
    need_ids: dict[str, int] = {}
    for key, entity, kind, title, amount, unit, currency, urgency, visibility, prefix, why in NEEDS:
        if entity not in entities:
            continue
        need, outcome = upsert(
            Need,
            {"origin": local, "key": key},
            {
                "uuid": seed_uuid("demo-need", key),
                "is_demo": True,
                "entity_id": entities[entity],
                "kind": kind,
                "title": title,
                "amount": Decimal(amount) if amount else None,
                "unit": unit,
                "currency": currency,
                "urgency": urgency,
                "visibility": visibility,
                "why": why,
                "start": dt.date(2026, 1, 1),
                "end": dt.date(2027, 6, 30),
            },
            m2m={"stewardships": _stewardship(entities[entity], prefix)},
        )
        need_ids[key] = need.pk
        counts.add("needs", outcome)
    for key, need, entity, partner, person, what, amount, status, days in PLEDGES:
        if (
            need not in need_ids
            or (entity and entity not in entities)
            or (partner and partner not in partners)
        ):
            continue
        _, outcome = upsert(
            Pledge,
            {"origin": local, "key": key},
            {
                "uuid": seed_uuid("demo-pledge", key),
                "is_demo": True,
                "need_id": need_ids[need],
                "entity_id": entities[entity] if entity else None,
                "partner_id": partners[partner] if partner else None,
                "person": person,
                "what": what,
                "amount": Decimal(amount),
                "status": status,
                "due": EPOCH - dt.timedelta(days=days),
            },
        )
        counts.add("pledges", outcome)
    refresh_needs(None, need_ids.values())
    _plan(entities, counts)


def _plan(entities: dict[str, int], counts: SeedCounts) -> None:
    """A demo capacity plan: GLAM capacity for Western Africa from 1 to 3 cases, tied to a need."""
    entity = entities.get("wikimedia-ghana-user-group")
    held = _stewardship(entity, "demo-wikimedia-ghana-user-group-glam") if entity else []
    if entity is None or not held:
        return
    local = instance_id()
    plan, outcome = upsert(
        CapacityPlan,
        {"origin": local, "entity_id": entity},
        {
            "uuid": seed_uuid("demo-plan", "ghana"),
            "is_demo": True,
            "summary": "Demo · An invented plan to show goals read from the data.",
        },
    )
    counts.add("capacity plans", outcome)
    needs = Need.objects.filter(key="demo-need-ghana-coordinator", origin=local)
    goal, outcome = upsert(
        PlanGoal,
        {"origin": local, "uuid": seed_uuid("demo-goal", "ghana-glam")},
        {
            "plan": plan,
            "title": "Demo · GLAM capacity for Western Africa from 1 to 3 cases by 2027-06",
            "measure": "capacity",
            "stewardship_id": held[0],
            "baseline": 1,
            "target": 3,
            "due": dt.date(2027, 6, 30),
        },
        m2m={"needs": list(needs.values_list("pk", flat=True))},
    )
    counts.add("plan goals", outcome)
    if not goal.milestones.exists():
        Milestone.objects.create(
            goal=goal, title="Demo · Two cases at once", value=2, due=dt.date(2027, 1, 31)
        )
