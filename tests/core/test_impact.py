"""Collective-impact arithmetic: counted once in every total, credited in full to every party."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from partnernet.core.impact import (
    Credit,
    OutcomeFact,
    by_region,
    by_theme,
    by_type,
    by_year,
    credits,
    rollup,
    totals,
    weighted_score,
)
from partnernet.core.regions import RegionTree

TREE = RegionTree.from_rows(
    [
        ("001", None, "World"),
        ("150", "001", "Europe"),
        ("154", "150", "Northern Europe"),
        ("155", "150", "Western Europe"),
        ("SE", "154", "Sweden"),
        ("DE", "155", "Germany"),
        ("002", "001", "Africa"),
        ("GH", "002", "Ghana"),
    ]
)


def fact(outcome: int, value: int, **kwargs: object) -> OutcomeFact:
    defaults: dict[str, object] = {
        "partnership": outcome,  # one partnership per outcome unless a test shares one
        "indicator": "media_uploaded",
        "year": 2024,
        "type": "glam",
        "region": "SE",
        "lead": "wmse",
        "supporters": (),
        "themes": (),
    }
    defaults.update(kwargs)
    return OutcomeFact(outcome=outcome, value=Decimal(value), **defaults)  # type: ignore[arg-type]


def test_outcome_led_by_one_and_supported_by_three_counts_once_in_region_and_movement_totals() -> None:
    shared = fact(1, 500, lead="lead", supporters=("s1", "s2", "s3"))
    assert totals([shared]) == {"media_uploaded": Decimal(500)}
    regions = by_region([shared], TREE)
    for code in ("SE", "154", "150", "001"):
        assert regions[code] == {"media_uploaded": Decimal(500)}, code
    assert "DE" not in regions


def test_each_of_the_four_parties_sees_the_outcome_credited_in_full() -> None:
    shared = fact(1, 500, lead="lead", supporters=("s1", "s2", "s3"))
    credit = credits([shared])
    assert set(credit) == {"lead", "s1", "s2", "s3"}
    assert credit["lead"].led == {"media_uploaded": Decimal(500)}
    assert credit["lead"].supported == {}
    for supporter in ("s1", "s2", "s3"):
        assert credit[supporter].supported == {"media_uploaded": Decimal(500)}
        assert credit[supporter].total == {"media_uploaded": Decimal(500)}
    assert (credit["s1"].partnerships_supported, credit["lead"].partnerships_led) == (1, 1)


def test_rows_repeated_by_a_join_count_once() -> None:
    row = fact(7, 40, supporters=("a", "b"), themes=("science", "climate"))
    assert totals([row, row, row]) == {"media_uploaded": Decimal(40)}
    assert credits([row, row])["a"].supported == {"media_uploaded": Decimal(40)}


def test_theme_groups_may_overlap_but_the_total_does_not() -> None:
    facts = [fact(1, 10, themes=("science", "climate")), fact(2, 5, themes=())]
    themes = by_theme(facts)
    assert themes == {
        "science": {"media_uploaded": Decimal(10)},
        "climate": {"media_uploaded": Decimal(10)},
        "": {"media_uploaded": Decimal(5)},
    }
    assert totals(facts) == {"media_uploaded": Decimal(15)}


def test_region_roll_up_follows_the_m49_hierarchy() -> None:
    facts = [
        fact(1, 10, region="SE"),
        fact(2, 20, region="DE"),
        fact(3, 7, region="GH"),
        fact(4, 1, region=None),
    ]
    regions = by_region(facts, TREE)
    assert regions["150"] == {"media_uploaded": Decimal(30)}
    assert regions["154"] == {"media_uploaded": Decimal(10)}
    assert regions["002"] == {"media_uploaded": Decimal(7)}
    assert regions["001"] == {"media_uploaded": Decimal(38)}


def test_entity_that_leads_and_supports_the_same_partnership_is_credited_once() -> None:
    credit = credits([fact(1, 3, lead="x", supporters=("x", "y"))])
    assert credit["x"].total == {"media_uploaded": Decimal(3)}
    assert (credit["x"].partnerships_led, credit["x"].partnerships_supported) == (1, 0)


def test_types_and_years_split_indicators_apart() -> None:
    facts = [
        fact(1, 10, type="glam", year=2023),
        fact(2, 3, type="education", year=2024, indicator="participants"),
        fact(3, 4, type="glam", year=2024),
    ]
    assert by_type(facts) == {
        "glam": {"media_uploaded": Decimal(14)},
        "education": {"participants": Decimal(3)},
    }
    assert list(by_year(facts)) == [2023, 2024]
    assert by_year(facts)[2024] == {"participants": Decimal(3), "media_uploaded": Decimal(4)}


PARTIES = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), max_size=4).map(tuple)


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=30),
            st.integers(min_value=0, max_value=1000),
            st.sampled_from(["a", "b", "c"]),
            PARTIES,
            st.sampled_from(["SE", "DE", "GH", None]),
        ),
        max_size=40,
    )
)
def test_world_total_equals_brute_force_sum_of_distinct_outcomes(rows: list[tuple]) -> None:  # type: ignore[type-arg]
    # An outcome id always belongs to the same partnership; partnership attributes follow the first row.
    first: dict[int, tuple] = {}  # type: ignore[type-arg]
    for o, _v, lead, sup, reg in rows:
        first.setdefault(o, (lead, sup, reg))
    facts = [
        fact(o, v, partnership=o, lead=first[o][0], supporters=first[o][1], region=first[o][2])
        for o, v, *_ in rows
    ]
    first_value: dict[int, int] = {}
    for o, v, *_ in rows:
        first_value.setdefault(o, v)
    expected = Decimal(sum(first_value.values()))
    total = totals(facts).get("media_uploaded", Decimal(0))
    assert total == expected
    assert by_region(facts, TREE).get("001", {}).get("media_uploaded", Decimal(0)) == expected
    for credit in credits(facts).values():
        assert credit.total.get("media_uploaded", Decimal(0)) <= expected


def test_weighted_score_is_the_weighted_mean_of_scored_criteria() -> None:
    weights = {"capacity": Decimal(2), "reach": Decimal(1), "unscored": Decimal(5)}
    assert weighted_score({"capacity": 4, "reach": 1, "unscored": None}, weights) == Decimal("3.00")
    assert weighted_score({}, weights) is None
    assert weighted_score({"capacity": 5}, {"capacity": Decimal(0)}) is None


PARTNERSHIP = st.tuples(st.sampled_from(["a", "b", "c"]), PARTIES, st.sampled_from(["SE", "DE", "GH", None]))


@given(
    st.lists(PARTNERSHIP, min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 100), st.integers(2020, 2022)), max_size=30),
)
def test_roll_ups_equal_a_brute_force_over_outcomes(partnerships: list[tuple], outcomes: list[tuple]) -> None:  # type: ignore[type-arg]
    facts = []
    for number, (index, value, year) in enumerate(outcomes):
        lead, supporters, where = partnerships[index % len(partnerships)]
        facts.append(
            fact(
                number,
                value,
                partnership=index % len(partnerships),
                lead=lead,
                supporters=supporters,
                region=where,
                year=year,
            )
        )
    regions = by_region(facts, TREE)
    for code in ("001", "150", "154", "SE", "DE", "002"):
        expected = sum(
            f.value for f in facts if (f.region and TREE.covers(code, f.region)) or (code == "001")
        )
        assert regions.get(code, {}).get("media_uploaded", Decimal(0)) == expected
    credit = credits(facts)
    for entity in {"a", "b", "c", "d", "e"}:
        expected = sum(f.value for f in facts if entity == f.lead or entity in f.supporters)
        got = credit[entity].total.get("media_uploaded", Decimal(0)) if entity in credit else Decimal(0)
        assert got == expected
    years = by_year(facts)
    for year in (2020, 2021, 2022):
        assert years.get(year, {}).get("media_uploaded", Decimal(0)) == sum(
            f.value for f in facts if f.year == year
        )


THEMES = st.lists(st.sampled_from(["science", "climate"]), max_size=2).map(tuple)


@given(
    st.lists(st.tuples(st.sampled_from(["glam", "education"]), THEMES, PARTIES), min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 100), st.booleans()), max_size=30),
)
def test_rollup_equals_a_brute_force_over_types_themes_and_partnerships(
    partnerships: list[tuple],  # type: ignore[type-arg]
    outcomes: list[tuple],  # type: ignore[type-arg]
) -> None:
    facts = []
    for number, (index, value, repeated) in enumerate(outcomes):
        kind, themes, supporters = partnerships[index % len(partnerships)]
        row = fact(number, value, partnership=index % len(partnerships), type=kind, themes=themes,
                   supporters=supporters)  # fmt: skip
        facts.extend([row, row] if repeated else [row])  # a join may repeat a row
    unique = {f.outcome: f for f in facts}.values()
    rolled = rollup(facts, TREE)
    assert rolled.totals.get("media_uploaded", Decimal(0)) == sum(f.value for f in unique)
    for kind in ("glam", "education"):
        expected = sum(f.value for f in unique if f.type == kind)
        assert rolled.by_type.get(kind, {}).get("media_uploaded", Decimal(0)) == expected
    for theme in ("science", "climate", ""):
        expected = sum(f.value for f in unique if theme in f.themes or (theme == "" and not f.themes))
        assert rolled.by_theme.get(theme, {}).get("media_uploaded", Decimal(0)) == expected
    for entity in ("wmse", "a", "b", "c", "d", "e"):
        led = {f.partnership for f in unique if f.lead == entity}
        supported = {f.partnership for f in unique if entity in f.supporters and f.lead != entity}
        credit = rolled.credits.get(entity, Credit(entity))
        assert (credit.partnerships_led, credit.partnerships_supported) == (len(led), len(supported))
