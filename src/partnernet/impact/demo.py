"""Impact demo data for ``seed --demo``: the default rubric, the two case studies the model names, one real
sourced figure, one real outcome source, and clearly labelled invented figures on the demo partnerships.

The case studies (Wikidata stewarded by Wikimedia Deutschland; GLAM content-partnership tools at Wikimedia
Sverige) carry only facts with a source each. Their **scores are demo judgements** made to show the rubric at
work, not an assessment by anyone in the movement, and say so wherever they show. Deterministic keys and
UUIDs, compared before written: a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from partnernet.base.identity import instance_id
from partnernet.base.seeding import SeedCounts, seed_uuid, upsert
from partnernet.directory.models import Entity
from partnernet.impact.models import (
    Criterion,
    Evaluation,
    EvaluationFact,
    Outcome,
    OutcomeSource,
    Rubric,
    Score,
)
from partnernet.partnerships.models import Partnership

RECOMMENDATION = (
    "https://meta.wikimedia.org/wiki/Strategy/Wikimedia_movement/2018-20/Working_Groups/Partnerships/"
    "Recommendations/Q1_R3"
)
DEMO_JUDGEMENT = "Demo judgement made for Partnernet's demo data — not an assessment by the movement."

RUBRIC = ("distributed-stewardship", "Distributed stewardship case study")
CRITERIA = (
    # key, name, what a high score means, weight
    (
        "capacity-built",
        "Capacity built",
        "Lasting skills, staff, tools or infrastructure at the steward and beyond.",
        "1",
    ),
    (
        "partners-reached",
        "Partners reached",
        "Partners and movement entities the work reached or served.",
        "1",
    ),
    (
        "weaker-entities-supported",
        "Weaker entities supported",
        "Support to user groups, individuals and entities without legal identity, not only the steward's own work.",
        "1.5",
    ),
    (
        "sustainability",
        "Sustainability",
        "The work can continue: funding, people and ownership beyond one grant.",
        "1",
    ),
    ("transferability", "Transferability", "Others can reuse the model, tools or lessons elsewhere.", "1"),
)

BUNDESARCHIV_SOURCE = "https://lists.wikimedia.org/pipermail/commons-l/2008-December/004355.html"

CASES: tuple[dict[str, Any], ...] = (
    {
        "key": "demo-eval-wmde-wikidata",
        "title": "Demo · Wikidata, stewarded by Wikimedia Deutschland",
        "steward": "wikimedia-germany",
        "partners": ("Bundesarchiv (German Federal Archives)",),
        "summary": (
            "The strategy recommendation names WMDE's work on Wikidata as an existing example of distributed "
            "responsibility to be examined and evaluated."
        ),
        "facts": (
            (
                "The partnerships recommendation names WMDE's work on Wikidata as a current example of distributed "
                "responsibility, to be examined and evaluated.",
                RECOMMENDATION,
            ),
            (
                "Wikimedia Deutschland started developing Wikidata in March 2012, with donations from [ai]², the "
                "Gordon and Betty Moore Foundation and Google; it called it the biggest technical project a chapter "
                "had undertaken.",
                "https://blog.wikimedia.de/2013/02/20/the-future-of-wikidata/",
            ),
            (
                "For 2013 the board of Wikimedia Deutschland decided to continue Wikidata's development with a team "
                "of eight, funded from donations, including support for the community's growth.",
                "https://blog.wikimedia.de/2013/02/20/the-future-of-wikidata/",
            ),
            (
                "Wikidata went live on 30 October 2012; a few months later every Wikipedia language edition used "
                "its data.",
                "http://www.linux-magazin.de/NEWS/Wikidata-liefert-Daten-fuer-ueber-280-Wikipedias?tagID=15",
            ),
            (
                "Two years after launch more than 16,000 users had created over 12.8 million items.",
                "https://blog.wikimedia.de/2014/11/05/zwei-jahre-wikidata-eine-feier-mit-geschenken-und-einem-preis",
            ),
            (
                "In October 2020 Wikidata held about 90 million items, kept up by about 12,500 volunteers together "
                "with Wikimedia Deutschland.",
                "https://www.wikimedia.de/pressemitteilungen-archiv/wikimedia-deutschland-feiert-den-geburtstag-der-wissensplattform-wikidata/",
            ),
            (
                "In 2008 Wikimedia Deutschland and the Bundesarchiv made about 100,000 images available on "
                "Wikimedia Commons.",
                BUNDESARCHIV_SOURCE,
            ),
        ),
        "scores": {
            "capacity-built": (
                5,
                "A development team and a new Wikimedia project built and kept up by the chapter.",
            ),
            "partners-reached": (
                4,
                "Every Wikipedia edition uses the data; institutions such as the Bundesarchiv.",
            ),
            "weaker-entities-supported": (
                2,
                "The sources describe support for the community's growth, but nothing specific about weaker entities.",
            ),
            "sustainability": (4, "Developed since 2012; the chapter funds the team from donations."),
            "transferability": (
                3,
                "Open software reused far beyond Wikipedia; the stewardship model itself is not documented.",
            ),
        },
    },
    {
        "key": "demo-eval-wmse-glam-tools",
        "title": "Demo · GLAM content-partnership tools at Wikimedia Sverige",
        "steward": "wikimedia-sweden",
        "partners": ("UNESCO", "National Museums of World Culture (Statens museer för världskultur)"),
        "summary": (
            "The strategy recommendation names WMSE's work on tools and infrastructure for content partnerships "
            "in the GLAM area as an existing example to be examined and evaluated."
        ),
        "facts": (
            (
                "The partnerships recommendation names WMSE's project to increase its capacity to support content "
                "partnerships, and its work on tools and infrastructure for GLAM content partnerships.",
                RECOMMENDATION,
            ),
            (
                "Under a Wikimedia Foundation grant (2021–2023) Wikimedia Sverige set out to coordinate and support "
                "content partnerships as a service to the whole movement, lowering thresholds for underserved "
                "communities; it had built capacity in batch uploads and batch editing, rare among affiliates.",
                "https://meta.wikimedia.org/wiki/Content_Partnerships_Hub/Financial_support/WMF_grant_2021%E2%80%932023/Report",
            ),
            (
                "Preparing the Content Partnerships Hub's next phase (2025-10-30 to 2026-10-31), 11 affiliates and "
                "networks from all continents met in Berlin.",
                "https://meta.wikimedia.org/wiki/Grants:Programs/Hub_Fund/The_Content_Partnerships_Hub:Entering_the_next_phase,_diversifying_and_joining_forces",
            ),
            (
                "FindingGLAMs (2018–2020) was run with UNESCO and funded by the Swedish Postcode Lottery Foundation.",
                "https://meta.m.wikimedia.org/wiki/FindingGLAMs/White_Paper",
            ),
            (
                "In 2017 Wikimedia Sverige worked with the National Museums of World Culture on an upload project "
                "whose code is public.",
                "https://github.com/Wikimedia-Sverige/SMVK-Cypern_2017-01",
            ),
            (
                "In 2023 its collaborations with the National Historical Museums and Nationalmuseum went beyond "
                "bulk uploads, exploring how heritage data on the Wikimedia platforms can be visualised.",
                "https://se.wikimedia.org/wiki/Verksamhetsber%C3%A4ttelse_2023/Story:_GLAM-samarbeten_som_g%C3%A5r_l%C3%A4ngre_%C3%A4n_en_massuppladdning/en",
            ),
        ),
        "scores": {
            "capacity-built": (4, "Batch upload and batch editing skills built up and offered to others."),
            "partners-reached": (
                4,
                "UNESCO, Swedish museums, and affiliates from all continents in the hub's planning.",
            ),
            "weaker-entities-supported": (
                4,
                "Explicitly aims to lower thresholds for underserved communities.",
            ),
            "sustainability": (3, "Carried by successive grants (WMF grant 2021–2023, Hub Fund 2025–2026)."),
            "transferability": (4, "Offered as a service to the movement; project code published."),
        },
    },
)

# Invented figures on the demo partnerships (keys "demo-…"), to show roll-ups and credit to small groups.
DEMO_OUTCOMES: tuple[tuple[str, str, int, int | None, str], ...] = (
    # partnership, indicator, year, value, text
    ("demo-coastal-heritage-photos", "media_uploaded", 2025, 420, ""),
    ("demo-coastal-heritage-photos", "files_in_use", 2025, 96, ""),
    ("demo-coastal-heritage-photos", "participants", 2025, 14, ""),
    ("demo-swahili-terms", "wikidata_items_created", 2024, 1300, ""),
    ("demo-swahili-terms", "participants", 2024, 24, ""),
    ("demo-swahili-terms", "events", 2024, 3, ""),
    (
        "demo-swahili-terms",
        "results",
        2024,
        None,
        "Demo · The institute now reviews new terms on Wikidata itself.",
    ),
    ("demo-swahili-terms", "wikidata_items_created", 2025, 800, ""),
    ("demo-mountain-folk-objects", "wikidata_items_created", 2023, 210, ""),
    ("demo-lima-photo-archive", "media_uploaded", 2026, 50, ""),
    ("demo-riverside-theses", "participants", 2026, 12, ""),
)


def _real_partnership(lead: str, partner: str) -> Partnership | None:
    return Partnership.objects.filter(is_demo=False, lead__key=lead, partners__name=partner).first()


def load_rubric(counts: SeedCounts) -> Rubric:
    local = instance_id()
    rubric, outcome = upsert(
        Rubric,
        {"origin": local, "key": RUBRIC[0]},
        {
            "uuid": seed_uuid("demo-rubric", RUBRIC[0]),
            "name": RUBRIC[1],
            "description": "Criteria for case studies of distributed stewardship (capacity, reach, support, "
            "sustainability, transferability). Facilitators may change the weights.",
        },
    )
    counts.add("rubrics", outcome)
    for position, (key, name, description, weight) in enumerate(CRITERIA):
        _, outcome = upsert(
            Criterion,
            {"origin": local, "rubric": rubric, "key": key},
            {
                "uuid": seed_uuid("demo-criterion", key),
                "name": name,
                "description": description,
                "position": position,
            },
        )
        created = outcome == "created"
        if created:
            Criterion.objects.filter(rubric=rubric, key=key).update(weight=Decimal(weight))
        counts.add("criteria", outcome)
    return rubric


def load_cases(counts: SeedCounts, rubric: Rubric) -> None:
    local = instance_id()
    stewards = dict(Entity.objects.filter(key__in=[c["steward"] for c in CASES]).values_list("key", "pk"))
    criteria = {c.key: c for c in rubric.criteria.all()}
    for case in CASES:
        partnerships = [p.pk for name in case["partners"] if (p := _real_partnership(case["steward"], name))]
        evaluation, outcome = upsert(
            Evaluation,
            {"origin": local, "key": case["key"]},
            {
                "uuid": seed_uuid("demo-evaluation", case["key"]),
                "title": case["title"],
                "rubric": rubric,
                "steward_id": stewards[case["steward"]],
                "summary": case["summary"],
                "evaluator": DEMO_JUDGEMENT,
                "evaluated_on": dt.date(2026, 11, 26),
                "is_demo": True,
            },
            m2m={"partnerships": partnerships},
        )
        changed = outcome != "unchanged"
        wanted_facts = [(text, url) for text, url in case["facts"]]
        if list(evaluation.facts.values_list("text", "source_url")) != wanted_facts:
            evaluation.facts.all().delete()
            EvaluationFact.objects.bulk_create(
                EvaluationFact(evaluation=evaluation, text=text, source_url=url, position=i)
                for i, (text, url) in enumerate(wanted_facts)
            )
            changed = True
        for key, (value, rationale) in case["scores"].items():
            score = Score.objects.filter(evaluation=evaluation, criterion=criteria[key]).first()
            text = f"{rationale} ({DEMO_JUDGEMENT})"
            if score is None:
                Score.objects.create(
                    evaluation=evaluation, criterion=criteria[key], score=value, rationale=text
                )
                changed = True
        counts.add("evaluations", outcome if outcome != "unchanged" else ("updated" if changed else outcome))


def load_outcomes(counts: SeedCounts) -> None:
    local = instance_id()
    bundesarchiv = _real_partnership("wikimedia-germany", "Bundesarchiv (German Federal Archives)")
    if bundesarchiv is not None:
        _, outcome = upsert(
            Outcome,
            {"origin": local, "key": "bundesarchiv-2008-media-uploaded"},
            {
                "uuid": seed_uuid("real-outcome", "bundesarchiv-2008-media-uploaded"),
                "partnership": bundesarchiv,
                "indicator": "media_uploaded",
                "period_start": dt.date(2008, 1, 1),
                "period_end": dt.date(2008, 12, 31),
                "value": Decimal(100000),
                "source": Outcome.Source.IMPORTED,
                "measured_on": dt.date(2008, 12, 31),
                "source_url": BUNDESARCHIV_SOURCE,
                "note": "About 100,000 images, as the source states (rounded).",
            },
        )
        counts.add("outcomes", outcome)
        _, outcome = upsert(
            OutcomeSource,
            {"origin": local, "uuid": seed_uuid("real-outcome-source", "bundesarchiv-commons")},
            {
                "partnership": bundesarchiv,
                "connector": "commons",
                "target": "Category:Images from the German Federal Archive",
                "period_start": dt.date(2008, 1, 1),
                "period_end": dt.date(2008, 12, 31),
            },
        )
        counts.add("outcome sources", outcome)
    partnerships = dict(Partnership.objects.filter(origin=local, is_demo=True).values_list("key", "pk"))
    for partnership, indicator, year, value, text in DEMO_OUTCOMES:
        if partnership not in partnerships:
            continue
        key = f"demo-{partnership[5:]}-{indicator.replace('_', '-')}-{year}"[:100]
        _, outcome = upsert(
            Outcome,
            {"origin": local, "key": key},
            {
                "uuid": seed_uuid("demo-outcome", key),
                "partnership_id": partnerships[partnership],
                "indicator": indicator,
                "period_start": dt.date(year, 1, 1),
                "period_end": dt.date(year, 12, 31),
                "value": Decimal(value) if value is not None else None,
                "text": text,
                "source": Outcome.Source.ENTERED,
                "measured_on": dt.date(year, 12, 31) if year < 2026 else dt.date(2026, 11, 1),
                "note": "Demo · An invented figure.",
                "is_demo": True,
            },
        )
        counts.add("outcomes", outcome)


def load_impact_demo(counts: SeedCounts) -> None:
    """Called by ``exchange.demo.seed_demo`` inside its transaction."""
    rubric = load_rubric(counts)
    load_cases(counts, rubric)
    load_outcomes(counts)
