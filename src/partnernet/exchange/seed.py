"""``partnernet seed``: the reference data every instance loads identically.

Reference rows have the origin ``seed`` and a UUID derived from their kind and key, so the same row has the
same global id on every instance and federated rows can point at it by key. Loading compares before it
writes: a second run finds every row equal and changes nothing.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from importlib import resources

from django.db import transaction

from partnernet.base.models import SEED_ORIGIN
from partnernet.base.seeding import SeedCounts, seed_uuid, upsert
from partnernet.directory.models import Entity
from partnernet.framework.models import PartnershipType, Region, Theme
from partnernet.framework.selectors import forget_region_tree
from partnernet.i18n.names import official_languages

PARTNERSHIP_TYPES = (
    ("glam", "GLAM", "Galleries, libraries, archives and museums sharing collections and knowledge."),
    (
        "education",
        "Education",
        "Schools, universities and teachers using and contributing to open knowledge.",
    ),
    ("open_data", "Open data", "Structured, openly licensed data, such as Wikidata, with data holders."),
    ("technology", "Technology", "Tools, software and infrastructure built or shared with partners."),
    ("research", "Research", "Research institutions studying or contributing to the projects."),
    ("policy", "Policy", "Advocacy with governments and institutions for free knowledge."),
    ("media", "Media", "Broadcasters, publishers and media events."),
    ("funding", "Funding", "Donors, foundations and sponsors of movement work."),
)
THEMES = (
    ("cultural_heritage", "Cultural heritage"),
    ("science", "Science"),
    ("languages", "Languages"),
    ("gender_gap", "Gender gap"),
    ("climate", "Climate"),
    ("health", "Health"),
    ("indigenous_knowledge", "Indigenous knowledge"),
    ("human_rights", "Human rights"),
    ("local_history", "Local history"),
    ("sports", "Sports"),
)
CLDR_SOURCE = "Unicode CLDR official languages (derived through Babel's get_official_languages)"

LEGAL_KINDS = frozenset({"chapter", "thematic_org", "foundation"})
"""Kinds recognised only as incorporated organisations; for the others the source says nothing."""


def slug(name: str) -> str:
    """A key from a name: ASCII, lower case, words joined by '-'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:100].strip("-")


def data_rows(filename: str) -> Iterator[dict[str, str]]:
    """Rows of a CSV shipped in ``partnernet/exchange/data``."""
    text = resources.files("partnernet.exchange").joinpath("data", filename).read_text(encoding="utf-8")
    yield from csv.DictReader(text.splitlines())


def load_taxonomy(counts: SeedCounts) -> None:
    """Create the default terms that are missing. Existing terms are left alone: after the first seed the
    taxonomy belongs to the agreement process, and a re-seed must not undo a rename it decided."""
    for position, (key, name, description) in enumerate(PARTNERSHIP_TYPES):
        values = {
            "uuid": seed_uuid("type", key),
            "name": name,
            "description": description,
            "position": position,
        }
        _, created = PartnershipType.objects.get_or_create(origin=SEED_ORIGIN, key=key, defaults=values)
        counts.add("partnership types", "created" if created else "unchanged")
    for position, (key, name) in enumerate(THEMES):
        values = {"uuid": seed_uuid("theme", key), "name": name, "position": position}
        _, created = Theme.objects.get_or_create(origin=SEED_ORIGIN, key=key, defaults=values)
        counts.add("themes", "created" if created else "unchanged")
    load_term_labels(counts)


def load_term_labels(counts: SeedCounts) -> None:
    """Add the shipped translations of the default terms (``data/taxonomy_labels.csv``) where a term has no
    label yet in that language: a label a facilitator or the agreement process set is never overwritten."""
    models: dict[str, type[PartnershipType] | type[Theme]] = {"type": PartnershipType, "theme": Theme}
    for row in data_rows("taxonomy_labels.csv"):
        model = models[row["subject"]]
        term = model.objects.filter(origin=SEED_ORIGIN, key=row["key"]).first()
        if term is None:
            continue
        shipped = {lang: value for lang, value in row.items() if lang not in ("subject", "key") and value}
        missing = {lang: value for lang, value in shipped.items() if not (term.labels or {}).get(lang)}
        if missing:
            term.labels = {**(term.labels or {}), **missing}
            term.save(update_fields=["labels"])
            counts.add("term labels", "updated")


def load_regions(counts: SeedCounts) -> None:
    """Every M49 area and ISO country; parents come before children in the file, so paths build in order."""
    by_code: dict[str, Region] = {}
    for row in data_rows("m49.csv"):
        parent = by_code.get(row["parent"]) if row["parent"] else None
        path = f"{parent.path if parent else '/'}{row['code']}/"
        region, outcome = upsert(
            Region,
            {"origin": SEED_ORIGIN, "code": row["code"]},
            {
                "uuid": seed_uuid("region", row["code"]),
                "name": row["name"],
                "level": row["level"],
                "parent": parent,
                "m49": row["m49"],
                "path": path,
            },
        )
        by_code[row["code"]] = region
        counts.add("regions", outcome)
    forget_region_tree()


def load_entities(counts: SeedCounts) -> None:
    """The real movement affiliates of ``data/affiliates.csv`` (sources in ``data/README.md``).

    Their languages are derived, not read: CLDR's official languages of their country, marked as derived
    (``languages_derived``, and a line in the row's sources) until their admins state them in the profile
    their home keeps. An affiliate without a country gets none.
    """
    regions = {r.code: r for r in Region.objects.all()}
    for row in data_rows("affiliates.csv"):
        key = slug(row["name"])
        languages = official_languages(row["country_code"]) if row["country_code"] else []
        sources = row["source_url"]
        if languages:
            sources += f" ; languages: {CLDR_SOURCE} of {row['country_code']}"
        _, outcome = upsert(
            Entity,
            {"origin": SEED_ORIGIN, "key": key},
            {
                "uuid": seed_uuid("entity", key),
                "name": row["name"],
                "kind": row["kind"],
                "country": regions[row["country_code"]] if row["country_code"] else None,
                "wikidata": row["wikidata_qid"],
                "founded": int(row["recognised_year"]) if row["recognised_year"] else None,
                "legal_identity": True if row["kind"] in LEGAL_KINDS else None,
                "languages": languages,
                "languages_derived": bool(languages),
                "source_url": sources,
            },
            m2m={"regions": [regions[code].pk for code in row["region"].split(";") if code]},
        )
        counts.add("entities", outcome)


def seed_reference() -> SeedCounts:
    counts = SeedCounts()
    with transaction.atomic():
        load_taxonomy(counts)
        load_regions(counts)
        load_entities(counts)
    return counts
