"""Taxonomy labels for stored sentences: a type or theme named by key is shown by its label in the reader's
language, read from a short-lived cache so a timeline of many steps costs one query per kind of term."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from partnernet.framework.models import PartnershipType, RegionGrouping, StewardshipLevel, Theme
from partnernet.i18n.names import label_for
from partnernet.i18n.sentences import register_choices, register_kind

_MODELS: dict[str, Any] = {"type": PartnershipType, "theme": Theme, "grouping": RegionGrouping}
CACHE_SECONDS = 60


def _cache_key(kind: str) -> str:
    return f"partnernet:term-labels:{kind}"


def terms_of(kind: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every term of ``kind`` (type, theme, grouping): key → (stored name, labels)."""
    found = cache.get(_cache_key(kind))
    if found is None:
        rows = _MODELS[kind].objects.values_list("key", "name", "labels")
        found = {key: (name, labels or {}) for key, name, labels in rows}
        cache.set(_cache_key(kind), found, CACHE_SECONDS)
    return found


def forget_term_labels() -> None:
    """Call after a term's name or labels change, so every process of the instance reads them afresh (the
    cache is shared: ``settings.CACHES``)."""
    cache.delete_many([_cache_key(kind) for kind in _MODELS])


def _resolver(kind: str) -> Any:
    def resolve(value: dict[str, Any]) -> str:
        name, labels = terms_of(kind).get(value[kind], (value.get("name", value[kind]), {}))
        return label_for(labels, name)

    return resolve


def register() -> None:
    """Called from ``FrameworkConfig.ready()``."""
    from partnernet.framework.models import DecisionOutcome

    for kind in _MODELS:
        register_kind(kind, _resolver(kind))
    register_choices("decision_outcome", DecisionOutcome)
    register_choices("stewardship_level", StewardshipLevel)
