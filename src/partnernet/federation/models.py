"""Peers, this instance's feed, what it holds of peers' records, and support requests in transit.

Record identity (origin and UUID, the instance id) is the ``base`` app's: federation reads it, it does not
own it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from partnernet.base.models import SEED_ORIGIN


class Peer(models.Model):
    """Another instance this one trusts: its pinned key, and the state of pulling its feed.

    A peer is added by an administrator who confirmed its key's fingerprint out of band; ``movement``
    peers also receive rows of visibility ``movement``. The sync columns mirror ``core.federation.sync``'s
    ``PeerSyncState`` so the pure state machine decides and this row only remembers.
    """

    instance_id = models.CharField(_("instance id"), max_length=64, unique=True)
    base_url = models.URLField(_("base URL"), max_length=300, unique=True)
    public_key = models.CharField(_("public key (base64)"), max_length=64)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    operator = models.CharField(_("operator"), max_length=100, blank=True)
    movement = models.BooleanField(
        _("movement peer"), default=False, help_text=_("Also receives rows of visibility movement.")
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    cursor = models.BigIntegerField(_("cursor"), default=0)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    unavailable_since = models.DateTimeField(_("unavailable since"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    needs_attention = models.BooleanField(_("needs attention"), default=False)
    last_error = models.TextField(_("last error"), blank=True)
    last_success_at = models.DateTimeField(_("last sync"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    remote_head = models.BigIntegerField(
        _("latest sequence seen"), null=True, blank=True, help_text=_("The peer's newest change we know of.")
    )
    records_applied = models.PositiveBigIntegerField(_("changes applied"), default=0)
    suspended_at = models.DateTimeField(
        _("suspended"),
        null=True,
        blank=True,
        help_text=_(
            "While set, nothing is pulled from or delivered to the peer, its signed fetches are refused and "
            "its stewardships are out of routing."
        ),
    )
    remote_scope = models.CharField(
        _("scope granted"),
        max_length=16,
        blank=True,
        help_text=_(
            "What the peer's feed last said it shows us; when it widens, we pull again from the start."
        ),
    )

    class Meta:
        verbose_name = _("peer")
        verbose_name_plural = _("peers")
        ordering = ["base_url"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(instance_id=SEED_ORIGIN), name="peer_is_not_seed"),
            models.CheckConstraint(condition=models.Q(cursor__gte=0), name="peer_cursor_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.instance_id} ({self.base_url})"

    @property
    def lag(self) -> int | None:
        """Changes of the peer not yet pulled, as far as the last page told; ``None`` before any page."""
        if self.remote_head is None:
            return None
        return max(0, self.remote_head - self.cursor)


class InstanceKey(models.Model):
    """Every key this instance has published, newest last: made on first use, rotated on purpose (with a
    statement signed by both keys) or replaced after the key file was lost (by an operator's command).

    The newest row is how a missing key file is told from a new instance: when it exists, the key is not
    made again silently."""

    class Reason(models.TextChoices):
        FIRST = "first", _("First key")
        ROTATED = "rotated", _("Rotated (signed by the old key)")
        REPLACED = "replaced", _("Replaced after the key was lost")

    public_key = models.CharField(_("public key (base64)"), max_length=64)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    statement = models.TextField(_("rotation statement"), blank=True)
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("instance key")
        verbose_name_plural = _("instance keys")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.fingerprint} ({self.reason})"


class SeenNonce(models.Model):
    """A nonce of a signed fetch already accepted, kept while its date is within the clock skew, so the same
    signed request sent again is refused (401) instead of replayed."""

    instance = models.CharField(_("instance id"), max_length=64)
    nonce = models.CharField(_("nonce"), max_length=64)
    seen_at = models.DateTimeField(_("date of the request"))

    class Meta:
        verbose_name = _("seen nonce")
        verbose_name_plural = _("seen nonces")
        constraints = [models.UniqueConstraint(fields=["instance", "nonce"], name="nonce_once_per_instance")]
        indexes = [models.Index(fields=["seen_at"], name="seennonce_seen_at")]

    def __str__(self) -> str:
        return f"{self.instance} {self.nonce}"


class FeedSequence(models.Model):
    """The one counter row of this instance's feed. Locked in the transaction of every change, so
    sequence numbers follow commit order (a peer's cursor never skips a change committed later)."""

    last = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("feed sequence")
        verbose_name_plural = _("feed sequence")

    def __str__(self) -> str:
        return str(self.last)


class Audience(models.TextChoices):
    """Who may pull an event: every peer, only movement peers, only the others, or one peer."""

    ALL = "all", _("All peers")
    MOVEMENT = "movement", _("Movement peers")
    OTHERS = "others", _("Peers that are not movement peers")


class FeedEvent(models.Model):
    """One signed activity of this instance's feed (the outbox), stored as the canonical JSON that was
    signed when the change committed; serving it is a copy. ``audience`` is an ``Audience`` value or
    ``peer:<instance id>`` for an activity meant for one peer only."""

    sequence = models.BigIntegerField(_("sequence"), unique=True)
    kind = models.CharField(_("kind"), max_length=32)
    record_uuid = models.UUIDField(_("record"))
    verb = models.CharField(_("verb"), max_length=8)
    audience = models.CharField(_("audience"), max_length=80)
    published_at = models.DateTimeField(_("published"))
    document = models.TextField(_("signed activity"))

    class Meta:
        verbose_name = _("feed event")
        verbose_name_plural = _("feed events")
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["kind", "record_uuid", "sequence"], name="feedevent_record"),
            models.Index(fields=["audience", "sequence"], name="feedevent_audience"),
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.verb} {self.kind} {self.record_uuid}"


