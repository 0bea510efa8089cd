"""The library's starter set: a few real, public resources with a cited source each (``data/README.md``),
loaded by ``partnernet seed`` as reference data — origin ``seed``, the same UUIDs on every instance,
read-only, never in a feed. Loading twice changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

from partnernet.base.models import SEED_ORIGIN
from partnernet.base.references import References
from partnernet.base.seeding import SeedCounts, seed_uuid, upsert
from partnernet.library.kinds import ResourceKindSpec
from partnernet.library.models import Resource
from partnernet.library.search import refresh
from partnernet.library.services import record_versions

STARTER = Path(__file__).with_name("data") / "starter.jsonl"


def load_starter(counts: SeedCounts | None = None) -> SeedCounts:
    """Upsert the starter resources whose publisher is loaded (the seed's real entities)."""
    counts = counts or SeedCounts()
    kind = ResourceKindSpec()
    rows = [json.loads(line) for line in STARTER.read_text(encoding="utf-8").splitlines() if line.strip()]
    refs = References(preferred=SEED_ORIGIN)
    refs.load(entities=[row["publisher"] for row in rows])
    touched: list[int] = []
    for row in rows:
        clean, errors = kind.clean(row, refs)
        if errors:
            if any(name == "publisher" for name, _ in errors):
                continue  # an instance without the seed's entities: nothing to publish them under
            raise ValueError(f"starter resource {row.get('key')}: {errors}")
        obj, outcome = upsert(
            Resource,
            {"origin": SEED_ORIGIN, "key": clean["key"]},
            {
                "uuid": seed_uuid("resource", clean["key"]),
                "title": clean["title"],
                "kind": clean["kind"],
                "url": clean["url"],
                "body": clean["body"],
                "language": clean["language"],
                "licence": clean["licence"],
                "publisher_id": refs.entities[clean["publisher"]],
                "status": clean["status"],
                "visibility": clean["visibility"],
                "is_demo": False,
            },
            m2m={
                "types": [refs.types[k].pk for k in clean["types"]],
                "themes": [refs.themes[k].pk for k in clean["themes"]],
                "regions": [refs.regions[k].pk for k in clean["regions"]],
            },
        )
        counts.add("resources", outcome)
        if outcome != "unchanged":
            touched.append(obj.pk)
    if touched:
        refresh(touched)
        record_versions(touched, None, "seed")
    return counts
