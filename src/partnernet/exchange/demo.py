"""``partnernet seed --demo``: the real partnerships of the shipped data, then clearly labelled demo rows.

The 53 real partnerships come from ``data/partnerships.csv`` with their sources. Everything invented for
the demo has a key starting ``demo-``, a name or title starting "Demo ·", and ``is_demo`` set, so it is
labelled wherever it shows — in the UI, the admin and every export. All of it is deterministic: the same
keys, UUIDs and dates on every run, compared before written, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from partnernet.base.identity import instance_id
from partnernet.base.seeding import SeedCounts, seed_uuid, upsert
from partnernet.directory.models import Entity, Partner
from partnernet.exchange.seed import data_rows, slug
from partnernet.framework.models import PartnershipType, Region, Stewardship, Theme
from partnernet.impact.demo import load_impact_demo
from partnernet.partnerships.models import Partnership
from partnernet.partnerships.tally import rebuild_registry_tally
from partnernet.support.models import SupportRequest
from partnernet.support.selectors import covering_stewardship
from partnernet.sustainability.demo import load_needs_demo

CONCLUDED_BEFORE = 2024
"""Real rows dated before this year are recorded as concluded, later or undated ones as active (editorial)."""

DEMO_ENTITIES = (
    ("demo-volunteer-accra", "Demo · Volunteer in Accra", "individual", "GH", ["en", "tw"], False),
    ("demo-volunteer-tbilisi", "Demo · Volunteer in Tbilisi", "individual", "GE", ["ka", "en"], False),
    ("demo-heritage-circle-lima", "Demo · Heritage photo circle, Lima", "user_group", "PE", ["es"], False),
    (
        "demo-wiki-club-nairobi",
        "Demo · University wiki club, Nairobi",
        "user_group",
        "KE",
        ["sw", "en"],
        False,
    ),
)
DEMO_STEWARDSHIPS: tuple[tuple[str, str, str | None, str, str, int, list[str], str], ...] = (
    # entity, type, theme, region, level, capacity, languages, commitments
    (
        "wikimedia-sweden",
        "glam",
        None,
        "154",
        "lead",
        10,
        ["sv", "en"],
        "Upload tools and advice for GLAM content partnerships.",
    ),
    (
        "wikimedia-germany",
        "open_data",
        None,
        "001",
        "lead",
        12,
        ["de", "en"],
        "Wikidata modelling and data-donation support.",
    ),
    (
        "wikimedia-united-kingdom",
        "glam",
        "cultural_heritage",
        "154",
        "co_lead",
        4,
        ["en", "cy"],
        "Wikimedian-in-residence advice.",
    ),
    (
        "amical-wikimedia",
        "glam",
        None,
        "039",
        "lead",
        6,
        ["ca", "es"],
        "Museum partnerships in Catalan-speaking areas.",
    ),
    ("wikimedia-spain", "glam", None, "ES", "co_lead", 3, ["es"], "Museum agreements in Spain."),
    (
        "wikimedia-argentina",
        "education",
        None,
        "419",
        "lead",
        8,
        ["es"],
        "Education programmes with universities.",
    ),
    (
        "wikimedia-mexico",
        "glam",
        None,
        "419",
        "lead",
        5,
        ["es"],
        "Library and archive partnerships in Latin America.",
    ),
    (
        "wikimedia-indonesia",
        "glam",
        None,
        "035",
        "lead",
        5,
        ["id", "en"],
        "Research-institute and museum MoUs.",
    ),
    ("wikimedia-bangladesh", "education", None, "034", "lead", 4, ["bn", "en"], "Campus programmes."),
    (
        "wikimedia-community-user-group-nigeria",
        "education",
        None,
        "011",
        "supporter",
        2,
        ["en", "ha", "yo"],
        "University partnerships.",
    ),
    (
        "open-foundation-west-africa",
        "open_data",
        None,
        "011",
        "co_lead",
        3,
        ["en", "fr"],
        "Open data with West African partners.",
    ),
    ("art-feminism", "glam", "gender_gap", "001", "lead", 6, ["en", "es"], "Edit-a-thons with art museums."),
    ("wiki-project-med", "research", "health", "001", "lead", 5, ["en"], "Medical content partnerships."),
    ("wikimedia-foundation", "funding", None, "001", "lead", 20, ["en"], "Grants and fiscal questions."),
    (
        "wikimedia-language-diversity-hub",
        "education",
        "languages",
        "001",
        "lead",
        4,
        ["en"],
        "Language documentation partners.",
    ),
    ("wikimedia-cee-hub", "glam", None, "151", "supporter", 3, ["en", "pl"], "Support for CEE affiliates."),
    ("eseap-hub", "glam", None, "035", "supporter", 2, ["en", "id"], "Peer support in the ESEAP region."),
    (
        "wikimedia-ghana-user-group",
        "glam",
        None,
        "011",
        "supporter",
        1,
        ["en", "tw"],
        "Local museum contacts.",
    ),
    ("wikimedia-france", "education", None, "155", "lead", 5, ["fr"], "Teacher training."),
    ("wikimedia-netherlands", "glam", None, "155", "co_lead", 4, ["nl", "en"], "Museum image donations."),
)
DEMO_PARTNERS = (
    ("demo-coastal-heritage-museum", "Demo · Coastal Heritage Museum", "museum", "GH"),
    ("demo-riverside-university-library", "Demo · Riverside University Library", "library", "NG"),
    ("demo-municipal-photo-archive", "Demo · Municipal Photo Archive", "archive", "PE"),
    ("demo-institute-of-languages", "Demo · Institute of Languages", "university", "KE"),
    ("demo-mountain-folk-museum", "Demo · Mountain Folk Museum", "museum", "GE"),
)
DEMO_PARTNERSHIPS: tuple[
    tuple[str, str, str, list[str], list[str], str, list[str], str, str, str, int], ...
] = (
    # key, title, lead, supporters, partners, type, themes, region, status, visibility, start year
    (
        "demo-coastal-heritage-photos",
        "Demo · Photographs of the Coastal Heritage Museum",
        "wikimedia-ghana-user-group",
        ["demo-volunteer-accra"],
        ["demo-coastal-heritage-museum"],
        "glam",
        ["cultural_heritage"],
        "GH",
        "active",
        "public",
        2025,
    ),
    (
        "demo-riverside-theses",
        "Demo · Open theses with Riverside University Library",
        "wikimedia-community-user-group-nigeria",
        ["open-foundation-west-africa"],
        ["demo-riverside-university-library"],
        "education",
        ["science"],
        "NG",
        "negotiating",
        "movement",
        2026,
    ),
    (
        "demo-lima-photo-archive",
        "Demo · Digitising the Municipal Photo Archive",
        "demo-heritage-circle-lima",
        ["wikimedia-argentina"],
        ["demo-municipal-photo-archive"],
        "glam",
        ["local_history"],
        "PE",
        "prospect",
        "private",
        2026,
    ),
    (
        "demo-swahili-terms",
        "Demo · Swahili terminology with the Institute of Languages",
        "demo-wiki-club-nairobi",
        ["wikimedia-language-diversity-hub"],
        ["demo-institute-of-languages"],
        "education",
        ["languages"],
        "KE",
        "active",
        "public",
        2024,
    ),
    (
        "demo-mountain-folk-objects",
        "Demo · Folk objects of the Mountain Folk Museum on Wikidata",
        "demo-volunteer-tbilisi",
        ["wikimedia-germany"],
        ["demo-mountain-folk-museum"],
        "open_data",
        ["cultural_heritage"],
        "GE",
        "paused",
        "movement",
        2023,
    ),
)
DEMO_REQUESTS: tuple[tuple[str, str, str | None, str, str | None, str, str, str, str | None, int], ...] = (
    # key, requester, partnership, type, theme, region, need, status, steward, days ago
    (
        "demo-req-accra-cosign",
        "demo-volunteer-accra",
        "demo-coastal-heritage-photos",
        "glam",
        None,
        "GH",
        "co_signing",
        "offered",
        "wikimedia-ghana-user-group",
        3,
    ),
    (
        "demo-req-lima-sponsor",
        "demo-heritage-circle-lima",
        "demo-lima-photo-archive",
        "glam",
        None,
        "PE",
        "fiscal_sponsorship",
        "open",
        None,
        1,
    ),
    (
        "demo-req-tbilisi-wikidata",
        "demo-volunteer-tbilisi",
        "demo-mountain-folk-objects",
        "open_data",
        None,
        "GE",
        "training",
        "accepted",
        "wikimedia-germany",
        20,
    ),
    (
        "demo-req-nairobi-letter",
        "demo-wiki-club-nairobi",
        "demo-swahili-terms",
        "education",
        "languages",
        "KE",
        "letter",
        "resolved",
        "wikimedia-language-diversity-hub",
        60,
    ),
    (
        "demo-req-riverside-tools",
        "wikimedia-community-user-group-nigeria",
        "demo-riverside-theses",
        "education",
        None,
        "NG",
        "tools",
        "in_progress",
        "wikimedia-community-user-group-nigeria",
        12,
    ),
    (
        "demo-req-lima-upload",
        "demo-heritage-circle-lima",
        None,
        "glam",
        None,
        "PE",
        "content_upload",
        "offered",
        "wikimedia-mexico",
        9,
    ),
    (
        "demo-req-accra-training",
        "demo-volunteer-accra",
        None,
        "glam",
        None,
        "GH",
        "training",
        "declined",
        None,
        40,
    ),
    (
        "demo-req-tbilisi-withdrawn",
        "demo-volunteer-tbilisi",
        None,
        "glam",
        None,
        "GE",
        "letter",
        "withdrawn",
        None,
        90,
    ),
)
DEMO_EPOCH = dt.date(2026, 11, 1)
"""Fixed "today" of the demo timeline, so every run writes the same dates."""


def _entity_ids() -> dict[str, int]:
    local = instance_id()
    ids: dict[str, int] = {}
    for key, pk, origin in Entity.objects.values_list("key", "pk", "origin").order_by("origin"):
        if key not in ids or origin == local:
            ids[key] = pk
    return ids


def _common(kind: str, key: str) -> dict[str, Any]:
    return {"uuid": seed_uuid(f"demo-{kind}", key), "is_demo": True}


def load_real_partnerships(counts: SeedCounts) -> None:
    """The partnerships of ``data/partnerships.csv``: real, sourced, and not demo (``is_demo`` is false)."""
    regions = {r.code: r for r in Region.objects.all()}
    types = {t.key: t for t in PartnershipType.objects.all()}
    kinds = {row["partner_name"]: row["kind"] for row in data_rows("partner_kinds.csv")}
    entities = {e.name: e for e in Entity.objects.filter(origin="seed").prefetch_related("regions")}
    sources: dict[str, list[str]] = {}
    rows = list(data_rows("partnerships.csv"))
    for row in rows:
        sources.setdefault(slug(row["partner_name"]), []).append(row["source_url"])
    for row in rows:
        partner_key = slug(row["partner_name"])[:100]
        partner, outcome = upsert(
            Partner,
            {"origin": instance_id(), "key": partner_key},
            {
                "uuid": seed_uuid("real-partner", partner_key),
                "name": row["partner_name"],
                "kind": kinds[row["partner_name"]],
                "country": regions[row["partner_country"]] if row["partner_country"] else None,
                "source_url": " ; ".join(sources[partner_key]),
            },
        )
        counts.add("partners", outcome)
        lead = entities[row["affiliate_name"]]
        key = f"{slug(row['affiliate_name'])[:45]}-{partner_key[:50]}".strip("-")
        year = int(row["year"]) if row["year"] else None
        region = regions.get(row["partner_country"]) or lead.country or next(iter(lead.regions.all()), None)
        note = (
            f"Year given by the source: {year} (day and month not stated)."
            if year
            else "The source gives no date."
        )
        _, outcome = upsert(
            Partnership,
            {"origin": instance_id(), "key": key},
            {
                "uuid": seed_uuid("real-partnership", key),
                "title": f"{row['partner_name']} · {row['affiliate_name']}",
                "description": note,
                "lead": lead,
                "type": types[row["partnership_type"]],
                "region": region,
                "status": "concluded" if year and year < CONCLUDED_BEFORE else "active",
                "start": dt.date(year, 1, 1) if year else None,
                "visibility": "public",
                "source_url": row["source_url"],
            },
            m2m={"partners": [partner.pk]},
        )
        counts.add("partnerships", outcome)


def load_demo(counts: SeedCounts) -> None:
    regions = {r.code: r for r in Region.objects.all()}
    types = {t.key: t for t in PartnershipType.objects.all()}
    themes = {t.key: t for t in Theme.objects.all()}
    local = instance_id()
    for key, name, kind, country, languages, legal in DEMO_ENTITIES:
        _, outcome = upsert(
            Entity,
            {"origin": local, "key": key},
            {
                **_common("entity", key),
                "name": name,
                "kind": kind,
                "country": regions[country],
                "languages": languages,
                "legal_identity": legal,
                "description": "Invented for the demo: not a real person or group.",
            },
            m2m={"regions": [regions[country].pk]},
        )
        counts.add("entities", outcome)
    entity_ids = _entity_ids()
    for entity, type_key, theme, region, level, capacity, languages, commitments in DEMO_STEWARDSHIPS:
        key = f"demo-{entity}-{type_key}-{region}".lower()[:100]
        _, outcome = upsert(
            Stewardship,
            {"origin": local, "key": key},
            {
                **_common("stewardship", key),
                "entity_id": entity_ids[entity],
                "type": types[type_key],
                "theme": themes[theme] if theme else None,
                "region": regions[region],
                "level": level,
                "capacity": capacity,
                "languages": languages,
                "status": "active",
                "commitments": f"Demo · {commitments}",
                "term_start": dt.date(2026, 1, 1),
                "term_end": dt.date(2027, 12, 31),
            },
        )
        counts.add("stewardships", outcome)
    for key, name, kind, country in DEMO_PARTNERS:
        _, outcome = upsert(
            Partner,
            {"origin": local, "key": key},
            {**_common("partner", key), "name": name, "kind": kind, "country": regions[country]},
        )
        counts.add("partners", outcome)
    partner_ids = dict(Partner.objects.filter(origin=local).values_list("key", "pk"))
    for (
        key,
        title,
        lead,
        supporters,
        partners,
        type_key,
        theme_keys,
        region,
        status,
        visibility,
        year,
    ) in DEMO_PARTNERSHIPS:
        _, outcome = upsert(
            Partnership,
            {"origin": local, "key": key},
            {
                **_common("partnership", key),
                "title": title,
                "lead_id": entity_ids[lead],
                "type": types[type_key],
                "region": regions[region],
                "status": status,
                "visibility": visibility,
                "start": dt.date(year, 3, 1),
                "description": "Invented for the demo.",
            },
            m2m={
                "supporters": [entity_ids[k] for k in supporters],
                "partners": [partner_ids[k] for k in partners],
                "themes": [themes[k].pk for k in theme_keys],
            },
        )
        counts.add("partnerships", outcome)
    partnership_ids = dict(Partnership.objects.filter(origin=local).values_list("key", "pk"))
    for key, requester, partnership, type_key, theme, region, need, status, steward, days in DEMO_REQUESTS:
        created = DEMO_EPOCH - dt.timedelta(days=days)
        stewardship = (
            covering_stewardship(
                entity_ids[steward], types[type_key].pk, themes[theme].pk if theme else None, region
            )
            if steward
            else None
        )
        _, outcome = upsert(
            SupportRequest,
            {"origin": local, "key": key},
            {
                **_common("request", key),
                "requester_id": entity_ids[requester],
                "partnership_id": partnership_ids[partnership] if partnership else None,
                "type": types[type_key],
                "theme": themes[theme] if theme else None,
                "region": regions[region],
                "need": need,
                "status": status,
                "steward_id": entity_ids[steward] if steward else None,
                "stewardship": stewardship,
                "created": created,
                "resolved": created + dt.timedelta(days=14) if status == "resolved" else None,
                "description": "Demo · An invented request to show the workflow.",
            },
        )
        counts.add("requests", outcome)


def seed_demo() -> SeedCounts:
    counts = SeedCounts()
    with transaction.atomic():
        load_real_partnerships(counts)
        load_demo(counts)
        load_impact_demo(counts)
        load_needs_demo(counts)
        # A few dozen partnerships written row by row: recounting the registry's tally once is simplest.
        rebuild_registry_tally()
    return counts
