"""The port through which domain apps reach other instances, without importing federation.

Routing may pick a trusted peer's stewardship; the support app then needs to know whether that peer can be
reached, to hand the request over, and later to tell a request a peer delivered here from its own. Those
questions are answered by federation, which sits above every domain app: it installs its implementation
here when it is ready (``install``), as Django's contrib apps plug into each other through registries and
signals. Until then (or in a process without federation) no peer is reachable and nothing crosses.
"""

from __future__ import annotations

from typing import Any, Protocol


class Peering(Protocol):
    def reachable(self, origin: str) -> bool:
        """Whether records may be handed to the instance ``origin`` now (trusted, not failing for days)."""

    def deliver(self, record: Any, to: Any) -> None:
        """Hand ``record`` (a local support request) to the instance that owns ``to`` (its stewardship),
        inside the caller's transaction: it is sent once that commits."""

    def sender_of(self, record: Any) -> str | None:
        """The instance id of the peer that delivered ``record`` here, or ``None`` for our own."""

    def delivered_to(self, record: Any, to: Any) -> str | None:
        """The instance id of the peer ``record`` was delivered to for the stewardship with id ``to``."""

    def crossing(self, record: Any) -> Any:
        """What a record's page says about the other instance involved (a delivery or an inbox item)."""

    def suspended(self) -> frozenset[str]:
        """Instance ids whose stewardships are out of routing now (peers this instance suspended)."""

    def address_of(self, origin: str) -> str | None:
        """The base URL of the instance ``origin`` when it is a known peer (to send people there)."""


class NoPeering:
    """No federation: every stewardship is local, nothing is delivered or received."""

    def reachable(self, origin: str) -> bool:
        return False

    def deliver(self, record: Any, to: Any) -> None:
        raise RuntimeError("no federation is installed to deliver to another instance")

    def sender_of(self, record: Any) -> str | None:
        return None

    def delivered_to(self, record: Any, to: Any) -> str | None:
        return None

    def crossing(self, record: Any) -> Any:
        return None

    def suspended(self) -> frozenset[str]:
        return frozenset()

    def address_of(self, origin: str) -> str | None:
        return None


_peering: Peering = NoPeering()


def install(peering: Peering) -> None:
    global _peering
    _peering = peering


def peering() -> Peering:
    return _peering
