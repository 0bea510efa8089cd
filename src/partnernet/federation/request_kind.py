"""Support requests as they travel between instances."""

from __future__ import annotations

from partnernet.exchange.kinds import Clean, RequestKind
from partnernet.support.models import SupportRequest


class PeerRequestKind(RequestKind):
    """A request's exchange row without its partnership.

    The partnership may be private, and the receiving instance could not resolve it anyway (it only holds
    the partnerships it was sent); the steward there reads the request's own fields and description.
    """

    def row(self, obj: SupportRequest) -> Clean:
        return {**super().row(obj), "partnership": None}
