"""A support request: an entity asks the stewards of a cell for help with a partnership.

The routing workflow (offers, SLA clocks, escalation) lives in this app's services; the models record the
request, the steward it is routed to and why, every step of its history, and the standing host relations that
resolved co-signing and fiscal-sponsorship requests can establish.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from partnernet.base.models import GlobalRecord
from partnernet.framework.models import LOAD_STATUSES as LOAD_STATUSES  # the stewardship's load


class Need(models.TextChoices):
    CO_SIGNING = "co_signing", _("Co-signing an agreement")
    FISCAL_SPONSORSHIP = "fiscal_sponsorship", _("Fiscal sponsorship")
    TOOLS = "tools", _("Tools")
    TRAINING = "training", _("Training")
    CONTENT_UPLOAD = "content_upload", _("Content upload")
    LETTER = "letter", _("Letter of support")
    OTHER = "other", _("Other")


HOSTING_NEEDS = (Need.CO_SIGNING, Need.FISCAL_SPONSORSHIP)
"""Needs that ask the steward to act in law for the requester (sign, hold funds): only an entity with a legal
identity can meet them, and meeting one may become a standing hosting."""


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SupportRequest(GlobalRecord):
    Need = Need

    Status = RequestStatus

    key = models.SlugField(_("key"), max_length=100)
    requester = models.ForeignKey(
        "directory.Entity",
        verbose_name=_("requester"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_requests",
        help_text=_("Empty only for a proposal from an external institution through the public form."),
    )
    partner = models.ForeignKey(
        "directory.Partner",
        verbose_name=_("proposing institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_requests",
    )
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partnership"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_requests",
    )
    type = models.ForeignKey(
        "framework.PartnershipType",
        verbose_name=_("partnership type"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    theme = models.ForeignKey(
        "framework.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        "framework.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    need = models.CharField(_("need"), max_length=20, choices=Need.choices)
    language = models.CharField(_("language"), max_length=35, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    steward = models.ForeignKey(
        "directory.Entity",
        verbose_name=_("steward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stewarded_requests",
    )
    stewardship = models.ForeignKey(
        "framework.Stewardship",
        verbose_name=_("stewardship"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        db_index=False,  # request_stewardship_status below starts with it
    )
    description = models.TextField(_("description"), blank=True)
    explanation = models.TextField(_("routing explanation"), blank=True)
    explanation_message = models.JSONField(
        _("routing explanation (sentence)"),
        null=True,
        blank=True,
        help_text=_("The explanation as a message id and parameters, read in each reader's language."),
    )
    created = models.DateField(_("created"))
    resolved = models.DateField(_("resolved"), null=True, blank=True)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    due_at = models.DateTimeField(
        _("answer due"), null=True, blank=True, help_text=_("An offer unanswered by then moves on.")
    )
    tried = models.JSONField(
        _("stewardships tried"),
        default=list,
        blank=True,
        help_text=_("Ids of stewardships that declined or let the offer time out; routing skips them."),
    )
    queued = models.BooleanField(
        _("in the facilitators' queue"),
        default=False,
        help_text=_("No candidate was left: facilitators must find a steward."),
    )
    outcome = models.TextField(_("outcome note"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["key"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["origin", "key"], name="request_key_per_origin"),
            models.CheckConstraint(condition=Q(need__in=Need.values), name="request_need_valid"),
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="request_status_valid"),
            models.CheckConstraint(
                condition=Q(resolved__isnull=True) | Q(resolved__gte=F("created")),
                name="request_resolved_after_created",
            ),
            models.CheckConstraint(
                condition=Q(requester__isnull=False) | Q(partner__isnull=False),
                name="request_has_requester_or_partner",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "stewardship"], name="request_status_stewardship"),
            # A stewardship's load (its requests in the load statuses), counted once per routing candidate:
            # one range of this index instead of a seek per status. It serves every lookup by stewardship.
            models.Index(fields=["stewardship", "status"], name="request_stewardship_status"),
            models.Index(fields=["status", "due_at"], name="request_status_due"),
            # Kept figures' versions read the latest change (``base.versions``): one seek, not a scan.
            models.Index(fields=["updated_at"], name="request_updated"),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def routing_reason_message(self) -> dict[str, Any] | None:
        """The stored reasons of the routing decision, without the steward's name (the page names it)."""
        from partnernet.support.explanations import reason_part

        return reason_part(self.explanation_message)

    @property
    def routing_reason(self) -> str:
        """The explanation without its ``routed to <steward>: `` lead, for a sentence naming the steward."""
        name = self.steward.name if self.steward is not None else ""
        lead = f"routed to {name}: "
        return (
            self.explanation[len(lead) :] if name and self.explanation.startswith(lead) else self.explanation
        )

    @property
    def follow_token(self) -> str:
        """The secret of the private link a proposing institution follows its proposal with: unguessable
        (an HMAC of the request's UUID under the instance's secret key), so it needs no column and no
        account; empty for a request of an entity."""
        if self.partner_id is None or self.requester_id is not None:
            return ""
        return salted_hmac("partnernet.support.follow", str(self.uuid)).hexdigest()[:40]

    @property
    def follow_path(self) -> str:
        token = self.follow_token
        return f"/support/follow/{self.key}/{token}/" if token else ""

    @property
    def asker_name(self) -> str:
        """Who asks: the requesting entity, or the proposing institution of a public entry."""
        if self.requester is not None:
            return self.requester.name
        return self.partner.name if self.partner is not None else ""


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    TIMED_OUT = "timed_out", _("Offer timed out")
    IN_PROGRESS = "in_progress", _("Work started")
    RESOLVED = "resolved", _("Resolved")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    QUEUED = "queued", _("Sent to the facilitators' queue")
    REASSIGNED = "reassigned", _("Reassigned by rebalance")
    LAPSED = "lapsed", _("The stewardship's term ended")
    RESOURCES = "resources", _("Answered with library resources")


