"""A partnership joins partner institutions with a lead entity and its supporting entities."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from partnernet.base.models import GlobalRecord
from partnernet.partnerships.search import SearchDocumentField


class PartnershipStatus(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    NEGOTIATING = "negotiating", _("Negotiating")
    ACTIVE = "active", _("Active")
    CONCLUDED = "concluded", _("Concluded")
    PAUSED = "paused", _("Paused")
    DECLINED = "declined", _("Declined")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MOVEMENT = "movement", _("Movement")
    PRIVATE = "private", _("Private")


class Partnership(GlobalRecord):
    Status = PartnershipStatus

    Visibility = Visibility

    key = models.SlugField(_("key"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    lead = models.ForeignKey(
        "directory.Entity", verbose_name=_("lead"), on_delete=models.PROTECT, related_name="led_partnerships"
    )
    supporters = models.ManyToManyField(
        "directory.Entity", verbose_name=_("supporters"), blank=True, related_name="supported_partnerships"
    )
    partners = models.ManyToManyField(
        "directory.Partner", verbose_name=_("partners"), blank=True, related_name="partnerships"
    )
    type = models.ForeignKey(
        "framework.PartnershipType",
        verbose_name=_("partnership type"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    themes = models.ManyToManyField(
        "framework.Theme", verbose_name=_("themes"), blank=True, related_name="partnerships"
    )
    region = models.ForeignKey(
        "framework.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    source_url = models.TextField(_("sources"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta(GlobalRecord.Meta):
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["key"]
        constraints = [
            *GlobalRecord.Meta.constraints,
            models.UniqueConstraint(fields=["origin", "key"], name="partnership_key_per_origin"),
            models.CheckConstraint(
                condition=Q(status__in=PartnershipStatus.values), name="partnership_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="partnership_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="partnership_end_after_start",
            ),
        ]
        indexes = [
            # Filtered by status or type, in key order (the API's list): the rows come in the order asked
            # for, so a page stops after its rows instead of sorting every match (0.12 s at 1,000,000).
            models.Index(fields=["visibility", "status", "key", "origin"], name="partnership_vis_status_key"),
            models.Index(fields=["visibility", "type", "key", "origin"], name="partnership_vis_type_key"),
            models.Index(fields=["title"], name="partnership_title"),
            models.Index(fields=["start"], name="partnership_start"),
            models.Index(fields=["visibility", "title"], name="partnership_vis_title"),
            models.Index(fields=["visibility", "start"], name="partnership_vis_start"),
            models.Index(fields=["type", "start"], name="partnership_type_start"),
            models.Index(fields=["updated_at"], name="partnership_updated"),
            # What an anonymous reader asks first: the home page's latest public partnerships and the API's
            # list in key order. Without them SQLite sorts every public row (80% of the table) for 6 or 51.
            models.Index(fields=["visibility", "updated_at"], name="partnership_vis_updated"),
            models.Index(fields=["visibility", "key", "origin"], name="partnership_vis_key"),
            # An entity's page lists what it leads, newest first: found by lead, not by walking every public
            # row in date order looking for it (0.6 s at 100,000 partnerships on SQLite).
            models.Index(fields=["lead", "visibility", "start"], name="partnership_lead_vis_start"),
            # The registry filtered by region (and type, and status): a continent's dozen countries are
            # sought in it, and the rows found, dated, are sorted from the index alone. Without it SQLite
            # read every row of those countries to test its type and status (0.15 s at 1,000,000).
            models.Index(
                fields=["region", "type", "status", "visibility", "start"], name="partnership_region_filter"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Agreement(GlobalRecord):
    """A signed agreement (or draft) of a partnership: a file shown only to the partnership's parties.

    Files live under the data folder's media root but are never served from a public URL; the download view
    checks ``partnerships.view_agreements`` first.
    """

    partnership = models.ForeignKey(
        Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="agreements/%Y/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(GlobalRecord.Meta):
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class RegistryTally(models.Model):
    """Pre-aggregated partnership counts per (visibility, type, status, region), for the registry's facets.

    ``dimension`` is ``row`` (partnerships), ``theme`` (partnerships with theme ``value``) or ``partner_kind``
    (partnerships with at least one partner of kind ``value``). Summing the tally over a filter of type,
    status and region gives facet counts over a million partnerships in milliseconds. Every writer keeps it
    exact in its own transaction: the services row by row, imports, ``generate`` and federation by deltas
    over the rows they wrote (``tally.TallyUpdate``). Rows changed by other means change the table's
    fingerprint: reads then count live, and ``rebuild_registry_tally`` repairs it (``RegistryTallyState``).
    """

    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=64, blank=True)
    visibility = models.CharField(max_length=8)
    type_key = models.CharField(max_length=64)
    status = models.CharField(max_length=12)
    region_code = models.CharField(max_length=3, blank=True)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "value", "visibility", "type_key", "status", "region_code"],
                name="registry_tally_cell",
            )
        ]
        indexes = [
            models.Index(
                fields=["dimension", "visibility", "type_key", "status"], name="registry_tally_lookup"
            ),
            models.Index(fields=["dimension", "region_code", "visibility"], name="registry_tally_region"),
        ]

    def __str__(self) -> str:
        cell = f"{self.visibility}/{self.type_key}/{self.status}/{self.region_code}"
        return f"{self.dimension} {self.value} {cell}: {self.count}"


class RegistryTallyState(models.Model):
    """The partnership table's fingerprint that the tally is exact for (one row)."""

    fingerprint = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.fingerprint


class PartnershipText(models.Model):
    """A partnership's row in the full-text index, which database triggers write (see ``search.py``).

    Not managed by Django: the table is an FTS5 virtual table on SQLite and a ``tsvector`` table on
    PostgreSQL. It exists here so queries can join it (``text__document__matches``).
    """

    partnership = models.OneToOneField(
        Partnership,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="text",
    )
    document = SearchDocumentField()

    class Meta:
        managed = False
        db_table = "partnerships_search"

    def __str__(self) -> str:
        return str(self.pk)
