"""The stewardship roles entities hold in the framework's cells.

A stewardship says that an entity leads, co-leads or supports partnerships of a cell (type, theme or any,
region), with a capacity of support cases it can hold at once.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnernet.base.models import GlobalRecord
from partnernet.framework.models.taxonomy import PartnershipType, Region, Theme


class StewardshipLevel(models.TextChoices):
    LEAD = "lead", _("Lead")
    CO_LEAD = "co_lead", _("Co-lead")
    SUPPORTER = "supporter", _("Supporter")


LOAD_STATUSES = ("offered", "accepted", "in_progress")
"""Statuses of the requests offered to a stewardship that count against its capacity (FORMATS.md: load).
Defined with the stewardship, whose load it is; the support app's requests carry these statuses."""


class StewardshipStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    LAPSED = "lapsed", _("Lapsed")


class Stewardship(GlobalRecord):
    """An entity's role for a cell of the framework, with the capacity it offers to weaker entities."""

    Level = StewardshipLevel

    Status = StewardshipStatus

    key = models.SlugField(_("key"), max_length=100)
    entity = models.ForeignKey(
        "directory.Entity", verbose_name=_("entity"), on_delete=models.PROTECT, related_name="stewardships"
    )
    type = models.ForeignKey(
        PartnershipType,
        verbose_name=_("partnership type"),
        on_delete=models.PROTECT,
        related_name="stewardships",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stewardships",
        help_text=_("Empty means any theme."),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="stewardships"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Support cases it can hold at once."))
    languages = models.JSONField(_("languages"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    response_days = models.PositiveSmallIntegerField(_("response time (days)"), default=7)
    commitments = models.TextField(_("commitments"), blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("stewardship")
        verbose_name_plural = _("stewardships")
        ordering = ["key"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["origin", "key"], name="stewardship_key_per_origin"),
            models.CheckConstraint(
                condition=Q(level__in=StewardshipLevel.values), name="stewardship_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=StewardshipStatus.values), name="stewardship_status_valid"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=0), name="stewardship_capacity_not_negative"),
            models.CheckConstraint(
                condition=Q(response_days__gte=1), name="stewardship_response_days_positive"
            ),
            models.CheckConstraint(
                condition=Q(term_start__isnull=True)
                | Q(term_end__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="stewardship_term_end_after_start",
            ),
        ]
        indexes = [
            # Routing reads the active stewardships of one type on a request's region chain (a few regions):
            # with the region in the index that is a handful of range seeks instead of a scan of every active
            # stewardship of the type. Its (status, type) prefix serves the reads that filter on those alone.
            models.Index(fields=["status", "type", "region"], name="stewardship_status_type_region"),
            # Kept figures' versions read the latest change (``base.versions``): one seek, not a scan.
            models.Index(fields=["updated_at"], name="stewardship_updated"),
        ]

    def __str__(self) -> str:
        return self.key
