"""The framework taxonomy and the stewardship roles entities hold in its cells.

A cell is (partnership type, theme or any, region). A stewardship says that an entity leads, co-leads or
supports partnerships of that cell, with a capacity of support cases it can hold at once.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnernet.federation.models import GlobalRecord


class TaxonomyTerm(GlobalRecord):
    """Shared shape of types and themes: a stable key, a name, and whether it is still in use."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta(GlobalRecord.Meta):
        abstract = True
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.name


class PartnershipType(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("partnership type")
        verbose_name_plural = _("partnership types")


class Theme(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class RegionLevel(models.TextChoices):
    WORLD = "world", _("World")
    REGION = "region", _("Region")
    SUBREGION = "subregion", _("Sub-region")
    INTERMEDIATE = "intermediate", _("Intermediate region")
    COUNTRY = "country", _("Country")


class Region(GlobalRecord):
    """A UN M49 area (three-digit code) or an ISO 3166-1 country (alpha-2), in M49's hierarchy.

    ``path`` holds the chain from the world down to this region (``/001/150/154/SE/``) so that "everything
    inside Europe" is one indexed prefix query at any level.
    """

    Level = RegionLevel

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    m49 = models.CharField(_("M49 numeric code"), max_length=3, unique=True)
    path = models.CharField(_("path"), max_length=64, db_index=True)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.CheckConstraint(condition=Q(level__in=RegionLevel.values), name="region_level_valid"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, level="world") | Q(parent__isnull=False) & ~Q(level="world"),
                name="region_only_world_is_root",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class StewardshipLevel(models.TextChoices):
    LEAD = "lead", _("Lead")
    CO_LEAD = "co_lead", _("Co-lead")
    SUPPORTER = "supporter", _("Supporter")


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
        indexes = [models.Index(fields=["status", "type"], name="stewardship_status_type")]

    def __str__(self) -> str:
        return self.key
