"""Resolving the codes and keys that rows refer to, in bulk, before anything is written.

A row names other rows by key (an entity, a partner, a type) or by code (a region). Looking each one up as
it comes would cost a query per cell; instead every key a file mentions is collected first and resolved in a
few queries. When the same key exists under several origins the row of this instance wins, then reference
data (``seed``), then a federated copy.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model

from partnernet.directory.models import Entity, Partner
from partnernet.exchange.fields import FieldError, Raw, text
from partnernet.federation.models import SEED_ORIGIN
from partnernet.federation.selectors import instance_id
from partnernet.framework.models import PartnershipType, Region, Theme
from partnernet.partnerships.models import Partnership

CHUNK = 900  # below SQLite's default limit of bound parameters per statement


def origin_rank(origin: str, local: str) -> int:
    if origin == local:
        return 0
    if origin == SEED_ORIGIN:
        return 1
    return 2


def preferred_ids(model: type[Model], keys: Iterable[str]) -> dict[str, int]:
    """Map each key to the id of the row it most likely means (local, then seed, then federated)."""
    local = instance_id()
    wanted = sorted(set(keys))
    best: dict[str, tuple[int, int]] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for key, pk, origin in model._default_manager.filter(key__in=chunk).values_list(
            "key", "pk", "origin"
        ):
            rank = origin_rank(origin, local)
            if key not in best or rank < best[key][0]:
                best[key] = (rank, pk)
    return {key: pk for key, (_, pk) in best.items()}


class References:
    """Everything one import needs to resolve: all regions and taxonomy terms, and the keys the file names."""

    def __init__(self) -> None:
        self.regions: dict[str, Region] = {}
        self.regions_by_id: dict[int, Region] = {}
        for region in Region.objects.all():
            self.regions[region.code] = region
            self.regions[region.m49] = region
            self.regions_by_id[region.pk] = region
        self.types = {t.key: t for t in PartnershipType.objects.all()}
        self.themes = {t.key: t for t in Theme.objects.all()}
        self.entities: dict[str, int] = {}
        self.partners: dict[str, int] = {}
        self.partnerships: dict[str, int] = {}

    def load(
        self, entities: Iterable[str] = (), partners: Iterable[str] = (), partnerships: Iterable[str] = ()
    ) -> None:
        self.entities.update(preferred_ids(Entity, entities))
        self.partners.update(preferred_ids(Partner, partners))
        self.partnerships.update(preferred_ids(Partnership, partnerships))

    def region(self, raw: Raw, default: str | None = None) -> str | None:
        """A region code as stored: M49 three digits, or ISO alpha-2 for a country (numeric codes too)."""
        value = text(raw)
        if not value:
            return default
        region = self.regions.get(value) or self.regions.get(value.upper())
        if region is None:
            raise FieldError(
                f"unknown region code '{value}' (use an M49 code such as 150 or an ISO country code)"
            )
        return region.code

    def country(self, raw: Raw) -> str | None:
        value = text(raw)
        if not value:
            return None
        region = self.regions.get(value.upper())
        if region is None or region.level != Region.Level.COUNTRY:
            raise FieldError(f"unknown country code '{value}' (use ISO 3166-1 alpha-2, such as SE or GH)")
        return region.code

    def type(self, raw: Raw) -> str:
        value = text(raw)
        if not value:
            raise FieldError(f"is required (one of: {', '.join(sorted(self.types))})")
        if value not in self.types:
            raise FieldError(f"unknown partnership type '{value}' (one of: {', '.join(sorted(self.types))})")
        return value

    def theme(self, raw: Raw) -> str | None:
        value = text(raw)
        if not value:
            return None
        if value not in self.themes:
            raise FieldError(f"unknown theme '{value}' (one of: {', '.join(sorted(self.themes))})")
        return value

    def entity(self, value: str) -> str:
        if value not in self.entities:
            raise FieldError(f"unknown entity key '{value}'")
        return value

    def partner(self, value: str) -> str:
        if value not in self.partners:
            raise FieldError(f"unknown partner key '{value}'")
        return value

    def partnership(self, value: str) -> str:
        if value not in self.partnerships:
            raise FieldError(f"unknown partnership key '{value}'")
        return value
