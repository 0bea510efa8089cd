"""The personal home's reads: what waits for the person and their entities, a fixed number of queries.

It composes several apps (support, framework, notifications), so it lives in the web layer; each part reads
through its own app's selectors and rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from partnernet.directory.models import Membership
from partnernet.directory.rules import entity_ids_of
from partnernet.framework.models import Proposal
from partnernet.framework.proposals import open_proposals_affecting
from partnernet.notifications.models import Notification
from partnernet.notifications.selectors import notifications_of
from partnernet.support import selectors as support
from partnernet.support.models import Hosting, SupportRequest

LIMIT = 20


@dataclass(frozen=True)
class PersonalHome:
    memberships: list[Membership]
    requests: list[SupportRequest]
    offers: list[SupportRequest]
    working: list[SupportRequest]
    proposals: list[Proposal]
    stewardships: list[support.StewardCapacity]
    hostings: list[Hosting]
    notifications: list[Notification]
    unread: int
    facilitator_queue: int | None = None

    @property
    def has_entity(self) -> bool:
        return bool(self.memberships)


def awaiting_voice(user: Any) -> list[Proposal]:
    """Open proposals that affect the person's entities and that none of them has endorsed, opposed or
    abstained on yet, closing soonest first."""
    own = entity_ids_of(user)
    rows = open_proposals_affecting(own).exclude(endorsements__entity_id__in=own)
    return list(rows.order_by("closes_at", "pk")[:LIMIT])


def personal_home(user: Any) -> PersonalHome:
    from partnernet.directory.rules import is_facilitator

    memberships = list(
        Membership.objects.filter(user=user).select_related("entity").order_by("entity__name", "pk")
    )
    inbox = list(support.steward_inbox(user)[: LIMIT * 2])
    own = entity_ids_of(user)
    hostings = list(
        support.hostings()
        .filter(Q(host_id__in=own) | Q(hosted_id__in=own), status=Hosting.Status.ACTIVE)
        .order_by("-term_start", "pk")
    )
    return PersonalHome(
        memberships=memberships,
        requests=list(support.requests_of(user)[:LIMIT]),
        offers=[r for r in inbox if r.status == "offered"],
        working=[r for r in inbox if r.status != "offered"],
        proposals=awaiting_voice(user),
        stewardships=support.inbox_capacity(user),
        hostings=hostings,
        notifications=list(notifications_of(user, unread=True)[:5]),
        unread=notifications_of(user, unread=True).count(),
        facilitator_queue=support.facilitators_queue().count() if is_facilitator(user) else None,
    )