class ForeignRecord(models.Model):
    """What this instance holds about one record of a peer: its kind, version and whether it is deleted.

    Tombstones stay (``deleted``), so a late or replayed update never brings a deleted record back.
    ``problem`` says why the last activity could not be applied (an unknown reference, say); the activity
    is kept in ``document`` so it can be applied once the problem is gone.
    """

    origin = models.CharField(_("origin"), max_length=64)
    uuid = models.UUIDField()
    kind = models.CharField(_("kind"), max_length=32)
    sequence = models.BigIntegerField(_("version"))
    deleted = models.BooleanField(_("deleted"), default=False)
    problem = models.TextField(_("problem"), blank=True)
    document = models.TextField(_("last activity"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("foreign record")
        verbose_name_plural = _("foreign records")
        constraints = [
            models.UniqueConstraint(fields=["origin", "uuid"], name="foreignrecord_global_id"),
        ]
        indexes = [models.Index(fields=["origin", "kind"], name="foreignrecord_origin_kind")]

    def __str__(self) -> str:
        return f"{self.origin}:{self.uuid}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    REFUSED = "refused", _("Refused")


class OutgoingDelivery(models.Model):
    """A support request routed to a steward of a peer, on its way to that peer's inbox.

    The signed document is made once, so every retry sends the same bytes under the same idempotency key
    and the peer stores the request once however often it arrives.
    """

    Status = DeliveryStatus

    peer = models.ForeignKey(
        Peer, verbose_name=_("peer"), on_delete=models.CASCADE, related_name="deliveries"
    )
    request = models.ForeignKey(
        "support.SupportRequest",
        verbose_name=_("support request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    stewardship = models.ForeignKey(
        "framework.Stewardship",
        verbose_name=_("stewardship at the peer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    document = models.TextField(_("signed delivery"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    remote_status = models.CharField(
        _("status at the peer"),
        max_length=16,
        blank=True,
        help_text=_("The request's status as the peer last reported it."),
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    remote_id = models.CharField(_("request at the peer"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing delivery")
        verbose_name_plural = _("outgoing deliveries")
        constraints = [
            models.UniqueConstraint(fields=["peer", "idempotency_key"], name="delivery_once_per_key"),
            models.CheckConstraint(
                condition=models.Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key} → {self.peer.instance_id}"


class InboxItem(models.Model):
    """A support request a peer delivered to this instance, stored once per idempotency key.

    It becomes a local ``SupportRequest`` (``request``) that this instance's stewards work like any other;
    its status changes go back to the sender through the feed, addressed to that peer only.
    """

    peer = models.ForeignKey(Peer, verbose_name=_("sender"), on_delete=models.PROTECT, related_name="inbox")
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    remote_request = models.CharField(_("request at the sender"), max_length=120)
    document = models.TextField(_("signed delivery"))
    request = models.OneToOneField(
        "support.SupportRequest",
        verbose_name=_("support request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbox_item",
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        constraints = [
            models.UniqueConstraint(fields=["peer", "idempotency_key"], name="inbox_once_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key} ← {self.peer.instance_id}"
