"""Resolving the codes and keys that rows refer to, in bulk, before anything is written.

A row names other rows by key (an entity, a partner, a type) or by code (a region). Looking each one up as
it comes would cost a query per cell; instead every key a file mentions is collected first and resolved in a
few queries. When the same key exists under several origins the row of the preferred origin wins (this
instance's by default; a peer's own rows when applying that peer's feed), then reference data (``seed``),
then any other copy.

The taxonomy and the region tree belong to the framework app, which sits above this package: it installs
the loader of its *vocabulary* (``install_vocabulary``) when it is ready, so cleaners can check codes
without this package knowing the framework's models. Keys of other records are resolved through the model
each kind registered (``base.registry``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from partnernet.base.fields import FieldError, Raw, text
from partnernet.base.identity import instance_id
from partnernet.base.inlists import among
from partnernet.base.models import SEED_ORIGIN

CHUNK = 900  # below SQLite's default limit of bound parameters per statement


@dataclass(frozen=True)
class Vocabulary:
    """Every region (by code and by M49 number), partnership type and theme, as model rows."""

    regions: list[Any]
    types: list[Any]
    themes: list[Any]
    country_level: str


_vocabulary: Callable[[], Vocabulary] | None = None


def install_vocabulary(loader: Callable[[], Vocabulary]) -> None:
    """Called by the framework app's ``ready``: how to read the taxonomy and regions."""
    global _vocabulary
    _vocabulary = loader


def origin_rank(origin: str, preferred: str) -> int:
    if origin == preferred:
        return 0
    if origin == SEED_ORIGIN:
        return 1
    return 2


def key_and_origin(key: str, origin: str | None = None) -> tuple[str, str | None]:
    """``KEY@ORIGIN`` (or ``key`` with the ``?origin=`` of a URL) as ``(key, origin or None)``."""
    bare, at, named = key.partition("@")
    return bare, (named if at else origin) or None


def best_row(rows: Iterable[Any], preferred: str | None = None) -> Any:
    """Of rows sharing one key, the one a bare key means: the preferred origin's (this instance's), then
    the seed's, then a peer's (the first by id), so a peer's copy never hides a row of this instance."""
    first = preferred or instance_id()
    ranked = sorted(rows, key=lambda row: (origin_rank(row.origin, first), row.origin))
    return ranked[0] if ranked else None


def preferred_ids(model: type[Model], keys: Iterable[str], preferred: str | None = None) -> dict[str, int]:
    """Map each key to the id of the row it most likely means (preferred origin, then seed, then others;
    among other origins the first by name, so the choice is stable)."""
    first = preferred or instance_id()
    wanted = sorted(set(keys))
    best: dict[str, tuple[int, str, int]] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for key, pk, origin in model._default_manager.filter(among("key", chunk)).values_list(
            "key", "pk", "origin"
        ):
            rank = (origin_rank(origin, first), origin, pk)
            if key not in best or rank < best[key]:
                best[key] = rank
    return {key: rank[2] for key, rank in best.items()}


class References:
    """Everything one write needs to resolve: all regions and taxonomy terms, and the keys the rows name.

    ``preferred`` is the origin whose rows a bare key means first (default: this instance).
    """

    def __init__(self, preferred: str | None = None) -> None:
        if _vocabulary is None:
            raise RuntimeError("no vocabulary installed: is the framework app in INSTALLED_APPS?")
        vocabulary = _vocabulary()
        self.preferred = preferred
        self.country_level = vocabulary.country_level
        self.regions: dict[str, Any] = {}
        self.regions_by_id: dict[int, Any] = {}
        for region in vocabulary.regions:
            self.regions[region.code] = region
            self.regions[region.m49] = region
            self.regions_by_id[region.pk] = region
        self.types = {t.key: t for t in vocabulary.types}
        self.themes = {t.key: t for t in vocabulary.themes}
        self.keys: dict[str, dict[str, int]] = {}

    def ids(self, kind_name: str) -> dict[str, int]:
        """Resolved keys of one kind (``entities``, ``partners`` …), key -> id."""
        return self.keys.setdefault(kind_name, {})

    @property
    def entities(self) -> dict[str, int]:
        return self.ids("entities")

    @property
    def partners(self) -> dict[str, int]:
        return self.ids("partners")

    @property
    def partnerships(self) -> dict[str, int]:
        return self.ids("partnerships")

    def load(self, **keys: Iterable[str]) -> None:
        """Resolve the given keys of each kind: ``refs.load(entities=[...], partners=[...])``."""
        from partnernet.base.registry import record_kind

        for kind_name, wanted in keys.items():
            model = record_kind(kind_name).model
            self.ids(kind_name).update(preferred_ids(model, wanted, self.preferred))

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
        return str(region.code)

    def country(self, raw: Raw) -> str | None:
        value = text(raw)
        if not value:
            return None
        region = self.regions.get(value.upper())
        if region is None or region.level != self.country_level:
            raise FieldError(f"unknown country code '{value}' (use ISO 3166-1 alpha-2, such as SE or GH)")
        return str(region.code)

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
