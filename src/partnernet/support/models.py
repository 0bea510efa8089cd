"""A support request: an entity asks the stewards of a cell for help with a partnership.

The routing workflow (offers, SLA clocks, escalation) lives in this app's services; the model records the
request, the steward it is routed to and why.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from partnernet.federation.models import GlobalRecord

LOAD_STATUSES = ("offered", "accepted", "in_progress")
"""Statuses that count against a stewardship's capacity (FORMATS.md: load)."""


class Need(models.TextChoices):
    CO_SIGNING = "co_signing", _("Co-signing an agreement")
    FISCAL_SPONSORSHIP = "fiscal_sponsorship", _("Fiscal sponsorship")
    TOOLS = "tools", _("Tools")
    TRAINING = "training", _("Training")
    CONTENT_UPLOAD = "content_upload", _("Content upload")
    LETTER = "letter", _("Letter of support")
    OTHER = "other", _("Other")


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
        on_delete=models.PROTECT,
        related_name="support_requests",
    )
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
    )
    description = models.TextField(_("description"), blank=True)
    explanation = models.TextField(_("routing explanation"), blank=True)
    created = models.DateField(_("created"))
    resolved = models.DateField(_("resolved"), null=True, blank=True)
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
        ]
        indexes = [models.Index(fields=["status", "stewardship"], name="request_status_stewardship")]

    def __str__(self) -> str:
        return self.key
