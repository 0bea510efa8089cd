"""Synthetic movement data of realistic shape, at any scale, for benchmarks and load tests.

The real movement is skewed: a few large chapters lead many partnerships and hold most stewardships, while
many small user groups and individuals lead a handful each and ask for support. Entity weights follow a
Zipf law, so the generated network has the same hub-heavy shape the analytics must measure. Everything is
drawn from one seeded ``random.Random``, so the same arguments always give the same rows. Rows are yielded
one at a time: the caller decides how many to hold.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

from partnernet.core.regions import WORLD, RegionTree

TYPES = ("glam", "education", "open_data", "technology", "research", "policy", "media", "funding")
TYPE_WEIGHTS = (34, 18, 12, 10, 8, 6, 6, 6)
THEMES = (
    "cultural_heritage", "science", "languages", "gender_gap", "climate", "health", "indigenous_knowledge",
    "human_rights", "local_history", "sports",
)  # fmt: skip
LANGUAGES = ("en", "fr", "es", "ar", "pt", "de", "sv", "sw", "hi", "id", "ru", "zh", "bn", "it", "nl", "ha")
LANGUAGE_WEIGHTS = (30, 10, 10, 6, 6, 6, 3, 4, 4, 3, 4, 3, 3, 3, 2, 3)
PARTNER_KINDS = (
    "museum",
    "library",
    "archive",
    "gallery",
    "university",
    "school",
    "government",
    "company",
    "ngo",
    "other",
)
PARTNER_KIND_WEIGHTS = (25, 18, 14, 6, 16, 5, 6, 3, 5, 2)
PARTNERSHIP_STATUSES = ("prospect", "negotiating", "active", "concluded", "paused", "declined")
PARTNERSHIP_STATUS_WEIGHTS = (8, 7, 35, 40, 5, 5)
NEEDS = ("co_signing", "fiscal_sponsorship", "tools", "training", "content_upload", "letter", "other")
REQUEST_STATUSES = ("open", "offered", "accepted", "in_progress", "resolved", "declined", "withdrawn")
REQUEST_STATUS_WEIGHTS = (8, 10, 10, 12, 45, 8, 7)
ROUTED = frozenset({"offered", "accepted", "in_progress", "resolved"})
EPOCH = dt.date(2004, 1, 1)
SPAN_DAYS = (dt.date(2026, 6, 30) - EPOCH).days


@dataclass(frozen=True)
class Shape:
    """How much to make. ``None`` counts scale with the number of entities."""

    entities: int
    partnerships: int
    stewardships: int | None = None
    requests: int | None = None
    partners: int | None = None
    seed: int = 1

    @property
    def stewardship_count(self) -> int:
        return self.stewardships if self.stewardships is not None else max(1, self.entities // 10)

    @property
    def request_count(self) -> int:
        return self.requests if self.requests is not None else self.entities // 2

    @property
    def partner_count(self) -> int:
        if self.partners is not None:
            return self.partners
        return max(1, min(self.partnerships, self.entities * 3))


@dataclass(frozen=True)
class SynthEntity:
    index: int
    kind: str
    country: str
    regions: tuple[str, ...]
    languages: tuple[str, ...]
    legal_identity: bool | None
    founded: int
    staff_fte: str
    volunteers: int


@dataclass(frozen=True)
class SynthPartner:
    index: int
    kind: str
    country: str


@dataclass(frozen=True)
class SynthStewardship:
    index: int
    entity: int
    type: str
    theme: str | None
    region: str
    level: str
    capacity: int
    languages: tuple[str, ...]


@dataclass(frozen=True)
class SynthPartnership:
    index: int
    lead: int
    supporters: tuple[int, ...]
    partners: tuple[int, ...]
    type: str
    themes: tuple[str, ...]
    region: str
    status: str
    start: dt.date
    end: dt.date | None
    visibility: str


@dataclass(frozen=True)
class SynthRequest:
    index: int
    requester: int
    stewardship: int | None
    type: str
    theme: str | None
    region: str
    need: str
    language: str
    status: str
    created: dt.date
    resolved: dt.date | None


class _Picker:
    """Weighted choice in O(log n) from precomputed cumulative weights."""

    def __init__(self, weights: Sequence[float]):
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> int:
        return bisect_left(self.cumulative, rng.random() * self.total)


def zipf_weights(count: int, exponent: float = 1.1) -> list[float]:
    """Weight of the entity of rank r (1-based) is 1 / r^exponent: a few heavy nodes, a long light tail."""
    return [1.0 / (rank**exponent) for rank in range(1, count + 1)]


class Generator:
    """Draws every kind of row for one ``Shape`` over the countries of a region tree."""

    def __init__(self, shape: Shape, tree: RegionTree, countries: Sequence[str]):
        if shape.entities < 2:
            raise ValueError("at least 2 entities are needed")
        if not countries:
            raise ValueError("the region tree has no countries")
        self.shape = shape
        self.tree = tree
        self.countries = tuple(countries)
        self.entity_picker = _Picker(zipf_weights(shape.entities))
        self.partner_picker = _Picker(zipf_weights(shape.partner_count, 0.9))
        self.country_picker = _Picker(zipf_weights(len(self.countries), 0.8))
        self.type_picker = _Picker(TYPE_WEIGHTS)
        self.language_picker = _Picker(LANGUAGE_WEIGHTS)
        self.entity_country: list[str] = []
        self.stewardships: list[SynthStewardship] = []

    def _rng(self, salt: int) -> random.Random:
        return random.Random(self.shape.seed * 1_000_003 + salt)

    def entities(self) -> Iterator[SynthEntity]:
        rng = self._rng(1)
        count = self.shape.entities
        for index in range(count):
            share = index / count
            if index == 0:
                kind = "foundation"
            elif share < 0.05:
                kind = rng.choice(("chapter", "chapter", "chapter", "thematic_org", "hub"))
            elif share < 0.75:
                kind = "user_group"
            else:
                kind = rng.choice(("individual", "individual", "other_org"))
            big = kind in ("foundation", "chapter", "thematic_org", "hub")
            country = self.countries[self.country_picker.pick(rng)]
            self.entity_country.append(country)
            chain = self.tree.chain(country)
            languages = {LANGUAGES[self.language_picker.pick(rng)]}
            if rng.random() < 0.6:
                languages.add("en")
            staff = rng.uniform(2, 120) / (1 + index / 50) if big else 0.0
            yield SynthEntity(
                index=index,
                kind=kind,
                country=country,
                regions=(chain[-2],) if len(chain) > 1 else (),
                languages=tuple(sorted(languages)),
                legal_identity=True if big else (None if kind == "user_group" else False),
                founded=rng.randint(2003, 2025),
                staff_fte=f"{staff:.2f}",
                volunteers=int(rng.paretovariate(1.2) * (40 if big else 5)),
            )

    def partners(self) -> Iterator[SynthPartner]:
        rng = self._rng(2)
        kind_picker = _Picker(PARTNER_KIND_WEIGHTS)
        for index in range(self.shape.partner_count):
            yield SynthPartner(
                index, PARTNER_KINDS[kind_picker.pick(rng)], self.countries[self.country_picker.pick(rng)]
            )

    def stewardship_rows(self) -> Iterator[SynthStewardship]:
        """Stewardships go mostly to the heavy entities; call after ``entities`` has been consumed."""
        rng = self._rng(3)
        heavy = _Picker(zipf_weights(self.shape.entities, 1.6))
        for index in range(self.shape.stewardship_count):
            entity = heavy.pick(rng)
            chain = self.tree.chain(self.entity_country[entity])
            roll = rng.random()
            region = WORLD if roll < 0.1 else chain[min(len(chain) - 2, 1 if roll < 0.5 else 0)]
            level = "lead" if roll < 0.4 else ("co_lead" if roll < 0.7 else "supporter")
            capacity = max(1, int(40 / (1 + entity / 20) + rng.randint(0, 4)))
            row = SynthStewardship(
                index=index,
                entity=entity,
                type=TYPES[self.type_picker.pick(rng)],
                theme=None if rng.random() < 0.6 else rng.choice(THEMES),
                region=region,
                level=level,
                capacity=capacity,
                languages=(LANGUAGES[self.language_picker.pick(rng)], "en"),
            )
            self.stewardships.append(row)
            yield row

    def partnership_rows(self) -> Iterator[SynthPartnership]:
        rng = self._rng(4)
        status_picker = _Picker(PARTNERSHIP_STATUS_WEIGHTS)
        for index in range(self.shape.partnerships):
            lead = self.entity_picker.pick(rng)
            supporters: set[int] = set()
            for _ in range(min(3, int(rng.expovariate(1.3)))):
                other = self.entity_picker.pick(rng)
                if other != lead:
                    supporters.add(other)
            partners = {self.partner_picker.pick(rng) for _ in range(1 + (rng.random() < 0.3))}
            chain = self.tree.chain(self.entity_country[lead])
            start = EPOCH + dt.timedelta(days=rng.randrange(SPAN_DAYS))
            status = PARTNERSHIP_STATUSES[status_picker.pick(rng)]
            end = (
                start + dt.timedelta(days=rng.randint(30, 1500))
                if status in ("concluded", "declined")
                else None
            )
            roll = rng.random()
            yield SynthPartnership(
                index=index,
                lead=lead,
                supporters=tuple(sorted(supporters)),
                partners=tuple(sorted(partners)),
                type=TYPES[self.type_picker.pick(rng)],
                themes=tuple(sorted({rng.choice(THEMES) for _ in range(rng.randint(0, 2))})),
                region=chain[0] if rng.random() < 0.8 else chain[min(2, len(chain) - 1)],
                status=status,
                start=start,
                end=end,
                visibility="public" if roll < 0.8 else ("movement" if roll < 0.95 else "private"),
            )

    def request_rows(self) -> Iterator[SynthRequest]:
        """Requests come mostly from the light tail; routed ones name a stewardship whose cell covers them."""
        rng = self._rng(5)
        status_picker = _Picker(REQUEST_STATUS_WEIGHTS)
        count = self.shape.entities
        for index in range(self.shape.request_count):
            requester = count - 1 - int(rng.paretovariate(1.5) * count / 20) % count
            status = REQUEST_STATUSES[status_picker.pick(rng)]
            country = self.entity_country[requester]
            stewardship: SynthStewardship | None = None
            if self.stewardships and status in ROUTED:
                stewardship = self.stewardships[rng.randrange(len(self.stewardships))]
            kind = stewardship.type if stewardship else TYPES[self.type_picker.pick(rng)]
            region = country
            if stewardship and not self.tree.covers(stewardship.region, country):
                region = stewardship.region
            created = EPOCH + dt.timedelta(days=rng.randrange(SPAN_DAYS))
            yield SynthRequest(
                index=index,
                requester=requester,
                stewardship=stewardship.index if stewardship else None,
                type=kind,
                theme=stewardship.theme if stewardship else None,
                region=region,
                need=rng.choice(NEEDS),
                language=LANGUAGES[self.language_picker.pick(rng)],
                status=status,
                created=created,
                resolved=created + dt.timedelta(days=rng.randint(1, 120)) if status == "resolved" else None,
            )
