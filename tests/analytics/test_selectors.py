"""Loading the graph, the report and the sustainability indicators from the database."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from partnernet.analytics.report import analysis_document
from partnernet.analytics.selectors import network_data
from partnernet.analytics.suggestions import suggestions_for
from partnernet.analytics.sustainability import sustainability
from partnernet.core.network import build_graph
from partnernet.directory.models import Entity
from partnernet.framework.coverage import matrix_columns
from tests.factories import (
    EntityFactory,
    MembershipFactory,
    PartnershipFactory,
    StewardshipFactory,
    SupportRequestFactory,
    ptype,
    region,
    theme,
)

pytestmark = pytest.mark.django_db


def edges_of(data) -> set[frozenset[str]]:  # type: ignore[no-untyped-def]
    graph = build_graph(data.entities, data.pairs)
    return {
        frozenset((data.entities[int(a)], data.entities[int(b)]))
        for a, b in zip(graph.sources, graph.targets, strict=True)
    }


def test_shared_partnership_ties_lead_and_supporters_and_supporters_together() -> None:
    lead, one, two = EntityFactory(key="t-lead"), EntityFactory(key="t-one"), EntityFactory(key="t-two")
    partnership = PartnershipFactory(lead=lead, visibility="private")
    partnership.supporters.set([one, two])
    edges = edges_of(network_data())
    assert {
        frozenset(("t-lead", "t-one")),
        frozenset(("t-lead", "t-two")),
        frozenset(("t-one", "t-two")),
    } <= edges


def test_resolved_request_ties_steward_and_requester_but_an_open_one_does_not() -> None:
    steward, asker, waiting = (
        EntityFactory(key="t-steward"),
        EntityFactory(key="t-asker"),
        EntityFactory(key="t-wait"),
    )
    SupportRequestFactory(requester=asker, steward=steward, status="resolved", resolved=dt.date(2026, 1, 5))
    SupportRequestFactory(requester=waiting, steward=steward, status="offered")
    data = network_data()
    edges = edges_of(data)
    assert frozenset(("t-steward", "t-asker")) in edges
    assert frozenset(("t-steward", "t-wait")) not in edges
    position = data.entities.index("t-steward")
    assert int(data.handled[position]) == 1


def test_every_entity_is_a_node_and_the_reader_needs_a_fixed_number_of_queries(
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    for _ in range(5):
        PartnershipFactory().supporters.add(EntityFactory())
    with django_assert_max_num_queries(12):
        data = network_data()
    assert len(data.entities) == Entity.objects.count()
    assert data.pairs.dtype == np.int64


def test_loads_count_offered_accepted_and_in_progress_requests_of_active_stewardships() -> None:
    held = StewardshipFactory(entity=EntityFactory(key="t-holder", kind="chapter"), capacity=2)
    for status in ("open", "offered", "accepted", "in_progress", "resolved"):
        SupportRequestFactory(
            stewardship=held,
            steward=held.entity,
            status=status,
            resolved=dt.date(2026, 2, 1) if status == "resolved" else None,
        )
    document = analysis_document()
    assert "t-holder" in document["over_capacity"]
    facts = document["sustainability"]["t-holder"]
    assert (facts["load"], facts["capacity"]) == (3, 2)
    assert facts["resolution_rate"] == 1.0
    assert facts["median_resolution_days"] == 31.0


def test_empty_network_report_has_nulls_and_every_key() -> None:
    document = analysis_document()
    assert list(document) == [
        "entities",
        "edges",
        "degree_centralization",
        "betweenness_centralization",
        "top1_share",
        "top3_share",
        "hhi",
        "gini",
        "coverage",
        "over_capacity",
        "sustainability",
    ]
    assert document["hhi"] is None
    assert document["top1_share"] is None
    assert document["coverage"]["cells"] == len(matrix_columns()) * 8


def test_matrix_columns_are_subregions_by_default_and_regions_on_request() -> None:
    columns = matrix_columns()
    assert {"154", "202", "419", "021"} <= set(columns)
    assert "150" not in columns
    assert set(matrix_columns("region")) == {"002", "019", "142", "150", "009"}
    with pytest.raises(ValueError, match="level"):
        matrix_columns("country")


def test_single_person_behind_a_lead_stewardship_raises_an_alert() -> None:
    alone = StewardshipFactory(entity=EntityFactory(key="t-alone", kind="user_group"), level="lead").entity
    MembershipFactory(entity=alone)
    crowd = StewardshipFactory(entity=EntityFactory(key="t-crowd", kind="chapter"), level="lead").entity
    MembershipFactory(entity=crowd)
    MembershipFactory(entity=crowd)
    report = sustainability(network_data())
    assert "single_person_lead" in report["t-alone"].alerts
    assert "single_person_lead" not in report["t-crowd"].alerts


def test_suggestions_rank_free_nearby_experienced_entities_and_skip_current_stewards() -> None:
    StewardshipFactory(
        entity=EntityFactory(key="t-current", kind="chapter", country=region("SE")), region=region("154")
    )
    nearby = EntityFactory(key="t-nearby", kind="chapter", country=region("NO"), languages=["nb"])
    StewardshipFactory(entity=nearby, region=region("NO"), capacity=3)
    PartnershipFactory(lead=nearby)
    EntityFactory(key="t-lonely", kind="individual", country=region("SE"))
    ranked = suggestions_for(network_data(), "glam", "154", limit=50)
    keys = [s.entity for s in ranked]
    assert "t-current" not in keys
    assert "t-lonely" not in keys
    assert keys[0] == "t-nearby"
    reasons = {r.code for r in ranked[0].reasons}
    assert {"capacity_left", "same_region", "experience"} <= reasons


def test_suggestions_count_free_capacity_in_the_cells_own_type_only() -> None:
    """A steward's free GLAM capacity does not recommend it for a Technology gap."""
    glam_only = EntityFactory(key="t-glam-only", kind="chapter", country=region("SE"))
    StewardshipFactory(entity=glam_only, type=ptype("glam"), region=region("154"), capacity=20)
    technologist = EntityFactory(key="t-tech", kind="chapter", country=region("BR"))
    StewardshipFactory(entity=technologist, type=ptype("technology"), region=region("BR"), capacity=2)
    ranked = {s.entity: s for s in suggestions_for(network_data(), "technology", "154", limit=500)}
    assert ranked["t-glam-only"].capacity_left is None
    assert "no_stewardship" in {r.code for r in ranked["t-glam-only"].reasons}
    assert ranked["t-tech"].capacity_left == 2
    assert ranked["t-tech"].rank < ranked["t-glam-only"].rank


def test_suggestions_keep_stewards_of_part_of_the_cell_and_leave_out_those_covering_it() -> None:
    StewardshipFactory(entity=EntityFactory(key="t-whole", kind="chapter"), region=region("154"))
    StewardshipFactory(entity=EntityFactory(key="t-part", kind="chapter"), region=region("SE"))
    StewardshipFactory(
        entity=EntityFactory(key="t-themed", kind="chapter"), region=region("150"), theme=theme("science")
    )
    keys = [s.entity for s in suggestions_for(network_data(), "glam", "154", limit=500)]
    assert "t-whole" not in keys
    assert {"t-part", "t-themed"} <= set(keys)
