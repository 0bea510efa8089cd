"""Federation's side of ``base.peering``: what the support app may ask about other instances."""

from __future__ import annotations

from typing import Any

from partnernet.federation.models import InboxItem, OutgoingDelivery, Peer


class FederationPeering:
    """Answers from this instance's peers, deliveries and inbox (installed by the app's ``ready``)."""

    def reachable(self, origin: str) -> bool:
        return Peer.objects.filter(
            instance_id=origin, unavailable_since__isnull=True, suspended_at__isnull=True
        ).exists()

    def suspended(self) -> frozenset[str]:
        ids = Peer.objects.filter(suspended_at__isnull=False).values_list("instance_id", flat=True)
        return frozenset(ids)

    def deliver(self, record: Any, to: Any) -> None:
        from partnernet.federation.delivery import deliver_support_request

        deliver_support_request(record, to)

    def sender_of(self, record: Any) -> str | None:
        sender: str | None = (
            InboxItem.objects.filter(request_id=record.pk).values_list("peer__instance_id", flat=True).first()
        )
        return sender

    def delivered_to(self, record: Any, to: Any) -> str | None:
        peer: str | None = (
            OutgoingDelivery.objects.filter(request_id=record.pk, stewardship_id=to)
            .values_list("peer__instance_id", flat=True)
            .first()
        )
        return peer

    def address_of(self, origin: str) -> str | None:
        address: str | None = (
            Peer.objects.filter(instance_id=origin).values_list("base_url", flat=True).first()
        )
        return address

    def crossing(self, record: Any) -> Any:
        """The delivery carrying ``record`` to the peer whose stewardship it is offered to now, if any, and
        otherwise the inbox item it arrived by."""
        if record.stewardship_id is not None:
            delivery = (
                OutgoingDelivery.objects.filter(request_id=record.pk, stewardship_id=record.stewardship_id)
                .select_related("peer")
                .order_by("-pk")
                .first()
            )
            if delivery is not None:
                return delivery
        return InboxItem.objects.filter(request_id=record.pk).select_related("peer").first()
