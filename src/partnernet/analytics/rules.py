"""Who may read which analytics.

The network figures, the coverage heatmap, the graph of entities and the trends are aggregates over public
entities: everyone may read them, anonymous visitors included. They count every partnership, private ones
too, but show only counts and entity keys, never a partnership's title, partners or parties, so nothing a
``visible_partnerships`` filter would hide leaks through them.

Sustainability indicators and alerts point at where a node is fragile (a single person behind a lead role, a
node over capacity for weeks). Facilitators, who act on them, see every entity's; the members of an entity see
their own. Steward suggestions and taking a snapshot are facilitators' tools.
"""

from __future__ import annotations

from typing import Any

import rules

from partnernet.directory.models import Entity
from partnernet.directory.rules import entity_ids_of, is_entity_member, is_facilitator


def sustainability_scope(user: Any) -> set[int] | None:
    """Entity ids whose sustainability ``user`` may read; ``None`` means all of them."""
    if is_facilitator(user):
        return None
    return entity_ids_of(user)


@rules.predicate
def can_view_entity_sustainability(user: Any, entity: Entity | None) -> bool:
    return entity is not None and (bool(is_facilitator(user)) or bool(is_entity_member(user, entity)))


rules.add_perm("analytics.view_dashboard", rules.always_allow)
rules.add_perm("analytics.view_sustainability", is_facilitator)
rules.add_perm("analytics.view_entity_sustainability", can_view_entity_sustainability)
rules.add_perm("analytics.view_suggestions", is_facilitator)
rules.add_perm("analytics.take_snapshot", is_facilitator)
