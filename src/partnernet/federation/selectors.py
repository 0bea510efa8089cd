"""Reads about this instance's identity and its peers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from partnernet.base.identity import instance_id
from partnernet.core.federation.identity import PeerIdentity

if TYPE_CHECKING:
    from partnernet.directory.models import Partner
    from partnernet.federation.models import Peer
    from partnernet.partnerships.models import Partnership


def this_instance() -> PeerIdentity:
    """What this instance publishes about itself at ``/.well-known/partnernet``.

    The operator is ``PARTNERNET_OPERATOR`` (an entity key); an instance that has not named one publishes
    its own id there, which is honest and still a valid key.
    """
    from django.conf import settings

    from partnernet.federation.keys import instance_key_pair

    own = instance_id()
    return PeerIdentity(
        instance=own,
        base_url=settings.BASE_URL,
        public_key=instance_key_pair().public_key,
        operator=settings.FEDERATION_OPERATOR or own,
    )


def peer_by_url(url: str) -> Peer | None:
    """The peer at ``url`` (trailing slashes ignored), or ``None``."""
    from partnernet.federation.models import Peer

    return Peer.objects.filter(base_url=normalise_url(url)).first()


def normalise_url(url: str) -> str:
    return url.strip().rstrip("/")


def peers_overview() -> list[Peer]:
    """Every peer with what the peers page and ``federation status`` show: last sync, lag, errors."""
    from partnernet.federation.models import Peer

    return list(Peer.objects.order_by("base_url"))


def foreign_counts() -> dict[str, dict[str, int]]:
    """Per origin, how many live records of each kind this instance holds from it."""
    from django.db.models import Count

    from partnernet.federation.models import ForeignRecord

    counts: dict[str, dict[str, int]] = {}
    rows = ForeignRecord.objects.filter(deleted=False).values("origin", "kind").annotate(n=Count("pk"))
    for row in rows:
        counts.setdefault(row["origin"], {})[row["kind"]] = row["n"]
    return counts


def audiences_of(peer: Peer | None) -> list[str]:
    """Event audiences a requester may pull: anonymous callers and ordinary peers get what every peer gets
    plus what non-movement peers get; movement peers get movement rows; a peer also gets what is addressed
    to it alone."""
    from partnernet.federation.models import Audience

    if peer is None:
        return [Audience.ALL.value, Audience.OTHERS.value]
    channel = Audience.MOVEMENT.value if peer.movement else Audience.OTHERS.value
    return [Audience.ALL.value, channel, f"peer:{peer.instance_id}"]


def feed_slice(after: int, audiences: list[str], limit: int) -> tuple[list[tuple[int, str]], int | None, int]:
    """Up to ``limit`` events after ``after`` (sequence, document), the next cursor (``None`` when these are
    the last), and the newest sequence these audiences can see (0 when none)."""
    from partnernet.federation.models import FeedEvent

    rows = list(
        FeedEvent.objects.filter(sequence__gt=after, audience__in=audiences)
        .order_by("sequence")
        .values_list("sequence", "document")[: limit + 1]
    )
    next_cursor = rows[limit - 1][0] if len(rows) > limit else None
    head = 0
    for audience in audiences:
        newest = (
            FeedEvent.objects.filter(audience=audience)
            .order_by("-sequence")
            .values_list("sequence", flat=True)[:1]
        )
        head = max([head, *newest])
    return rows[:limit], next_cursor, head


@dataclass(frozen=True)
class PartnerAcrossInstances:
    """One partner institution as every instance recorded it, reconciled by its Wikidata QID.

    ``records`` are the partner rows (this instance's, reference data, peers' copies) that carry the QID;
    ``partnerships`` every partnership with any of them that the viewer may see, whichever instance made it.
    """

    wikidata: str
    records: list[Partner]
    partnerships: list[Partnership]

    @property
    def name(self) -> str:
        local = [record for record in self.records if record.origin == instance_id()]
        return (local or self.records)[0].name

    @property
    def origins(self) -> list[str]:
        return sorted({record.origin for record in self.records})


def partner_across_instances(wikidata: str, user: Any) -> PartnerAcrossInstances | None:
    """The partner with QID ``wikidata`` on every instance this one knows, or ``None`` when unknown."""
    from partnernet.directory.models import Partner
    from partnernet.partnerships.models import Partnership
    from partnernet.partnerships.rules import visible_partnerships
    from partnernet.partnerships.selectors import partnerships_with_institution

    records = list(
        Partner.objects.filter(wikidata=wikidata).select_related("country").order_by("origin", "key")
    )
    if not records:
        return None
    visible = visible_partnerships(user, Partnership.objects.all())
    partnerships = partnerships_with_institution(records, visible).order_by("origin", "title")
    return PartnerAcrossInstances(wikidata, records, list(partnerships))


def partners_on_several_instances(limit: int = 50) -> list[tuple[str, str, int]]:
    """Partners (QID, a name, number of instances) recorded by more than one instance, most shared first."""
    from django.db.models import Count, Min

    from partnernet.directory.models import Partner

    rows = (
        Partner.objects.exclude(wikidata="")
        .values("wikidata")
        .annotate(origins=Count("origin", distinct=True), name=Min("name"))
        .filter(origins__gt=1)
        .order_by("-origins", "wikidata")[:limit]
    )
    return [(row["wikidata"], row["name"], row["origins"]) for row in rows]