class RequestEvent(models.Model):
    """One step in a request's history: what happened, who did it, why, and the status it left."""

    Kind = EventKind

    request = models.ForeignKey(
        SupportRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("when"))
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status after"), max_length=12, choices=RequestStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=200, blank=True)
    steward = models.ForeignKey(
        "directory.Entity",
        verbose_name=_("steward"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("why"), blank=True)
    message = models.JSONField(
        _("why (sentence)"),
        null=True,
        blank=True,
        help_text=_(
            "The note as a message id and parameters, read in each reader's language; empty when "
            "the note is text a person wrote."
        ),
    )

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="request_event_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.request} {self.kind}"


class HostingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class Hosting(GlobalRecord):
    """A steward organisation hosts an individual or informal group without a legal identity.

    The host signs agreements for the hosted entity and holds its funds, so people without a legal identity
    have a designated home. It starts from a resolved co-signing or fiscal-sponsorship request and either side
    may end it.
    """

    Status = HostingStatus

    host = models.ForeignKey(
        "directory.Entity", verbose_name=_("host"), on_delete=models.PROTECT, related_name="hostings_given"
    )
    hosted = models.ForeignKey(
        "directory.Entity",
        verbose_name=_("hosted"),
        on_delete=models.PROTECT,
        related_name="hostings_received",
    )
    request = models.ForeignKey(
        SupportRequest,
        verbose_name=_("from request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hostings",
    )
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    ended_by = models.ForeignKey(
        "directory.Entity",
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("hosting")
        verbose_name_plural = _("hostings")
        ordering = ["-term_start", "pk"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.CheckConstraint(condition=Q(status__in=HostingStatus.values), name="hosting_status_valid"),
            models.CheckConstraint(condition=~Q(host=F("hosted")), name="hosting_not_self"),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="hosting_term_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["host", "hosted"], condition=Q(status="active"), name="hosting_one_active_per_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.host} hosts {self.hosted}"
