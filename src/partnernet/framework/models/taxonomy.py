"""The framework taxonomy: partnership types, themes, region groupings and the M49 regions.

A cell of the framework is (partnership type, theme or any, region); these are its axes. Types, themes and
groupings change only through the agreement process; regions are reference data that ``seed`` loads.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnernet.base.models import GlobalRecord
from partnernet.i18n.names import region_label, term_label


class TaxonomyTerm(GlobalRecord):
    """Shared shape of types and themes: a stable key, a name, and whether it is still in use."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    labels = models.JSONField(
        _("name in other languages"),
        default=dict,
        blank=True,
        help_text=_('The name per language tag, such as {"fr": "Sciences"}; English is the name.'),
    )

    class Meta(GlobalRecord.Meta):
        abstract = True
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the active language (its label there, else the stored name)."""
        return term_label(self)


class PartnershipType(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("partnership type")
        verbose_name_plural = _("partnership types")


class Theme(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class RegionGrouping(TaxonomyTerm):
    """A movement's own grouping of regions (such as "Central and Eastern Europe"), beside M49's areas.

    Groupings change only through the agreement process; their members are M49 areas or countries.
    """

    regions = models.ManyToManyField(
        "framework.Region", verbose_name=_("regions"), blank=True, related_name="groupings"
    )

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("region grouping")
        verbose_name_plural = _("region groupings")


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

    @property
    def label(self) -> str:
        """The name in the active language, from CLDR (the stored English name where CLDR has none)."""
        return region_label(self)
